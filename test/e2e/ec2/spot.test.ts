// The Spot market and Spot requests with @aws-sdk/client-ec2: a seeded price history moving on the
// clock, RequestSpotInstances fulfilled or left open at a low price, RunInstances' spot market
// option, cancellation, and interruptions — from the hook and from the market — with their
// 2-minute notice and AWS's EventBridge events.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CancelSpotInstanceRequestsCommand, DescribeImagesCommand, DescribeInstancesCommand, DescribeSpotInstanceRequestsCommand,
  DescribeSpotPriceHistoryCommand, EC2Client, EC2ServiceException, RequestSpotInstancesCommand, RunInstancesCommand, TerminateInstancesCommand,
} from '@aws-sdk/client-ec2'
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge'
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { advance, testCredentials, useNimbus } from '../../helpers/nimbus.ts'
import { jsonHeaders, rawRequest } from '../../helpers/raw-http.ts'

const nimbus = useNimbus()
const region = 'us-west-2'
const ec2 = () => new EC2Client({ endpoint: nimbus.current.endpoint, region, credentials: testCredentials })
const hook = (path: string, body: unknown = {}) =>
  rawRequest(nimbus.current.endpoint, { method: 'POST', path: `/_nimbus/ec2/${path}`, headers: jsonHeaders, body: JSON.stringify(body) })

async function rejects(promise: Promise<unknown>, code: string, message?: string | RegExp): Promise<void> {
  await assert.rejects(promise, (error: EC2ServiceException) => {
    assert.equal(error.name, code)
    if (typeof message === 'string') assert.equal(error.message, message)
    else if (message !== undefined) assert.match(error.message, message)
    return true
  })
}

async function image(): Promise<string> {
  const { Images } = await ec2().send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023*-x86_64'] }] }))
  return Images![0]!.ImageId!
}

/** A queue receiving aws.ec2 events from the default bus. */
async function ec2Events(): Promise<() => Promise<{ 'detail-type': string; resources: string[]; detail: Record<string, string>; time: string }[]>> {
  const sqs = new SQSClient({ endpoint: nimbus.current.endpoint, region, credentials: testCredentials })
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'spot-events' }))
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))
  const eb = new EventBridgeClient({ endpoint: nimbus.current.endpoint, region, credentials: testCredentials })
  await eb.send(new PutRuleCommand({ Name: 'spot', EventPattern: JSON.stringify({ source: ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning', 'EC2 Instance Rebalance Recommendation'] }) }))
  await eb.send(new PutTargetsCommand({ Rule: 'spot', Targets: [{ Id: 'q', Arn: Attributes!.QueueArn }] }))
  return async () => ((await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages ?? [])
    .map((m) => JSON.parse(m.Body!) as { 'detail-type': string; resources: string[]; detail: Record<string, string>; time: string })
}

describe('EC2 Spot', () => {
  it('prices move on the clock, the same at every run; history lists each change', async () => {
    const now = () => nimbus.current.clock.now()
    const current = await ec2().send(new DescribeSpotPriceHistoryCommand({ InstanceTypes: ['c5.large'], AvailabilityZone: 'us-west-2a' }))
    assert.equal(current.SpotPriceHistory!.length, 1)
    const price = Number(current.SpotPriceHistory![0]!.SpotPrice)
    assert.ok(price > 0.085 * 0.25 && price < 0.085 * 0.7, `${price}`)
    assert.match(current.SpotPriceHistory![0]!.SpotPrice!, /^0\.\d{6}$/)
    assert.equal(current.SpotPriceHistory![0]!.ProductDescription, 'Linux/UNIX')
    assert.equal(nimbus.current.services.ec2.spotPrice(region, 'us-west-2a', 'c5.large'), price)

    const start = now()
    await advance(nimbus.current, 6 * 3_600_000)
    const history = await ec2().send(new DescribeSpotPriceHistoryCommand({ InstanceTypes: ['c5.large'], AvailabilityZone: 'us-west-2a',
      StartTime: new Date(start), EndTime: new Date(now()) }))
    const times = history.SpotPriceHistory!.map((p) => p.Timestamp!.getTime())
    assert.equal(times.length, 7) // the price at the start and one change per hour
    assert.deepEqual(times, [...times].sort((a, b) => b - a)) // newest first
    assert.equal(Number(history.SpotPriceHistory!.at(-1)!.SpotPrice), price)
    const zones = await ec2().send(new DescribeSpotPriceHistoryCommand({ InstanceTypes: ['m5.large', 'c5.large'], Filters: [{ Name: 'availability-zone', Values: ['us-west-2b'] }] }))
    assert.deepEqual(zones.SpotPriceHistory!.map((p) => [p.InstanceType, p.AvailabilityZone]), [['m5.large', 'us-west-2b'], ['c5.large', 'us-west-2b']])
  })

  it('RequestSpotInstances: fulfilled at once, or open at a low price until the market comes down; cancel', async () => {
    const ImageId = await image()
    const { SpotInstanceRequests } = await ec2().send(new RequestSpotInstancesCommand({ InstanceCount: 2, SpotPrice: '0.09',
      LaunchSpecification: { ImageId, InstanceType: 'c5.large', Placement: { AvailabilityZone: 'us-west-2c' } },
      TagSpecifications: [{ ResourceType: 'spot-instances-request', Tags: [{ Key: 'job', Value: 'batch' }] }] }))
    assert.equal(SpotInstanceRequests!.length, 2)
    assert.match(SpotInstanceRequests![0]!.SpotInstanceRequestId!, /^sir-[0-9a-z]{8}$/)
    assert.deepEqual([SpotInstanceRequests![0]!.State, SpotInstanceRequests![0]!.Status!.Code], ['open', 'pending-evaluation'])
    const ids = SpotInstanceRequests!.map((r) => r.SpotInstanceRequestId!)
    const described = await ec2().send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: ids }))
    const r = described.SpotInstanceRequests![0]!
    assert.deepEqual([r.State, r.Status!.Code, r.Status!.Message, r.SpotPrice, r.LaunchedAvailabilityZone, r.Type],
      ['active', 'fulfilled', 'Your spot request is fulfilled.', '0.09', 'us-west-2c', 'one-time'])
    assert.deepEqual(r.Tags, [{ Key: 'job', Value: 'batch' }])
    const { Reservations } = await ec2().send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-lifecycle', Values: ['spot'] }] }))
    const instance = Reservations!.flatMap((x) => x.Instances!).find((i) => i.InstanceId === r.InstanceId)!
    assert.deepEqual([instance.InstanceLifecycle, instance.SpotInstanceRequestId, instance.Placement!.AvailabilityZone], ['spot', r.SpotInstanceRequestId, 'us-west-2c'])

    // A price below the market stays open, and is fulfilled once the pool's price is pinned below it.
    const low = (await ec2().send(new RequestSpotInstancesCommand({ SpotPrice: '0.001',
      LaunchSpecification: { ImageId, InstanceType: 'm5.large', Placement: { AvailabilityZone: 'us-west-2a' } } }))).SpotInstanceRequests![0]
    const lowId = low!.SpotInstanceRequestId!
    const pending = (await ec2().send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [lowId] }))).SpotInstanceRequests![0]!
    assert.equal(pending.State, 'open')
    assert.equal(pending.Status!.Code, 'price-too-low')
    assert.match(pending.Status!.Message!, /^Your Spot request price of 0\.001 is lower than the minimum required Spot request fulfillment price of 0\.\d{6}\.$/)
    assert.equal((await hook('spot/prices', { availabilityZone: 'us-west-2a', instanceType: 'm5.large', price: 0.0008 })).status, 200)
    const filled = (await ec2().send(new DescribeSpotInstanceRequestsCommand({ Filters: [{ Name: 'spot-instance-request-id', Values: [lowId] }] }))).SpotInstanceRequests![0]!
    assert.deepEqual([filled.State, filled.Status!.Code], ['active', 'fulfilled'])

    const cancelled = await ec2().send(new CancelSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [lowId] }))
    assert.deepEqual(cancelled.CancelledSpotInstanceRequests, [{ SpotInstanceRequestId: lowId, State: 'cancelled' }])
    const after = (await ec2().send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [lowId] }))).SpotInstanceRequests![0]!
    assert.equal(after.Status!.Code, 'request-canceled-and-instance-running')

    // The user terminates a one-time request's instance: the request closes.
    await ec2().send(new TerminateInstancesCommand({ InstanceIds: [r.InstanceId!] }))
    const closed = (await ec2().send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [ids[0]!] }))).SpotInstanceRequests![0]!
    assert.deepEqual([closed.State, closed.Status!.Code], ['closed', 'instance-terminated-by-user'])

    await rejects(ec2().send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: ['sir-00000000'] })),
      'InvalidSpotInstanceRequestID.NotFound', 'The spot instance request ID \'sir-00000000\' does not exist')
    await rejects(ec2().send(new CancelSpotInstanceRequestsCommand({ SpotInstanceRequestIds: ['bogus'] })), 'InvalidSpotInstanceRequestID.Malformed')
  })

  it('RunInstances with the spot market option; too low a price and no capacity are AWS\'s errors', async () => {
    const ImageId = await image()
    const { Instances } = await ec2().send(new RunInstancesCommand({ ImageId, InstanceType: 't3.micro', MinCount: 2, MaxCount: 2,
      InstanceMarketOptions: { MarketType: 'spot', SpotOptions: { MaxPrice: '0.01' } } }))
    assert.ok(Instances!.every((i) => i.InstanceLifecycle === 'spot' && /^sir-/.test(i.SpotInstanceRequestId!)))
    assert.notEqual(Instances![0]!.SpotInstanceRequestId, Instances![1]!.SpotInstanceRequestId)
    await rejects(ec2().send(new RunInstancesCommand({ ImageId, InstanceType: 'c5.large', MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: 'us-west-2b' },
      InstanceMarketOptions: { MarketType: 'spot', SpotOptions: { MaxPrice: '0.0001' } } })),
    'SpotMaxPriceTooLow', /^Your Spot request price of 0\.0001 is lower than the minimum required Spot request fulfillment price of 0\.\d{6}\.$/)
    await hook('spot/prices', { availabilityZone: 'us-west-2b', instanceType: 'c5.xlarge', capacity: 1 })
    await ec2().send(new RunInstancesCommand({ ImageId, InstanceType: 'c5.xlarge', MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: 'us-west-2b' },
      InstanceMarketOptions: { MarketType: 'spot' } }))
    await rejects(ec2().send(new RunInstancesCommand({ ImageId, InstanceType: 'c5.xlarge', MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: 'us-west-2b' },
      InstanceMarketOptions: { MarketType: 'spot' } })), 'InsufficientInstanceCapacity', 'There is no Spot capacity available that matches your request.')
  })

  it('interruptions: the hook and the market give the notice and AWS\'s events; the instance goes 2 minutes later', async () => {
    const received = await ec2Events()
    const ImageId = await image()
    const run = async (max: string) => (await ec2().send(new RunInstancesCommand({ ImageId, InstanceType: 'm5.large', MinCount: 1, MaxCount: 1,
      Placement: { AvailabilityZone: 'us-west-2d' }, InstanceMarketOptions: { MarketType: 'spot', SpotOptions: { MaxPrice: max } } }))).Instances![0]!
    const byHook = await run('0.09')
    const answer = await hook(`instances/${byHook.InstanceId}/interrupt`)
    assert.equal(answer.status, 200)
    const noticeAt = nimbus.current.clock.now()
    assert.deepEqual(JSON.parse(answer.body), { instanceId: byHook.InstanceId, action: 'terminate',
      noticeAt: new Date(noticeAt).toISOString(), interruptAt: new Date(noticeAt + 120_000).toISOString() })
    await advance(nimbus.current, 1)
    const events = await received()
    assert.deepEqual(events.map((e) => e['detail-type']).sort(), ['EC2 Instance Rebalance Recommendation', 'EC2 Spot Instance Interruption Warning'])
    const warning = events.find((e) => e['detail-type'] === 'EC2 Spot Instance Interruption Warning')!
    assert.deepEqual(warning.detail, { 'instance-id': byHook.InstanceId, 'instance-action': 'terminate' })
    assert.deepEqual(warning.resources, [`arn:aws:ec2:${region}:000000000000:instance/${byHook.InstanceId}`])
    const state = async (id: string) => (await ec2().send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!
    await advance(nimbus.current, 119_000)
    assert.equal((await state(byHook.InstanceId!)).State!.Name, 'running')
    await advance(nimbus.current, 1_000)
    const gone = await state(byHook.InstanceId!)
    assert.equal(gone.State!.Name, 'shutting-down')
    await advance(nimbus.current, 10_000)
    const ended = await state(byHook.InstanceId!)
    assert.deepEqual([ended.State!.Name, ended.StateReason!.Code], ['terminated', 'Server.SpotInstanceTermination'])
    const request = (await ec2().send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [byHook.SpotInstanceRequestId!] }))).SpotInstanceRequests![0]!
    assert.deepEqual([request.State, request.Status!.Code], ['closed', 'instance-terminated-no-capacity'])

    // The market: the pool's price rises above this instance's maximum.
    await hook('spot/prices', { availabilityZone: 'us-west-2d', instanceType: 'm5.large', price: 0.04 })
    const byPrice = await run('0.05')
    const signals: string[] = []
    nimbus.current.services.ec2.onSpotSignal((s) => signals.push(`${s.kind}:${s.instanceId}`))
    await advance(nimbus.current, 60_000)
    await hook('spot/prices', { availabilityZone: 'us-west-2d', instanceType: 'm5.large', price: '0.07' })
    await advance(nimbus.current, 1)
    assert.deepEqual(signals, [`rebalance:${byPrice.InstanceId}`, `interruption:${byPrice.InstanceId}`])
    await advance(nimbus.current, 120_000)
    assert.equal((await state(byPrice.InstanceId!)).State!.Name, 'shutting-down')
    const priced = (await ec2().send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [byPrice.SpotInstanceRequestId!] }))).SpotInstanceRequests![0]!
    assert.equal(priced.Status!.Code, 'instance-terminated-by-price')

    assert.equal((await hook('spot/interrupt', { instanceId: 'i-0123456789abcdef0' })).status, 404)
    const onDemand = (await ec2().send(new RunInstancesCommand({ ImageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }))).Instances![0]!
    assert.equal((await hook('spot/interrupt', { instanceId: onDemand.InstanceId })).status, 400)
  })
})
