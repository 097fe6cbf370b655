// The index of volumes by the instance they are attached to: a termination (root-volumes.ts)
// releases its instance's volumes without scanning the region's others.
import type { VolumeRecord } from './resources.ts'

/** Volumes by the instance they are attached to, kept by RegionState on every volume save and removal. */
export class AttachedVolumes {
  private readonly byInstance = new Map<string, Set<VolumeRecord>>()
  /** The instance each indexed volume is filed under (its attachment may have changed since). */
  private readonly filedUnder = new Map<VolumeRecord, string>()

  saved(volume: VolumeRecord): void {
    const now = volume.attachment?.instanceId
    const was = this.filedUnder.get(volume)
    if (now === was) return
    this.removed(volume)
    if (now === undefined) return
    this.filedUnder.set(volume, now)
    let set = this.byInstance.get(now)
    if (set === undefined) this.byInstance.set(now, (set = new Set()))
    set.add(volume)
  }

  removed(volume: VolumeRecord): void {
    const was = this.filedUnder.get(volume)
    if (was === undefined) return
    this.filedUnder.delete(volume)
    const set = this.byInstance.get(was)!
    set.delete(volume)
    if (set.size === 0) this.byInstance.delete(was)
  }

  /** The volumes saved as attached to the instance (a copy: releasing them changes the index). */
  of(instanceId: string): VolumeRecord[] {
    const set = this.byInstance.get(instanceId)
    return set === undefined ? [] : [...set]
  }
}
