// CreateEventSourceMapping/UpdateEventSourceMapping with a Kinesis stream, fed the bad inputs Lambda's
// API reference documents: the model's ranges and enums answer Coral's ValidationException before the
// function or the stream is looked up; the stream settings' own rules InvalidParameterValueException;
// a second mapping of the same stream and function ResourceConflictException (409).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateEventSourceMappingCommand, type CreateEventSourceMappingCommandInput, GetEventSourceMappingCommand, ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda'
import { runBoto3 } from '../../helpers/boto3.ts'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const lambda = () => lambdaClient(nimbus.current)
const mapping = (input: CreateEventSourceMappingCommandInput) => lambda().send(new CreateEventSourceMappingCommand(input))
const v = (value: string, at: string, constraint: string) => `Value '${value}' at '${at}' failed to satisfy constraint: Member must ${constraint}`
const detected = (...problems: string[]) => `${problems.length} validation error${problems.length === 1 ? '' : 's'} detected: ${problems.join('; ')}`
const positions = 'satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]'

async function setup() {
  const stream = await activeStream(nimbus.current, kinesisClient(nimbus.current))
  const name = await createFunction(lambda(), 'exports.handler = async () => {}')
  return { arn: streamArn(stream), name, base: { FunctionName: name, EventSourceArn: streamArn(stream), StartingPosition: 'LATEST' as const } }
}

describe('CreateEventSourceMapping with a Kinesis stream: the model first', () => {
  it("refuses each member outside the model's range, and StartingPosition outside its enum (AWS's order of the values)", async () => {
    const { base } = await setup()
    const cases: Array<[Partial<CreateEventSourceMappingCommandInput>, string]> = [
      [{ BatchSize: 0 }, v('0', 'batchSize', 'have value greater than or equal to 1')],
      [{ BatchSize: 10_001 }, v('10001', 'batchSize', 'have value less than or equal to 10000')],
      [{ MaximumBatchingWindowInSeconds: 301 }, v('301', 'maximumBatchingWindowInSeconds', 'have value less than or equal to 300')],
      [{ MaximumBatchingWindowInSeconds: -1 }, v('-1', 'maximumBatchingWindowInSeconds', 'have value greater than or equal to 0')],
      [{ ParallelizationFactor: 0 }, v('0', 'parallelizationFactor', 'have value greater than or equal to 1')],
      [{ ParallelizationFactor: 11 }, v('11', 'parallelizationFactor', 'have value less than or equal to 10')],
      [{ MaximumRetryAttempts: -2 }, v('-2', 'maximumRetryAttempts', 'have value greater than or equal to -1')],
      [{ MaximumRetryAttempts: 10_001 }, v('10001', 'maximumRetryAttempts', 'have value less than or equal to 10000')],
      [{ MaximumRecordAgeInSeconds: 604_801 }, v('604801', 'maximumRecordAgeInSeconds', 'have value less than or equal to 604800')],
      [{ MaximumRecordAgeInSeconds: -2 }, v('-2', 'maximumRecordAgeInSeconds', 'have value greater than or equal to -1')],
      [{ TumblingWindowInSeconds: 901 }, v('901', 'tumblingWindowInSeconds', 'have value less than or equal to 900')],
      [{ StartingPosition: 'OLDEST' as never }, v('OLDEST', 'startingPosition', positions)],
      [{ StartingPosition: '' as never }, v('', 'startingPosition', positions)],
      [{ FunctionResponseTypes: ['Everything' as never] }, "Value '[Everything]' at 'functionResponseTypes' failed to satisfy constraint: " +
        'Member must satisfy constraint: [Member must satisfy enum value set: [ReportBatchItemFailures]]'],
      [{ FunctionResponseTypes: ['ReportBatchItemFailures', 'ReportBatchItemFailures'] },
        v('[ReportBatchItemFailures, ReportBatchItemFailures]', 'functionResponseTypes', 'have length less than or equal to 1')],
      [{ EventSourceArn: 'my-stream' }, v('my-stream', 'eventSourceArn',
        'satisfy regular expression pattern: arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)')],
    ]
    for (const [input, problem] of cases) {
      assert.deepEqual(await sdkError(mapping({ ...base, ...input })), { name: 'ValidationException', status: 400, message: detected(problem) },
        JSON.stringify(input))
    }
    // Several at once, in one message.
    assert.deepEqual(await sdkError(mapping({ ...base, BatchSize: 0, ParallelizationFactor: 11 })), { name: 'ValidationException', status: 400,
      message: detected(v('0', 'batchSize', 'have value greater than or equal to 1'), v('11', 'parallelizationFactor', 'have value less than or equal to 10')) })
    // Nothing was created by the refusals.
    assert.deepEqual((await lambda().send(new ListEventSourceMappingsCommand({ FunctionName: base.FunctionName }))).EventSourceMappings, [])
  })

  it('checks the model before it looks for the function or the stream', async () => {
    const { arn, name } = await setup()
    const noFunction = await sdkError(mapping({ FunctionName: 'no-such-function', EventSourceArn: arn, StartingPosition: 'LATEST', BatchSize: 0 }))
    assert.deepEqual(noFunction, { name: 'ValidationException', status: 400, message: detected(v('0', 'batchSize', 'have value greater than or equal to 1')) })
    const noStream = await sdkError(mapping({ FunctionName: name, EventSourceArn: `${arn}-gone`, StartingPosition: 'SOMEWHERE' as never }))
    assert.deepEqual(noStream, { name: 'ValidationException', status: 400, message: detected(v('SOMEWHERE', 'startingPosition', positions)) })
    // Well formed, they are the missing resources they name.
    const fn = await sdkError(mapping({ FunctionName: 'no-such-function', EventSourceArn: arn, StartingPosition: 'LATEST' }))
    assert.deepEqual([fn.name, fn.status], ['ResourceNotFoundException', 404])
    const stream = await sdkError(mapping({ FunctionName: name, EventSourceArn: `${arn}-gone`, StartingPosition: 'LATEST' }))
    assert.deepEqual(stream, { name: 'InvalidParameterValueException', status: 400, message: `Stream not found: ${arn}-gone` })
  })
})

describe("CreateEventSourceMapping with a Kinesis stream: the stream settings' rules", () => {
  it('answers InvalidParameterValueException for a missing StartingPosition, AT_TIMESTAMP without a time, an age under 60 s and bad destinations', async () => {
    const { base, name, arn } = await setup()
    assert.deepEqual(await sdkError(mapping({ FunctionName: name, EventSourceArn: arn })), { name: 'InvalidParameterValueException', status: 400,
      message: "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null." })
    assert.deepEqual(await sdkError(mapping({ ...base, StartingPosition: 'AT_TIMESTAMP' })), { name: 'InvalidParameterValueException', status: 400,
      message: 'StartingPositionTimestamp must be specified when StartingPosition is AT_TIMESTAMP.' })
    assert.deepEqual(await sdkError(mapping({ ...base, MaximumRecordAgeInSeconds: 59 })), { name: 'InvalidParameterValueException', status: 400,
      message: 'MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)' })
    assert.deepEqual(await sdkError(mapping({ ...base, DestinationConfig: { OnSuccess: { Destination: 'arn:aws:sqs:us-east-1:000000000000:q' } } })),
      { name: 'InvalidParameterValueException', status: 400, message: 'Unsupported DestinationConfig parameter for given event source mapping type.' })
    const table = 'arn:aws:dynamodb:us-east-1:000000000000:table/t'
    assert.deepEqual(await sdkError(mapping({ ...base, DestinationConfig: { OnFailure: { Destination: table } } })), { name: 'InvalidParameterValueException',
      status: 400, message: `The provided destination config DestinationConfig(onSuccess=null, onFailure=OnFailure(destination=${table})) is invalid.` })
    const filters = await sdkError(mapping({ ...base, FilterCriteria: { Filters: [{ Pattern: '{"data": ' }] } }))
    assert.deepEqual(filters, { name: 'InvalidParameterValueException', status: 400, message: 'Invalid filter pattern definition.' })
  })

  it('answers a second mapping of the same stream and function with the words AWS uses for stream sources', async () => {
    const { base, arn, name } = await setup()
    const first = await mapping(base)
    assert.deepEqual(await sdkError(mapping({ ...base, StartingPosition: 'TRIM_HORIZON' })), { name: 'ResourceConflictException', status: 409,
      message: `The event source arn (" ${arn} ") and function (" ${name} ") provided mapping already exists. ` +
        `Please update or delete the existing mapping with UUID ${first.UUID}` })
    // A bad request beside it is still refused as bad.
    assert.equal((await sdkError(mapping({ ...base, BatchSize: 0 }))).name, 'ValidationException')
  })
})

describe('UpdateEventSourceMapping and ListEventSourceMappings', () => {
  it('checks the same ranges on update, before the mapping is looked up, and changes nothing when it refuses', async () => {
    const { base } = await setup()
    const { UUID } = await mapping({ ...base, BatchSize: 10 })
    const update = (input: object) => lambda().send(new UpdateEventSourceMappingCommand({ UUID, ...input }))
    assert.deepEqual(await sdkError(update({ BatchSize: 10_001 })), { name: 'ValidationException', status: 400,
      message: detected(v('10001', 'batchSize', 'have value less than or equal to 10000')) })
    assert.deepEqual(await sdkError(update({ ParallelizationFactor: 11, TumblingWindowInSeconds: 901 })), { name: 'ValidationException', status: 400,
      message: detected(v('11', 'parallelizationFactor', 'have value less than or equal to 10'), v('901', 'tumblingWindowInSeconds', 'have value less than or equal to 900')) })
    assert.deepEqual(await sdkError(update({ MaximumRecordAgeInSeconds: 30 })), { name: 'InvalidParameterValueException', status: 400,
      message: 'MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)' })
    const unknown = '00000000-0000-0000-0000-000000000000'
    assert.deepEqual(await sdkError(lambda().send(new UpdateEventSourceMappingCommand({ UUID: unknown, BatchSize: 0 }))), { name: 'ValidationException',
      status: 400, message: detected(v('0', 'batchSize', 'have value greater than or equal to 1')) })
    assert.deepEqual(await sdkError(lambda().send(new UpdateEventSourceMappingCommand({ UUID: unknown, BatchSize: 5 }))), { name: 'ResourceNotFoundException',
      status: 404, message: 'The resource you requested does not exist.' })
    const got = await lambda().send(new GetEventSourceMappingCommand({ UUID }))
    assert.deepEqual([got.BatchSize, got.ParallelizationFactor, got.TumblingWindowInSeconds, got.MaximumRecordAgeInSeconds], [10, 1, 0, -1])
  })

  it("refuses MaxItems outside the model's 1–10,000", async () => {
    for (const [MaxItems, bound] of [[0, 'greater than or equal to 1'], [10_001, 'less than or equal to 10000']] as const) {
      assert.deepEqual(await sdkError(lambda().send(new ListEventSourceMappingsCommand({ MaxItems }))), { name: 'ValidationException', status: 400,
        message: detected(v(String(MaxItems), 'maxItems', `have value ${bound}`)) })
    }
  })

  it('answers boto3 the same', async () => {
    const { arn, name } = await setup()
    const out = await runBoto3(`
import sys, json, boto3, botocore
from botocore.config import Config
l = boto3.client('lambda', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='t', aws_secret_access_key='t',
                 config=Config(retries={'max_attempts': 1}, parameter_validation=False))
def answer(**kw):
    try:
        l.create_event_source_mapping(FunctionName=sys.argv[3], EventSourceArn=sys.argv[2], **kw); return 'ok'
    except botocore.exceptions.ClientError as e:
        return [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Message']]
print(json.dumps([answer(StartingPosition='NOW'), answer(), answer(StartingPosition='LATEST', ParallelizationFactor=0)]))`, nimbus.current.endpoint, arn, name)
    assert.deepEqual(JSON.parse(out), [
      ['ValidationException', 400, detected(v('NOW', 'startingPosition', positions))],
      ['InvalidParameterValueException', 400, "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null."],
      ['ValidationException', 400, detected(v('0', 'parallelizationFactor', 'have value greater than or equal to 1'))],
    ])
  })
})
