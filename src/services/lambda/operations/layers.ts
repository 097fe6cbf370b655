// PublishLayerVersion, GetLayerVersion, GetLayerVersionByArn, ListLayerVersions, ListLayers, DeleteLayerVersion.
import type { Operation } from '../../service.ts'
import type { LambdaContext } from '../context.ts'
import { lambdaErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { Layer, toLayerVersionOutput } from '../layer.ts'
import { lambdaTimestamp } from '../function.ts'
import { storeCode } from './code.ts'

export function layerOperations(ctx: LambdaContext) {
  const region = (op: { caller: { account: string; region: string } }) => ctx.state.region(op.caller.account, op.caller.region)
  const requireVersion = (op: { caller: { account: string; region: string } }, name: string, version: number) => {
    const layer = region(op).layers.get(name)
    const v = layer?.versions.get(version)
    if (layer === undefined || v === undefined) throw lambdaErrors.resourceNotFound('The resource you requested does not exist.')
    return { layer, v }
  }

  const publish: Operation<T.PublishLayerVersionRequest, T.PublishLayerVersionResponse> = (input, op) => {
    const store = region(op)
    const code = storeCode(ctx, input.Content)
    let layer = store.layers.get(input.LayerName)
    if (layer === undefined) {
      layer = new Layer(input.LayerName, op.caller.account, op.caller.region)
      store.layers.set(layer.name, layer)
    }
    const v = layer.add({
      description: input.Description ?? '', code, createdDate: lambdaTimestamp(ctx.clock.now()),
      compatibleRuntimes: input.CompatibleRuntimes, compatibleArchitectures: input.CompatibleArchitectures,
      licenseInfo: input.LicenseInfo,
    })
    ctx.rows?.layerVersion(layer, op.caller.account, op.caller.region, v)
    return toLayerVersionOutput(v, layer.arn)
  }
  const get: Operation<T.GetLayerVersionRequest, T.GetLayerVersionResponse> = (input, op) => {
    const { layer, v } = requireVersion(op, input.LayerName, input.VersionNumber)
    return toLayerVersionOutput(v, layer.arn)
  }
  const getByArn: Operation<T.GetLayerVersionByArnRequest, T.GetLayerVersionResponse> = (input, op) => {
    const m = /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:layer:([a-zA-Z0-9-_]+):(\d+)$/.exec(input.Arn)
    if (m === null) throw lambdaErrors.validation([`Value '${input.Arn}' at 'arn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+`])
    const { layer, v } = requireVersion(op, m[1]!, Number(m[2]))
    return toLayerVersionOutput(v, layer.arn)
  }
  const listVersions: Operation<T.ListLayerVersionsRequest, T.ListLayerVersionsResponse> = (input, op) => {
    const layer = region(op).layers.get(input.LayerName)
    const versions = [...(layer?.versions.values() ?? [])].reverse()
      .filter((v) => input.CompatibleRuntime === undefined || v.compatibleRuntimes?.includes(input.CompatibleRuntime))
      .map((v) => ({ LayerVersionArn: v.arn, Version: v.version, Description: v.description, CreatedDate: v.createdDate,
        CompatibleRuntimes: v.compatibleRuntimes, LicenseInfo: v.licenseInfo, CompatibleArchitectures: v.compatibleArchitectures }))
    return { LayerVersions: versions }
  }
  const list: Operation<T.ListLayersRequest, T.ListLayersResponse> = (_input, op) => ({
    Layers: [...region(op).layers.values()].flatMap((layer) => {
      const v = layer.latest()
      return v === undefined ? [] : [{ LayerName: layer.name, LayerArn: layer.arn, LatestMatchingVersion: {
        LayerVersionArn: v.arn, Version: v.version, Description: v.description, CreatedDate: v.createdDate,
        CompatibleRuntimes: v.compatibleRuntimes, LicenseInfo: v.licenseInfo, CompatibleArchitectures: v.compatibleArchitectures,
      } }]
    }),
  })
  const remove: Operation<T.DeleteLayerVersionRequest, void> = (input, op) => {
    if (region(op).layers.get(input.LayerName)?.versions.delete(input.VersionNumber) === true) {
      ctx.rows?.layerVersionGone(op.caller.account, op.caller.region, input.LayerName, input.VersionNumber)
    }
  }

  return {
    PublishLayerVersion: publish, GetLayerVersion: get, GetLayerVersionByArn: getByArn,
    ListLayerVersions: listVersions, ListLayers: list, DeleteLayerVersion: remove,
  }
}
