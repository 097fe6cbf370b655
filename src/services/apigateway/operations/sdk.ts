// GetSdkTypes/GetSdkType list the SDK generators AWS offers (android, javascript, iOS Objective-C and
// Swift, java, ruby) with their configuration properties [R: descriptions]; GetSdk checks its request as
// AWS does (API, stage, SDK type, the type's required parameters) and then answers 501 NotImplemented:
// Nimbus generates no SDKs (README Gaps). The export (GetExport) is what code generators can read instead.
import { AwsError } from '../../../protocol/errors.ts'
import type { OperationContext } from '../../service.ts'
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import type { ApiGatewayState } from '../store.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

const property = (name: string, friendlyName: string, required: boolean, description?: string): T.SdkConfigurationProperty =>
  ({ name, friendlyName, required, ...(description !== undefined && { description }) })

const types: T.SdkType[] = [
  { id: 'android', friendlyName: 'Android', description: 'Android SDK', configurationProperties: [
    property('groupId', 'Group ID', true), property('invokerPackage', 'Invoker package', true),
    property('artifactId', 'Artifact ID', true), property('artifactVersion', 'Artifact version', true)] },
  { id: 'javascript', friendlyName: 'JavaScript', description: 'JavaScript SDK', configurationProperties: [] },
  { id: 'ios-objective-c', friendlyName: 'iOS (Objective-C)', description: 'iOS SDK (Objective-C)', configurationProperties: [property('classPrefix', 'Prefix', false)] },
  { id: 'ios-swift', friendlyName: 'iOS (Swift)', description: 'iOS SDK (Swift)', configurationProperties: [property('classPrefix', 'Prefix', false)] },
  { id: 'java', friendlyName: 'Java SDK', description: 'Java SDK generator', configurationProperties: [
    property('service.name', 'Service Name', true), property('java.package-name', 'Java Package Name', true),
    property('java.build-system', 'Build System', false), property('java.group-id', 'Group Id', false),
    property('java.artifact-id', 'Artifact Id', false), property('java.artifact-version', 'Artifact Version', false),
    property('java.license-text', 'License Text', false)] },
  { id: 'ruby', friendlyName: 'Ruby', description: 'Ruby SDK', configurationProperties: [
    property('service.name', 'Service Name', true), property('ruby.gem-name', 'Ruby Gem Name', false), property('ruby.gem-version', 'Ruby Gem Version', false)] },
]

/** GetSdk's `sdkType` names (the iOS generators are `objectivec` and `swift` there). */
const generators: Record<string, string> = { android: 'android', javascript: 'javascript', objectivec: 'ios-objective-c', swift: 'ios-swift', java: 'java', ruby: 'ruby' }

export function sdkOperations(state: ApiGatewayState) {
  const getSdk: Op<T.GetSdkRequest, T.SdkResponse> = (input, ctx) => {
    const api = state.api(ctx.caller.account, ctx.caller.region, input.restApiId)
    state.stage(api, input.stageName)
    const type = types.find((t) => t.id === generators[input.sdkType])
    // [R] AWS's wording for an SDK type it doesn't generate and for a required parameter left out.
    if (type === undefined) throw apiGatewayErrors.badRequest(`Invalid SDK type: ${input.sdkType}`)
    for (const p of type.configurationProperties ?? []) {
      if (p.required === true && (input.parameters?.[p.name!] ?? '') === '') throw apiGatewayErrors.badRequest(`Missing required parameter: ${p.name}`)
    }
    throw new AwsError('NotImplemented', `Nimbus does not generate ${type.friendlyName} SDKs (GetSdk) in apigateway. See the Gaps in Nimbus's apigateway README; GetExport gives the API's OpenAPI definition.`, { status: 501 })
  }

  return {
    GetSdk: getSdk,
    GetSdkTypes: (() => ({ items: structuredClone(types) })) as Op<T.GetSdkTypesRequest, T.SdkTypes>,
    GetSdkType: ((input) => {
      const type = types.find((t) => t.id === input.id)
      if (type === undefined) throw apiGatewayErrors.notFound('Invalid SDK type identifier specified')
      return structuredClone(type)
    }) as Op<T.GetSdkTypeRequest, T.SdkType>,
  }
}
