// Layers: named, versioned bundles of code merged into a function's environment in order.
import type { StoredCode } from './code-store.ts'
import type * as T from './generated/types.ts'

export interface LayerVersion {
  version: number
  arn: string
  description: string
  code: StoredCode
  createdDate: string
  compatibleRuntimes: T.Runtime[] | undefined
  compatibleArchitectures: T.Architecture[] | undefined
  licenseInfo: string | undefined
}

export class Layer {
  readonly name: string
  readonly arn: string
  readonly versions = new Map<number, LayerVersion>()
  /** Version numbers are never reused, even after a delete (stored with the layer). */
  next = 1

  constructor(name: string, account: string, region: string) {
    this.name = name
    this.arn = `arn:aws:lambda:${region}:${account}:layer:${name}`
  }

  add(details: Omit<LayerVersion, 'version' | 'arn'>): LayerVersion {
    const version = this.next++
    const layerVersion = { ...details, version, arn: `${this.arn}:${version}` }
    this.versions.set(version, layerVersion)
    return layerVersion
  }

  latest(): LayerVersion | undefined {
    return [...this.versions.values()].at(-1)
  }
}

export function toLayerVersionOutput(v: LayerVersion, layerArn: string) {
  return {
    Content: { Location: `file://${v.code.dir}`, CodeSha256: v.code.sha256, CodeSize: v.code.size },
    LayerArn: layerArn,
    LayerVersionArn: v.arn,
    Description: v.description,
    CreatedDate: v.createdDate,
    Version: v.version,
    CompatibleRuntimes: v.compatibleRuntimes,
    CompatibleArchitectures: v.compatibleArchitectures,
    LicenseInfo: v.licenseInfo,
  }
}
