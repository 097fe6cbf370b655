// AMIs as a launch and DescribeImages see them: the built-in catalog's and the accounts' own
// (CreateImage/RegisterImage/CopyImage), own ones pending until their snapshots complete.
import { AwsError } from '../../protocol/errors.ts'
import type { LaunchImage } from './block-devices.ts'
import { type CatalogImage, catalogImages } from './catalog.ts'
import { ec2Errors } from './errors.ts'
import { isWellFormedId } from './ids.ts'
import type { ImageRecord } from './resources.ts'
import type { RegionState } from './store.ts'

/** A row of DescribeImages: a catalog image, or an own one (`own`) dressed in the catalog's fields. */
export type ImageRow = CatalogImage & { own?: ImageRecord; ownerAccount?: string; tags?: ImageRecord['tags'] }

export const imageState = (i: ImageRecord, now: number): 'pending' | 'available' | 'deregistered' =>
  i.deregistered ? 'deregistered' : now >= i.availableAt ? 'available' : 'pending'

export const imageUnavailable = (message: string) => new AwsError('InvalidAMIID.Unavailable', message, { status: 400 })

/** An own image as a row of the catalog's shape (root device's size and type, the owner's account). */
export function ownRow(account: string, i: ImageRecord): ImageRow {
  const root = i.blockDevices.find((d) => d.deviceName === i.rootDeviceName)
  return {
    imageId: i.id, name: i.name, description: i.description ?? '', architecture: i.architecture, ownerId: account,
    platform: i.platform, platformDetails: i.platform === 'windows' ? 'Windows' : 'Linux/UNIX', rootDeviceName: i.rootDeviceName,
    volumeSize: root?.volumeSize ?? 8, volumeType: root?.volumeType ?? 'gp2', creationDate: new Date(i.createTime).toISOString(),
    snapshotId: root?.snapshotId ?? '', own: i, ownerAccount: account, tags: i.tags,
  }
}

/** Every image of this region the caller may see: the catalog, its own, and others' public or shared with it (not deregistered). */
export function visibleImages(region: RegionState): ImageRow[] {
  const rows: ImageRow[] = [...catalogImages(region.region)]
  for (const r of region.owner.allRegions()) {
    if (r.region !== region.region || r.account === '') continue
    for (const i of r.images.values()) {
      if (i.deregistered) continue
      if (r === region || i.isPublic || i.launchUsers.includes(region.account)) rows.push(ownRow(r.account, i))
    }
  }
  return rows
}

/** An own image of the caller's by id: InvalidAMIID.Malformed / NotFound; `deregistered` ones only when asked. */
export function ownImage(region: RegionState, id: string, includeDeregistered = false): ImageRecord | undefined {
  if (!isWellFormedId(id, 'ami')) throw ec2Errors.malformed('InvalidAMIID.Malformed', id, 'ami')
  const image = region.images.get(id)
  return image === undefined || (image.deregistered && !includeDeregistered) ? undefined : image
}

/** A visible image by id (the catalog's or an own/shared one), or InvalidAMIID.Malformed / NotFound. */
export function findAnyImage(region: RegionState, id: string): ImageRow {
  if (!isWellFormedId(id, 'ami')) throw ec2Errors.malformed('InvalidAMIID.Malformed', id, 'ami')
  const catalog = catalogImages(region.region).find((i) => i.imageId === id)
  if (catalog !== undefined) return catalog
  const own = region.images.get(id)
  if (own !== undefined && !own.deregistered) return ownRow(region.account, own)
  const shared = visibleImages(region).find((i) => i.imageId === id)
  if (shared === undefined) throw ec2Errors.imageNotFound(id)
  return shared
}

/** What a launch needs of an image: an own image must be available ("AMI 'ami-…' is pending, and cannot be run" [R]). */
export function launchImage(region: RegionState, id: string): LaunchImage {
  const row = findAnyImage(region, id)
  if (row.own === undefined) {
    return { imageId: row.imageId, architecture: row.architecture, platform: row.platform, rootDeviceName: row.rootDeviceName,
      blockDevices: [{ deviceName: row.rootDeviceName, snapshotId: row.snapshotId, volumeSize: row.volumeSize, volumeType: row.volumeType,
        deleteOnTermination: true, encrypted: false }] }
  }
  if (imageState(row.own, region.now) !== 'available') throw imageUnavailable(`AMI '${id}' is pending, and cannot be run`)
  return { imageId: row.imageId, architecture: row.architecture, platform: row.platform, rootDeviceName: row.rootDeviceName,
    blockDevices: row.own.blockDevices }
}

/** The image using a snapshot, if any (DeleteSnapshot refuses: InvalidSnapshot.InUse). */
export function imageUsingSnapshot(region: RegionState, snapshotId: string): ImageRecord | undefined {
  for (const i of region.images.values()) if (!i.deregistered && i.blockDevices.some((d) => d.snapshotId === snapshotId)) return i
  return undefined
}
