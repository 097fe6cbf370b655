// Generates src/services/<svc>/generated/{model,types}.ts from AWS's botocore service models.
//
//   npm run codegen                 # every service in `services` below
//   npm run codegen -- sqs lambda   # only these
//
// Inputs (never committed; the output is):
// - BOTOCORE_DATA: botocore's data folder (default: the one the host's python3 imports).
// - LEGACY_BOTOCORE_DATA: an older botocore data folder whose SQS model still speaks the query
//   protocol (Debian bookworm's python3-botocore 1.29.27: `apt-get download python3-botocore`).
//   Current models dropped SQS's query wire names (Attribute.N.Name, <Message>…); they are merged
//   back from it. Without it, SQS is generated from the current model alone and query breaks.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'

interface ServiceSpec {
  folder: string
  modelDir: string
  namespace: string
  /** Query wire names and legacy codes are merged from the legacy model. */
  legacyQuery?: boolean
  /** awsQueryError traits missing from both botocore models, from the Smithy model AWS publishes
   * (as shipped in @aws-sdk/client-sqs): shape → [legacy code, HTTP status]. */
  queryErrors?: Record<string, [string, number]>
  /** Query element names of list members added after the legacy model (AWS's query model, as in
   * aws-sdk v2): list shape → member element name. */
  queryListMembers?: Record<string, string>
  /** Only these operations' shapes are generated (EC2's model is ~600 operations, ~4,000 shapes):
   * every other operation stays in the model by name with no input or output, so a call to it
   * answers Nimbus's not-implemented error instead of InvalidAction. */
  operations?: readonly string[]
}

const services: Record<string, ServiceSpec> = {
  sqs: {
    folder: 'sqs', modelDir: 'sqs/2012-11-05', namespace: 'com.amazonaws.sqs', legacyQuery: true,
    queryErrors: {
      BatchEntryIdsNotDistinct: ['AWS.SimpleQueueService.BatchEntryIdsNotDistinct', 400],
      BatchRequestTooLong: ['AWS.SimpleQueueService.BatchRequestTooLong', 400],
      EmptyBatchRequest: ['AWS.SimpleQueueService.EmptyBatchRequest', 400],
      InvalidAddress: ['InvalidAddress', 404],
      InvalidBatchEntryId: ['AWS.SimpleQueueService.InvalidBatchEntryId', 400],
      InvalidSecurity: ['InvalidSecurity', 403],
      KmsAccessDenied: ['KMS.AccessDeniedException', 400],
      KmsDisabled: ['KMS.DisabledException', 400],
      KmsInvalidKeyUsage: ['KMS.InvalidKeyUsageException', 400],
      KmsInvalidState: ['KMS.InvalidStateException', 400],
      KmsNotFound: ['KMS.NotFoundException', 400],
      KmsOptInRequired: ['KMS.OptInRequired', 403],
      KmsThrottled: ['KMS.ThrottlingException', 400],
      MessageNotInflight: ['AWS.SimpleQueueService.MessageNotInflight', 400],
      OverLimit: ['OverLimit', 403],
      PurgeQueueInProgress: ['AWS.SimpleQueueService.PurgeQueueInProgress', 403],
      QueueDeletedRecently: ['AWS.SimpleQueueService.QueueDeletedRecently', 400],
      QueueDoesNotExist: ['AWS.SimpleQueueService.NonExistentQueue', 400],
      QueueNameExists: ['QueueAlreadyExists', 400],
      ReceiptHandleIsInvalid: ['ReceiptHandleIsInvalid', 404],
      RequestThrottled: ['RequestThrottled', 403],
      ResourceNotFoundException: ['ResourceNotFoundException', 404],
      TooManyEntriesInBatchRequest: ['AWS.SimpleQueueService.TooManyEntriesInBatchRequest', 400],
      UnsupportedOperation: ['AWS.SimpleQueueService.UnsupportedOperation', 400],
    },
    // Move tasks (2023) are newer than the legacy model; AWS sends <ListMessageMoveTasksResultEntry>.
    queryListMembers: { ListMessageMoveTasksResultEntryList: 'ListMessageMoveTasksResultEntry' },
  },
  sns: { folder: 'sns', modelDir: 'sns/2010-03-31', namespace: 'com.amazonaws.sns' },
  lambda: { folder: 'lambda', modelDir: 'lambda/2015-03-31', namespace: 'com.amazonaws.lambda' },
  s3: { folder: 's3', modelDir: 's3/2006-03-01', namespace: 'com.amazonaws.s3' },
  s3control: {
    folder: 's3control', modelDir: 's3control/2018-08-20', namespace: 'com.amazonaws.s3control',
    operations: [
      'GetPublicAccessBlock', 'PutPublicAccessBlock', 'DeletePublicAccessBlock',
      'CreateAccessPoint', 'GetAccessPoint', 'ListAccessPoints', 'DeleteAccessPoint',
      'GetAccessPointPolicy', 'PutAccessPointPolicy', 'DeleteAccessPointPolicy', 'GetAccessPointPolicyStatus',
    ],
  },
  eventbridge: { folder: 'eventbridge', modelDir: 'events/2015-10-07', namespace: 'com.amazonaws.eventbridge' },
  logs: { folder: 'logs', modelDir: 'logs/2014-03-28', namespace: 'com.amazonaws.cloudwatchlogs' },
  iam: { folder: 'iam', modelDir: 'iam/2010-05-08', namespace: 'com.amazonaws.iam' },
  sts: { folder: 'sts', modelDir: 'sts/2011-06-15', namespace: 'com.amazonaws.sts' },
  cloudwatch: { folder: 'cloudwatch', modelDir: 'cloudwatch/2010-08-01', namespace: 'com.amazonaws.cloudwatch' },
  dynamodb: { folder: 'dynamodb', modelDir: 'dynamodb/2012-08-10', namespace: 'com.amazonaws.dynamodb.v20120810' },
  dynamodbstreams: { folder: 'dynamodbstreams', modelDir: 'dynamodbstreams/2012-08-10', namespace: 'com.amazonaws.dynamodb.v20120810' },
  firehose: { folder: 'firehose', modelDir: 'firehose/2015-08-04', namespace: 'com.amazonaws.firehose' },
  kinesis: { folder: 'kinesis', modelDir: 'kinesis/2013-12-02', namespace: 'com.amazonaws.kinesis' },
  apigateway: { folder: 'apigateway', modelDir: 'apigateway/2015-07-09', namespace: 'com.amazonaws.apigateway' },
  apigatewayv2: { folder: 'apigatewayv2', modelDir: 'apigatewayv2/2018-11-29', namespace: 'com.amazonaws.apigatewayv2' },
  apigatewaymanagementapi: { folder: 'apigatewaymanagementapi', modelDir: 'apigatewaymanagementapi/2018-11-29', namespace: 'com.amazonaws.apigatewaymanagementapi' },
  autoscaling: { folder: 'autoscaling', modelDir: 'autoscaling/2011-01-01', namespace: 'com.amazonaws.autoscaling' },
  cloudtrail: { folder: 'cloudtrail', modelDir: 'cloudtrail/2013-11-01', namespace: 'com.amazonaws.cloudtrail' },
  ec2: {
    folder: 'ec2', modelDir: 'ec2/2016-11-15', namespace: 'com.amazonaws.ec2',
    operations: [
      'DescribeRegions', 'DescribeAvailabilityZones', 'DescribeAccountAttributes',
      'DescribeVpcs', 'CreateVpc', 'DeleteVpc', 'DescribeSubnets', 'CreateSubnet', 'DeleteSubnet',
      'DescribeSecurityGroups', 'CreateSecurityGroup', 'DeleteSecurityGroup',
      'AuthorizeSecurityGroupIngress', 'RevokeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupEgress',
      'CreateTags', 'DeleteTags', 'DescribeTags',
      'DescribeImages', 'DescribeInstanceTypes',
      'RunInstances', 'DescribeInstances', 'StartInstances', 'StopInstances', 'RebootInstances', 'TerminateInstances',
      'DescribeInstanceStatus', 'ModifyInstanceAttribute', 'DescribeInstanceAttribute',
      'AllocateAddress', 'AssociateAddress', 'DisassociateAddress', 'ReleaseAddress', 'DescribeAddresses',
      'CreateKeyPair', 'ImportKeyPair', 'DescribeKeyPairs', 'DeleteKeyPair',
      'CreateVolume', 'AttachVolume', 'DetachVolume', 'DeleteVolume', 'DescribeVolumes',
      'CreateSnapshot', 'CopySnapshot', 'DeleteSnapshot', 'DescribeSnapshots',
      'CreatePlacementGroup', 'DescribePlacementGroups', 'DeletePlacementGroup',
      'CreateLaunchTemplate', 'CreateLaunchTemplateVersion', 'DescribeLaunchTemplates', 'DescribeLaunchTemplateVersions',
      'ModifyLaunchTemplate', 'DeleteLaunchTemplate', 'DeleteLaunchTemplateVersions',
      'DescribeSpotPriceHistory', 'RequestSpotInstances', 'DescribeSpotInstanceRequests', 'CancelSpotInstanceRequests',
      'CreateFleet', 'DescribeFleets', 'DescribeFleetInstances', 'DeleteFleets',
      'RequestSpotFleet', 'DescribeSpotFleetRequests', 'DescribeSpotFleetInstances', 'CancelSpotFleetRequests',
      'CreateRouteTable', 'DescribeRouteTables', 'DeleteRouteTable', 'CreateRoute', 'ReplaceRoute', 'DeleteRoute',
      'AssociateRouteTable', 'DisassociateRouteTable', 'ReplaceRouteTableAssociation',
      'CreateInternetGateway', 'DescribeInternetGateways', 'DeleteInternetGateway', 'AttachInternetGateway', 'DetachInternetGateway',
      'CreateEgressOnlyInternetGateway', 'DescribeEgressOnlyInternetGateways', 'DeleteEgressOnlyInternetGateway',
      'CreateNatGateway', 'DescribeNatGateways', 'DeleteNatGateway',
      'CreateNetworkAcl', 'DescribeNetworkAcls', 'DeleteNetworkAcl', 'CreateNetworkAclEntry', 'ReplaceNetworkAclEntry',
      'DeleteNetworkAclEntry', 'ReplaceNetworkAclAssociation',
      'CreateNetworkInterface', 'DescribeNetworkInterfaces', 'DeleteNetworkInterface', 'AttachNetworkInterface',
      'DetachNetworkInterface', 'ModifyNetworkInterfaceAttribute', 'DescribeNetworkInterfaceAttribute',
      'CreateImage', 'RegisterImage', 'DeregisterImage', 'CopyImage', 'DescribeImageAttribute', 'ModifyImageAttribute',
      'DescribeInstanceTypeOfferings', 'MonitorInstances', 'UnmonitorInstances', 'GetConsoleOutput',
      'ModifyInstanceMetadataOptions', 'ModifyInstanceMetadataDefaults', 'GetInstanceMetadataDefaults',
      'AssociateIamInstanceProfile', 'DescribeIamInstanceProfileAssociations', 'ReplaceIamInstanceProfileAssociation',
      'DisassociateIamInstanceProfile', 'GetPasswordData', 'ModifyVolume', 'DescribeVolumesModifications', 'GetLaunchTemplateData',
      'DescribeInstanceCreditSpecifications', 'ModifyInstanceCreditSpecification',
    ],
  },
}

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any -- raw model JSON

function botocoreData(): string {
  if (process.env.BOTOCORE_DATA) return process.env.BOTOCORE_DATA
  const dir = execFileSync('python3', ['-c', 'import botocore,os;print(os.path.dirname(botocore.__file__))']).toString().trim()
  return join(dir, 'data')
}

function loadModel(dataDir: string, modelDir: string): Json | undefined {
  const base = join(dataDir, modelDir, 'service-2.json')
  if (existsSync(base)) return JSON.parse(readFileSync(base, 'utf8'))
  if (existsSync(base + '.gz')) return JSON.parse(gunzipSync(readFileSync(base + '.gz')).toString('utf8'))
  return undefined
}

const dropKeys = new Set(['documentation', 'documentationUrl', 'deprecated', 'deprecatedMessage', 'sensitive',
  'examples', 'box', 'wrapper', 'authtype', 'auth', 'endpointdiscovery', 'httpChecksum',
  'staticContextParams', 'contextParam', 'requestcompression', 'unsignedPayload', 'internalonly',
  'deprecatedSince', 'endpointoperation', 'endpoint'])

/** Drops documentation and client-only traits from a shape or member reference (not from member names). */
function trimRef(ref: Json): Json {
  const out: Json = {}
  for (const [k, v] of Object.entries(ref)) if (!dropKeys.has(k)) out[k] = v
  return out
}

function trim(model: Json): Json {
  const shapes: Json = {}
  for (const [name, shape] of Object.entries<Json>(model.shapes)) {
    const out = trimRef(shape)
    if (shape.members) {
      out.members = {}
      for (const [m, ref] of Object.entries<Json>(shape.members)) out.members[m] = trimRef(ref)
    }
    for (const part of ['member', 'key', 'value'] as const) if (shape[part]) out[part] = trimRef(shape[part])
    shapes[name] = out
  }
  return { ...model, shapes }
}

/** Legacy locationNames become queryLocationName: they name query/XML elements, and JSON must not see them. */
function copyQueryKeys(from: Json, to: Json): void {
  if (from.locationName !== undefined) to.queryLocationName = from.locationName
  if (from.flattened !== undefined) to.flattened = from.flattened
}

/** Copies query wire names (locationName/flattened) and error traits from the legacy model. */
function mergeLegacy(model: Json, legacy: Json): void {
  for (const [name, op] of Object.entries<Json>(legacy.operations)) {
    const current = model.operations[name]
    if (current && op.output?.resultWrapper) current.resultWrapper = op.output.resultWrapper
  }
  for (const [name, old] of Object.entries<Json>(legacy.shapes)) {
    const shape = model.shapes[name]
    if (!shape) continue
    copyQueryKeys(old, shape)
    if (old.error) shape.error = old.error
    for (const part of ['member', 'key', 'value'] as const) {
      if (old[part] && shape[part]) copyQueryKeys(old[part], shape[part])
    }
    for (const [m, ref] of Object.entries<Json>(old.members ?? {})) {
      const target = shape.members?.[m]
      if (target) copyQueryKeys(ref, target)
    }
  }
}

function buildModel(spec: ServiceSpec, model: Json): Json {
  const metadata: Json = {
    apiVersion: model.metadata.apiVersion,
    protocol: model.metadata.protocol,
    protocols: model.metadata.protocols ?? [model.metadata.protocol],
    endpointPrefix: model.metadata.endpointPrefix,
    signingName: model.metadata.signingName ?? model.metadata.endpointPrefix,
    serviceId: model.metadata.serviceId,
    namespace: spec.namespace,
  }
  for (const k of ['jsonVersion', 'targetPrefix', 'xmlNamespace'] as const) if (model.metadata[k]) metadata[k] = model.metadata[k]
  if (model.metadata.awsQueryCompatible) metadata.awsQueryCompatible = true
  if (spec.legacyQuery) metadata.xmlNamespace ??= 'http://queue.amazonaws.com/doc/2012-11-05/'
  const operations: Json = {}
  for (const [name, op] of Object.entries<Json>(model.operations)) {
    const out: Json = { name, http: op.http }
    if (op.input) out.input = op.input.shape
    if (op.output) out.output = op.output.shape
    if (op.output?.resultWrapper) out.resultWrapper = op.output.resultWrapper
    if (op.errors?.length) out.errors = op.errors.map((e: Json) => e.shape)
    operations[name] = out
  }
  let shapes = trim(model).shapes as Json
  if (spec.operations !== undefined) {
    const keep = new Set(spec.operations)
    for (const [name, op] of Object.entries<Json>(operations)) {
      if (keep.has(name)) continue
      delete op.input
      delete op.output
      delete op.errors
    }
    shapes = reachableShapes(shapes, Object.values<Json>(operations))
  }
  for (const [name, [code, status]] of Object.entries(spec.queryErrors ?? {})) {
    if (shapes[name]) shapes[name].error = { code, httpStatusCode: status, senderFault: true }
  }
  for (const [name, element] of Object.entries(spec.queryListMembers ?? {})) {
    if (shapes[name]?.member) shapes[name].member.queryLocationName ??= element
  }
  return { metadata, operations, shapes }
}

/** The shapes the kept operations' inputs, outputs and errors reach. */
function reachableShapes(shapes: Json, operations: Json[]): Json {
  const out: Json = {}
  const visit = (name: string | undefined): void => {
    if (name === undefined || out[name] !== undefined) return
    const shape = shapes[name]
    out[name] = shape
    for (const ref of Object.values<Json>(shape.members ?? {})) visit(ref.shape)
    for (const part of ['member', 'key', 'value'] as const) visit(shape[part]?.shape)
  }
  for (const op of operations) {
    visit(op.input)
    visit(op.output)
    for (const e of op.errors ?? []) visit(e)
  }
  return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]))
}

function typeOf(model: Json, ref: string): string {
  const shape = model.shapes[ref]
  switch (shape.type) {
    case 'structure': return shape.document ? 'unknown' : ref
    case 'list': return `${typeOf(model, shape.member.shape)}[]`
    // A model with its own `Record` shape (Firehose) shadows TypeScript's.
    case 'map': return `${model.shapes.Record ? 'globalThis.Record' : 'Record'}<string, ${typeOf(model, shape.value.shape)}>`
    case 'string': return shape.enum ? ref : 'string'
    case 'integer': case 'long': case 'double': case 'float': return 'number'
    case 'boolean': return 'boolean'
    case 'timestamp': return 'Date'
    case 'blob': return shape.streaming ? 'Uint8Array | NodeJS.ReadableStream' : 'Uint8Array'
    default: return 'unknown'
  }
}

function renderTypes(serviceName: string, model: Json): string {
  const lines = [
    `// GENERATED by scripts/codegen.ts from AWS's ${model.metadata.serviceId} model (botocore, Apache-2.0; see NOTICE). Do not edit.`,
    '/* eslint-disable */',
    '',
  ]
  for (const [name, shape] of Object.entries<Json>(model.shapes).sort(([a], [b]) => a.localeCompare(b))) {
    if (shape.type === 'string' && shape.enum) {
      lines.push(`export type ${name} = ${shape.enum.map((e: string) => JSON.stringify(e)).join(' | ')}`)
    } else if (shape.type === 'structure' && !shape.document) {
      const required = new Set<string>(shape.required ?? [])
      lines.push(`export interface ${name} {`)
      for (const [m, ref] of Object.entries<Json>(shape.members ?? {})) {
        lines.push(`  ${m}${required.has(m) ? '' : '?'}: ${typeOf(model, ref.shape)}`)
      }
      lines.push('}')
    }
  }
  const ops = Object.values<Json>(model.operations)
  lines.push('', `export type ${serviceName}OperationName =`, ...ops.map((o) => `  | ${JSON.stringify(o.name)}`))
  lines.push('', `export interface ${serviceName}Operations {`)
  for (const o of ops) {
    lines.push(`  ${o.name}: { input: ${o.input ?? 'Record<string, never>'}; output: ${o.output ?? 'void'} }`)
  }
  lines.push('}', '')
  return lines.join('\n')
}

function pascal(name: string): string {
  return { sqs: 'Sqs', sns: 'Sns', lambda: 'Lambda', s3: 'S3', s3control: 'S3Control', eventbridge: 'EventBridge', logs: 'Logs', cloudwatch: 'CloudWatch', dynamodb: 'DynamoDb', dynamodbstreams: 'DynamoDbStreams', firehose: 'Firehose', kinesis: 'Kinesis', apigateway: 'ApiGateway', ec2: 'Ec2', cloudtrail: 'CloudTrail', autoscaling: 'AutoScaling' }[name] ?? name
}

function generate(name: string, spec: ServiceSpec, dataDir: string): void {
  const raw = loadModel(dataDir, spec.modelDir)
  if (!raw) throw new Error(`no model for ${name} under ${dataDir}/${spec.modelDir}`)
  const model = buildModel(spec, raw)
  if (spec.legacyQuery) {
    const legacyDir = process.env.LEGACY_BOTOCORE_DATA
    const legacy = legacyDir ? loadModel(legacyDir, spec.modelDir) : undefined
    if (!legacy) throw new Error(`${name} needs LEGACY_BOTOCORE_DATA (an older botocore data folder) for its query wire names`)
    mergeLegacy(model, trim(legacy))
  }
  const out = join('src/services', spec.folder, 'generated')
  mkdirSync(out, { recursive: true })
  const header = `// GENERATED by scripts/codegen.ts from AWS's ${model.metadata.serviceId} model (botocore, Apache-2.0; see NOTICE). Do not edit.\n`
  // The model is JSON, loaded as a JSON module: parsing JSON at start-up is several times cheaper
  // than compiling the same data as a JavaScript object literal (measured: Nimbus's first call).
  writeFileSync(join(out, 'model.json'), `${JSON.stringify(model, null, 1)}\n`)
  writeFileSync(join(out, 'model.ts'), `${header}import type { ServiceModelJson } from '../../../protocol/model.ts'\n` +
    `import json from './model.json' with { type: 'json' }\n\nexport const model = json as unknown as ServiceModelJson\n`)
  writeFileSync(join(out, 'types.ts'), renderTypes(pascal(name), model))
  console.log(`${name}: ${Object.keys(model.operations).length} operations, ${Object.keys(model.shapes).length} shapes → ${out}`)
}

const wanted = process.argv.slice(2)
const dataDir = botocoreData()
for (const [name, spec] of Object.entries(services)) {
  if (wanted.length === 0 || wanted.includes(name)) generate(name, spec, dataDir)
}
