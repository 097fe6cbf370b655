// What termination does to an instance's volumes (launch volumes: block-devices.ts).
import { settleVolume } from './ebs.ts'
import type { RegionState } from './store.ts'

/** On termination: volumes with DeleteOnTermination go, the others are detached. */
export function releaseVolumes(region: RegionState, instanceId: string): void {
  for (const volume of region.attachedVolumes.of(instanceId)) {
    settleVolume(region, volume)
    if (volume.attachment?.instanceId !== instanceId || region.volumes.get(volume.id) !== volume) continue
    if (volume.attachment.deleteOnTermination) {
      region.remove(volume)
    } else {
      volume.attachment = undefined
      volume.state = 'available'
      region.save(volume)
    }
  }
}
