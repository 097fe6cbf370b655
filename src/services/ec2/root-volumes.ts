// The root volume RunInstances gives each instance, and what termination does to its volumes.
import type { CatalogImage } from './catalog.ts'
import { checkVolume } from './ebs.ts'
import type { InstanceRecord } from './resources.ts'
import type { RegionState } from './store.ts'

/** The root volume RunInstances gives an instance: the AMI's size and type, deleted on termination. */
export function createRootVolume(region: RegionState, instance: InstanceRecord, image: CatalogImage): void {
  const { iops, throughput } = checkVolume(image.volumeType, image.volumeSize, undefined, undefined)
  region.save({
    kind: 'volume', id: instance.volumeId, zone: instance.zone, size: image.volumeSize, volumeType: image.volumeType, iops, throughput,
    snapshotId: image.snapshotId, createTime: instance.launchTime, state: 'in-use', tags: [],
    attachment: { instanceId: instance.id, device: image.rootDeviceName, attachTime: instance.launchTime, deleteOnTermination: true },
  })
}

/** On termination: volumes with DeleteOnTermination go, the others are detached. */
export function releaseVolumes(region: RegionState, instanceId: string): void {
  for (const volume of [...region.volumes.values()]) {
    if (volume.attachment?.instanceId !== instanceId) continue
    if (volume.attachment.deleteOnTermination) {
      region.remove(volume)
    } else {
      volume.attachment = undefined
      volume.state = 'available'
      region.save(volume)
    }
  }
}
