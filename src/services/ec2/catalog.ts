// The built-in catalogs: AMIs per region (data/images.json) and instance types (data/instance-types.json).
import { seededId } from './ids.ts'
import imagesJson from './data/images.json' with { type: 'json' }
import typesJson from './data/instance-types.json' with { type: 'json' }
import { model } from './generated/model.ts'

export interface CatalogImage {
  imageId: string
  name: string
  description: string
  architecture: string
  ownerId: string
  ownerAlias?: string
  platform?: string
  platformDetails: string
  rootDeviceName: string
  volumeSize: number
  volumeType: string
  creationDate: string
  snapshotId: string
}

export interface InstanceTypeSpec {
  type: string
  vcpus: number
  memoryMiB: number
  network: string
  architectures: string[]
  processor: string
  hypervisor: string
  burstable: boolean
  currentGeneration: boolean
  freeTier: boolean
}

const byRegion = new Map<string, CatalogImage[]>()

/** The catalog's images in a region: the same ids at every start, different in each region. */
export function catalogImages(region: string): CatalogImage[] {
  let images = byRegion.get(region)
  if (images === undefined) {
    images = imagesJson.images.map((i) => ({ ...i, imageId: seededId('ami', `${region}/${i.name}`), snapshotId: seededId('snap', `${region}/${i.name}`) }))
    byRegion.set(region, images)
  }
  return images
}

export const instanceTypes: readonly InstanceTypeSpec[] = typesJson.types
const typeIndex = new Map(instanceTypes.map((t) => [t.type, t]))

export const instanceTypeSpec = (type: string): InstanceTypeSpec | undefined => typeIndex.get(type)

/** Every type EC2's API model names (its InstanceType enum, hundreds of them), beyond the catalog's figures. */
const modelTypes = new Set((model.shapes.InstanceType as { enum?: string[] } | undefined)?.enum ?? [])

/**
 * Whether RunInstances/ModifyInstanceAttribute accept the type: a catalog type or one EC2's model
 * lists (so real types without catalog figures launch); anything else is AWS's "Invalid value".
 */
export const knownInstanceType = (type: string): boolean => typeIndex.has(type) || modelTypes.has(type)
