// The enabled services, one list, created in dependency order.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { AccessKeyDirectory } from '../core/access-keys.ts'
import { ApiAccountThrottle, type ThrottleLimits } from '../core/api-account-throttle.ts'
import type { Clock } from '../core/clock.ts'
import { EventChannel } from '../core/events.ts'
import { Fabric } from '../fabric/fabric.ts'
import { TraceLog } from '../fabric/trace.ts'
import type { LambdaRuntimeApi } from '../runtime/types.ts'
import type { Persistence } from '../storage/persistence/persistence.ts'
import { cloudTrailApiCalls } from './cloudtrail/api-calls.ts'
import { cloudTrailDescriptor } from './cloudtrail/descriptor.ts'
import { EventHistory } from './cloudtrail/history.ts'
import type { CloudTrailPort } from './cloudtrail/port.ts'
import { cloudWatchDescriptor } from './cloudwatch/descriptor.ts'
import type { CloudWatchPort, MetricSource } from './cloudwatch/port.ts'
import { dynamodbDescriptor } from './dynamodb/descriptor.ts'
import type { DynamoDbPort } from './dynamodb/port.ts'
import { dynamodbStreamsDescriptor } from './dynamodbstreams/descriptor.ts'
import { apiGatewayDescriptor } from './apigateway/descriptor.ts'
import type { ApiGatewayPort } from './apigateway/port.ts'
import { apiGatewayV2Descriptor } from './apigatewayv2/descriptor.ts'
import { apiGatewayManagementDescriptor } from './apigatewaymanagementapi/descriptor.ts'
import { autoScalingDescriptor } from './autoscaling/descriptor.ts'
import type { AutoScalingPort } from './autoscaling/port.ts'
import { ec2Descriptor } from './ec2/descriptor.ts'
import type { Ec2Port } from './ec2/port.ts'
import { eventBridgeDescriptor } from './eventbridge/descriptor.ts'
import type { EventBridgePort } from './eventbridge/port.ts'
import { firehoseDescriptor } from './firehose/descriptor.ts'
import type { FirehosePort } from './firehose/port.ts'
import { iamDescriptor } from './iam/descriptor.ts'
import type { IamPort } from './iam/port.ts'
import { kinesisDescriptor } from './kinesis/descriptor.ts'
import type { KinesisPort } from './kinesis/port.ts'
import { lambdaDescriptor } from './lambda/descriptor.ts'
import type { LambdaPort } from './lambda/port.ts'
import { eagerService, type LazyService, lazyService, requireModule } from './lazy.ts'
import { logsDescriptor } from './logs/descriptor.ts'
import type { LogEventsAppended, LogsPort } from './logs/port.ts'
import { s3Descriptor } from './s3/descriptor.ts'
import { s3ControlDescriptor } from './s3control/descriptor.ts'
import type { S3Port } from './s3/port.ts'
import type { ApiCall, InProcessAwsCall, ServiceHandle } from './service.ts'
import { snsDescriptor } from './sns/descriptor.ts'
import type { SnsPort } from './sns/port.ts'
import { createSqs } from './sqs/index.ts'
import type { SqsPort } from './sqs/port.ts'
import { stsDescriptor } from './sts/descriptor.ts'
import type { StsPort } from './sts/port.ts'
import { storeDeliveries } from './pending-deliveries.ts'
import { registerTargetKinds } from './target-kinds.ts'

export interface Services {
  list: ServiceHandle[]
  ports: {
    sqs: SqsPort; logs: LogsPort; lambda: LambdaPort; sns: SnsPort; eventbridge: EventBridgePort; s3: S3Port; iam: IamPort; sts: StsPort
    cloudwatch: CloudWatchPort; dynamodb: DynamoDbPort; firehose: FirehosePort; kinesis: KinesisPort; ec2: Ec2Port
    cloudtrail: CloudTrailPort
    autoscaling: AutoScalingPort
  }
  /**
   * What the gateway reports each successful call to: CloudTrail's event history and trails, and the
   * "AWS API Call via CloudTrail" events on EventBridge (cloudtrail/api-calls.ts).
   */
  onApiCall: (call: ApiCall) => void
  /** Which account a key Nimbus issued acts in (IAM users' and STS sessions' keys): the gateway asks it. */
  accessKeys: AccessKeyDirectory
  /**
   * Once Nimbus listens: services with stored work that runs unasked load now instead of on first
   * use (Lambda with stored event source mappings: they poll their queues again).
   */
  resume(): void
  /** The lazy services' ports once loaded, else undefined: for hot paths with nothing to do for a service never used. */
  loadedPorts: { logs: () => LogsPort | undefined; eventbridge: () => EventBridgePort | undefined; s3: () => S3Port | undefined }
  /** The delivery fabric every cross-service delivery goes through, with its trace log. */
  fabric: Fabric
  /** Before services stop: their pending deliveries' rows stay for the next start (a no-op in memory). */
  keepPendingDeliveries(): void
}

export interface ServiceDeps {
  clock: Clock
  /**
   * A temporary folder of Nimbus's own (removed on stop): Lambda's deployment packages live here
   * without a data dir, under `<dataDir>/lambda` with one.
   */
  workDir: string
  /** Runs Lambda functions; the composition root owns it (it needs Nimbus's endpoint). */
  lambdaRuntime: LambdaRuntimeApi
  log: (line: string) => void
  /** Nimbus's base URL once it listens (SNS's signing-certificate and confirmation URLs). */
  endpoint: () => string
  /** When given, S3 keeps object bodies in files under `<dataDir>/s3`; else in memory. */
  dataDir?: string
  /** CloudWatch Logs' in-memory bound per log group (bytes of messages). */
  maxLogGroupBytes?: number
  /** The persistence layer (a no-op in memory); durable services read their state back from it at creation. */
  persistence?: Persistence
  /** `--enforce-iam`: STS checks trust policies (the gateway checks identity policies). */
  enforceIam?: boolean
  /** Nimbus's `seed` option: EC2's launch ids come from it instead of at random. */
  seed?: string
  /** The hop trace log (the composition root makes it, sharing its numbering with the API-call log); default 10,000 hops. */
  trace?: TraceLog
  /** AWS API calls through the gateway's pipeline, in process (API Gateway's AWS service integrations). */
  awsCall?: InProcessAwsCall
  /** API Gateway's account-level throttle limits (default AWS's 10,000/s, bursts of 5,000). */
  apiGatewayAccountThrottle?: ThrottleLimits
  /** Firehose's Direct PUT quota for every Region (default AWS's per-Region quota). */
  firehoseDirectPutQuota?: { recordsPerSecond: number; requestsPerSecond: number; mibPerSecond: number }
}

export function createServices(deps: ServiceDeps): Services {
  // A queue's or function's metrics gaining a minute re-plans CloudWatch's alarms on them (once it is loaded).
  const metricsChanged = (namespace: string) => (account: string, region: string) =>
    cloudwatch.loadedPort()?.sourceChanged(account, region, namespace, true)
  const trace = deps.trace ?? new TraceLog()
  const sqs = createSqs({ clock: deps.clock, persistence: deps.persistence, metricsChanged: metricsChanged('AWS/SQS'), trace })
  // One dispatcher by ARN for every service. Each registers as a target kind here, through the
  // stand-in ports: delivering to a service loads it, registering does not.
  const fabric = new Fabric({ clock: deps.clock, log: deps.log, trace })
  // With a data dir, deliveries waiting for their attempt or retry are rows too (re-armed in resume()).
  const storedDeliveries = deps.persistence === undefined ? undefined : storeDeliveries(fabric, deps.persistence, deps.log)
  // Every service but SQS loads on first use (lazy.ts): a request for it or a call on its port.
  // By then every service they call exists. Listening to log appends (Nimbus's console does, at
  // start) doesn't load Logs: the channel is ours. A bad --data-dir still fails at start, not on first use.
  const logsAppended = new EventChannel<LogEventsAppended>()
  const logs = lazyService(logsDescriptor, () => requireModule<typeof import('./logs/index.ts')>('./logs/index')
    .createLogs({ clock: deps.clock, appended: logsAppended, maxGroupBytes: deps.maxLogGroupBytes, persistence: deps.persistence,
      // Subscription filters deliver through the fabric; Lambda destinations are checked through its port
      // (under --enforce-iam, their permission for logs.amazonaws.com too).
      fabric, lambda: lambda.port, enforceIam: deps.enforceIam,
      // Metric filters' values go into CloudWatch (loading it: only a group with a metric filter publishes).
      publishMetrics: (account, region, namespace, data) => cloudwatch.port.publish(account, region, namespace, data),
      metricsChanged: metricsChanged('AWS/Logs') }), { onAppended: (listener) => logsAppended.on(listener) })
  // IAM and STS list the keys they issue in one directory the gateway (and S3's bucket policies) read (core/access-keys.ts).
  const accessKeys = new AccessKeyDirectory()
  const s3DataDir = deps.dataDir === undefined ? undefined : join(deps.dataDir, 's3')
  if (s3DataDir !== undefined) mkdirSync(s3DataDir, { recursive: true })
  const s3 = lazyService(s3Descriptor, () => requireModule<typeof import('./s3/index.ts')>('./s3/index').createS3({
    clock: deps.clock, dataDir: s3DataDir, persistence: deps.persistence, accessKeys, metricsChanged: metricsChanged('AWS/S3'),
    notify: { sqs: sqs.port, sns: sns.port, lambda: lambda.port, fabric, log: deps.log, enforceIam: deps.enforceIam },
  }))
  const kinesisDir = deps.dataDir === undefined ? undefined : join(deps.dataDir, 'kinesis')
  const kinesis = lazyService(kinesisDescriptor, () => requireModule<typeof import('./kinesis/index.ts')>('./kinesis/index')
    .createKinesis({ clock: deps.clock, persistence: deps.persistence, recordsDir: kinesisDir, metricsChanged: metricsChanged('AWS/Kinesis'),
      enforceIam: deps.enforceIam, accessKeys }))
  // DynamoDB writes exports through S3's port and streaming destinations' records through Kinesis's;
  // Lambda's stream mappings read its streams through its port.
  const dynamodb = lazyService(dynamodbDescriptor, () => requireModule<typeof import('./dynamodb/index.ts')>('./dynamodb/index')
    .createDynamoDb({ clock: deps.clock, persistence: deps.persistence, s3: s3.port, kinesis: kinesis.port, metricsChanged: metricsChanged('AWS/DynamoDB') }))
  // Lambda (its control plane; functions' processes were already lazy) and SNS load on first use too:
  // only SQS is loaded at start. Each reaches the others through their stand-in ports.
  const lambda: LazyService<LambdaPort> = lazyService(lambdaDescriptor, () => requireModule<typeof import('./lambda/index.ts')>(
    './lambda/index').createLambda({
    clock: deps.clock, runtime: deps.lambdaRuntime, sqs: sqs.port, metricsChanged: metricsChanged('AWS/Lambda'), kinesis: kinesis.port, dynamodb: dynamodb.port, log: deps.log, workDir: join(deps.dataDir ?? deps.workDir, 'lambda'),
    persistence: deps.persistence, fabric,
    s3Code: (bucket, key, version) => s3.port.getObject(bucket, key, version).body,
  }))
  const sns: LazyService<SnsPort> = lazyService(snsDescriptor, () => requireModule<typeof import('./sns/index.ts')>(
    './sns/index').createSns({
    clock: deps.clock, fabric, log: deps.log, endpoint: deps.endpoint, persistence: deps.persistence, metricsChanged: metricsChanged('AWS/SNS'),
  }))
  const eventbridge = lazyService(eventBridgeDescriptor, () => requireModule<typeof import('./eventbridge/index.ts')>('./eventbridge/index')
    .createEventBridge({ clock: deps.clock, fabric, log: deps.log, persistence: deps.persistence, metricsChanged: metricsChanged('AWS/Events') }))
  // Services that register senders or hooks when they load: a delivery restored before then loads its owner.
  fabric.registerLoader('sns', () => sns.service.definition())
  fabric.registerLoader('lambda', () => lambda.service.definition())
  fabric.registerLoader('events', () => eventbridge.service.definition())
  fabric.registerLoader('s3', () => s3.service.definition())
  fabric.registerLoader('logs', () => logs.service.definition())
  // Firehose writes its objects through S3's port (as the bucket's owner), transforms records with Lambda's,
  // reads KinesisStreamAsSource streams' sources through Kinesis's and logs delivery errors through Logs'.
  const firehose = lazyService(firehoseDescriptor, () => requireModule<typeof import('./firehose/index.ts')>('./firehose/index')
    .createFirehose({ clock: deps.clock, s3: s3.port, lambda: lambda.port, kinesis: kinesis.port, logs: logs.port, log: deps.log, persistence: deps.persistence,
      metricsChanged: metricsChanged('AWS/Firehose'), directPutQuota: deps.firehoseDirectPutQuota }))
  registerTargetKinds(fabric, { sqs: sqs.port, sns: sns.port, lambda: lambda.port, eventbridge: eventbridge.port, logs: logs.port,
    firehose: firehose.port, kinesis: kinesis.port, s3: s3.port }, deps.clock)
  // With stored rows IAM and STS load at start (resume), so stored keys resolve from the first request on.
  const iam: LazyService<IamPort> = lazyService(iamDescriptor, () => requireModule<typeof import('./iam/index.ts')>('./iam/index')
    .createIam({ clock: deps.clock, accessKeys, persistence: deps.persistence }))
  const sts = lazyService(stsDescriptor, () => requireModule<typeof import('./sts/index.ts')>('./sts/index')
    .createSts({ clock: deps.clock, accessKeys, iam: iam.port, persistence: deps.persistence, enforceIam: deps.enforceIam }))
  // CloudWatch: metrics and alarms; its alarms' actions reach SNS, Lambda and EventBridge through the fabric.
  // It reads AWS/EC2 from EC2's instances (a metric source: only once EC2 is loaded — no instances
  // before) and runs alarms' EC2 actions through EC2's port; EC2 tells it when an instance changes.
  // AWS/SQS and AWS/Lambda come from the queues' and functions' in-memory logs (Lambda's only once loaded).
  // The others likewise come from each service once it is loaded (no queues, buckets, tables… before):
  // AWS/S3 buckets' request (where configured) and daily storage metrics, AWS/AutoScaling the groups'
  // collected metrics, AWS/DynamoDB the tables' counters.
  const sources: MetricSource[] = [lazySource('AWS/EC2', () => ec2.loadedPort()), sqs.port.metrics, lazySource('AWS/Lambda', () => lambda.loadedPort()),
    lazySource('AWS/SNS', () => sns.loadedPort()), lazySource('AWS/Events', () => eventbridge.loadedPort()),
    lazySource('AWS/AutoScaling', () => autoscaling.loadedPort()), lazySource('AWS/S3', () => s3.loadedPort()),
    lazySource('AWS/Kinesis', () => kinesis.loadedPort()), lazySource('AWS/DynamoDB', () => dynamodb.loadedPort()),
    lazySource('AWS/Firehose', () => firehose.loadedPort()), lazySource('AWS/Logs', () => logs.loadedPort()),
    // AWS/ApiGateway: REST APIs' series (ApiName) and HTTP APIs' (ApiId); the stage cache's
    // CacheHitCount/CacheMissCount are stored datapoints of the same namespace.
    lazySource('AWS/ApiGateway', () => apigateway.loadedPort(), () => apigatewayv2.loadedPort())]
  const cloudwatch: LazyService<CloudWatchPort> = lazyService(cloudWatchDescriptor, () => requireModule<typeof import('./cloudwatch/index.ts')>('./cloudwatch/index')
    .createCloudWatch({ clock: deps.clock, fabric, persistence: deps.persistence, sources, ec2: ec2.port,
      // Alarms' scaling policy actions run through Auto Scaling's port (loading it: only alarms that have such actions call it).
      autoscaling: autoscaling.port }))
  // S3 Control changes what S3 keeps and enforces (account-level Block Public Access, access points) through its port.
  const s3control = lazyService(s3ControlDescriptor, () => requireModule<typeof import('./s3control/index.ts')>('./s3control/index')
    .createS3Control({ s3: s3.port }))
  // DynamoDB Streams reads DynamoDB's streams through its port (stateless itself).
  const dynamodbStreams = lazyService(dynamodbStreamsDescriptor, () => requireModule<typeof import('./dynamodbstreams/index.ts')>('./dynamodbstreams/index')
    .createDynamoDbStreams({ dynamodb: dynamodb.port }))
  // API Gateway's AWS_PROXY and AWS Lambda integrations invoke functions through Lambda's port (loading
  // Lambda then); its AWS service integrations (Kinesis, SQS, S3…) call those services in process.
  // HTTP APIs (apigatewayv2) sign as `apigateway` too (told apart by `/v2/` paths); their invoke
  // URLs share the execute-api hosts API Gateway claims, which hands them on once apigatewayv2 is loaded.
  // One account-level throttle for REST and HTTP APIs alike (AWS's quota spans both).
  const apiAccountThrottle = new ApiAccountThrottle(deps.apiGatewayAccountThrottle)
  const apigatewayv2 = lazyService(apiGatewayV2Descriptor, () => requireModule<typeof import('./apigatewayv2/index.ts')>('./apigatewayv2/index')
    .createApiGatewayV2({ clock: deps.clock, lambda: lambda.port, log: deps.log, persistence: deps.persistence, awsCall: deps.awsCall, logs: logs.port,
      accountThrottle: apiAccountThrottle, restApis: () => apigateway.port, enforceIam: deps.enforceIam, firehose: firehose.port,
      metricsChanged: metricsChanged('AWS/ApiGateway') }))
  const apigateway: LazyService<ApiGatewayPort> = lazyService(apiGatewayDescriptor, () => requireModule<typeof import('./apigateway/index.ts')>('./apigateway/index')
    .createApiGateway({ clock: deps.clock, lambda: lambda.port, log: deps.log, persistence: deps.persistence, httpApis: apigatewayv2.loadedPort,
      awsCall: deps.awsCall, cloudwatch: cloudwatch.port, logs: logs.port, accountThrottle: apiAccountThrottle, enforceIam: deps.enforceIam, firehose: firehose.port,
      metricsChanged: metricsChanged('AWS/ApiGateway') }))
  // The @connections management API (signed `execute-api`) works on apigatewayv2's open WebSocket connections.
  const apigatewaymanagementapi = lazyService(apiGatewayManagementDescriptor, () => requireModule<typeof import('./apigatewaymanagementapi/index.ts')>('./apigatewaymanagementapi/index')
    .createApiGatewayManagement({ webSocketApis: apigatewayv2.loadedPort }))
  const ec2: LazyService<Ec2Port> = lazyService(ec2Descriptor, () => requireModule<typeof import('./ec2/index.ts')>('./ec2/index')
    .createEc2({ clock: deps.clock, persistence: deps.persistence, fabric, idSeed: deps.seed,
      // Process-backed instances run their user data under the work dir, reaching Nimbus and IAM's profiles;
      // their IMDS asks Auto Scaling for the target lifecycle state (only once it is loaded: no groups before).
      processes: { workDir: join(deps.workDir, 'instances'), endpoint: deps.endpoint, log: deps.log, accessKeys,
        lifecycleState: (account, region, id) => autoscaling.loadedPort()?.targetLifecycleState(account, region, id) },
      instanceProfiles: (account, nameOrArn) => iam.port.instanceProfile(account, nameOrArn),
      instanceChanged: (account, region, instanceId, dimensions) => {
        cloudwatch.loadedPort()?.sourceChanged(account, region, 'AWS/EC2', false, dimensions)
        // Auto Scaling's health checks look again (only once it is loaded: no groups before).
        autoscaling.loadedPort()?.instancesChanged(account, region, instanceId)
      } }))
  // Event history records every management call from the start (CloudTrail's API loads on first use;
  // with stored trails at start). Its log files go to S3 through S3's port.
  const history = new EventHistory(() => deps.clock.now(), deps.persistence)
  const cloudtrailService = lazyService(cloudTrailDescriptor, () => requireModule<typeof import('./cloudtrail/index.ts')>('./cloudtrail/index')
    .createCloudTrail({ clock: deps.clock, s3: s3.port, history, persistence: deps.persistence }))
  // A reset empties event history even when CloudTrail's API was never used.
  const cloudtrail = { ...cloudtrailService, service: { ...cloudtrailService.service, reset: () => {
    history.reset()
    cloudtrailService.service.reset()
  } } }
  // Auto Scaling launches and terminates through EC2's port; notifications and events go through the fabric.
  const autoscaling: LazyService<AutoScalingPort> = lazyService(autoScalingDescriptor, () => requireModule<typeof import('./autoscaling/index.ts')>('./autoscaling/index')
    .createAutoScaling({ clock: deps.clock, ec2: ec2.port, fabric, persistence: deps.persistence, cloudwatch: cloudwatch.port,
      // A group's AWS/AutoScaling metrics changed: the alarms on them are re-planned (once CloudWatch is loaded).
      metricsChanged: (account, region, group) =>
        cloudwatch.loadedPort()?.sourceChanged(account, region, 'AWS/AutoScaling', false, [{ Name: 'AutoScalingGroupName', Value: group }]) }))
  return {
    fabric,
    onApiCall: cloudTrailApiCalls({ history, cloudtrail: cloudtrail.loadedPort, eventbridge: eventbridge.loadedPort, now: () => deps.clock.now() }),
    list: [eagerService(sqs.definition), logs.service, lambda.service, sns.service, eventbridge.service, s3.service, s3control.service, iam.service, sts.service,
      cloudwatch.service, dynamodb.service, dynamodbStreams.service, firehose.service, kinesis.service, apigateway.service, apigatewayv2.service, apigatewaymanagementapi.service, ec2.service, cloudtrail.service,
      autoscaling.service],
    ports: {
      sqs: sqs.port, logs: logs.port, lambda: lambda.port, sns: sns.port, eventbridge: eventbridge.port, s3: s3.port, iam: iam.port, sts: sts.port,
      cloudwatch: cloudwatch.port, dynamodb: dynamodb.port, firehose: firehose.port, kinesis: kinesis.port, ec2: ec2.port,
      cloudtrail: cloudtrail.port, autoscaling: autoscaling.port,
    },
    accessKeys,
    loadedPorts: { logs: logs.loadedPort, eventbridge: eventbridge.loadedPort, s3: s3.loadedPort },
    // A lazy service with stored state loads at start, once Nimbus listens (functions are given its
    // endpoint): its timers (schedules, replays, mappings' pollers) are re-armed from its rows, and a
    // reset reaches it to clear them. `<service>_` is its tables' prefix (docs/persistence.md).
    resume: () => {
      for (const { service } of [logs, lambda, sns, eventbridge, s3, iam, sts, cloudwatch, dynamodb, firehose, kinesis, apigateway, apigatewayv2, ec2, autoscaling]) {
        if (deps.persistence?.hasRows(`${service.descriptor.name}_`) === true) service.definition()
      }
      // Event history alone (cloudtrail_events) is Nimbus's own, loaded already: only trails load CloudTrail.
      if (deps.persistence?.hasRows('cloudtrail_trails') === true || deps.persistence?.hasRows('cloudtrail_pending') === true) {
        cloudtrail.service.definition()
      }
      storedDeliveries?.restore()
    },
    keepPendingDeliveries: () => storedDeliveries?.detach(),
  }
}

/**
 * A namespace's metric source read from lazily loaded services' ports: nothing until one is loaded
 * (a service that was never used has no metrics); several services may share a namespace.
 */
function lazySource(namespace: string, ...ports: (() => { metrics: MetricSource } | undefined)[]): MetricSource {
  return {
    namespace,
    find: (account, region, name, dimensions) => {
      for (const port of ports) {
        const found = port()?.metrics.find(account, region, name, dimensions)
        if (found !== undefined) return found
      }
      return undefined
    },
    list: (account, region) => ports.flatMap((port) => port()?.metrics.list(account, region) ?? []),
  }
}
