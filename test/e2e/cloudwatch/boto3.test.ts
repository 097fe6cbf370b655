// boto3 against CloudWatch twice: as installed (botocore 1.43 picks awsJson 1.0 from the model's
// protocols) and forced onto the query protocol with a copy of its own model that lists only
// `query` (AWS_DATA_PATH), as older botocore and the AWS CLI v1 of that era send it.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { gunzipSync } from 'node:zlib'
import { useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const run = promisify(execFile)
const dataPath = mkdtempSync(join(tmpdir(), 'nimbus-botocore-query-'))
after(() => rmSync(dataPath, { recursive: true, force: true }))

/** botocore's CloudWatch model, rewritten to speak query only. */
async function queryModel(): Promise<void> {
  const { stdout } = await run('python3', ['-c', 'import botocore,os;print(os.path.dirname(botocore.__file__))'])
  const model = JSON.parse(gunzipSync(readFileSync(join(stdout.trim(), 'data/cloudwatch/2010-08-01/service-2.json.gz'))).toString('utf8'))
  model.metadata.protocol = 'query'
  model.metadata.protocols = ['query']
  mkdirSync(join(dataPath, 'cloudwatch/2010-08-01'), { recursive: true })
  writeFileSync(join(dataPath, 'cloudwatch/2010-08-01/service-2.json'), JSON.stringify(model))
}

const script = `
import boto3, botocore, datetime, json, sys
c = boto3.client('cloudwatch', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='t', aws_secret_access_key='t')
ns = sys.argv[2]
now = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0) - datetime.timedelta(minutes=5)
c.put_metric_data(Namespace=ns, MetricData=[{'MetricName': 'Orders', 'Dimensions': [{'Name': 'Shop', 'Value': 'x'}],
  'Values': [10, 20, 30], 'Counts': [1, 1, 2], 'Timestamp': now}])
s = c.get_metric_statistics(Namespace=ns, MetricName='Orders', Dimensions=[{'Name': 'Shop', 'Value': 'x'}], StartTime=now,
  EndTime=now + datetime.timedelta(minutes=1), Period=60, Statistics=['Sum', 'Maximum'], ExtendedStatistics=['p50'])
d = s['Datapoints'][0]
c.put_metric_alarm(AlarmName=ns + '-alarm', Namespace=ns, MetricName='Orders', Statistic='Sum', Period=60, EvaluationPeriods=2,
  DatapointsToAlarm=1, Threshold=50, ComparisonOperator='GreaterThanThreshold', Tags=[{'Key': 'k', 'Value': 'v'}])
a = c.describe_alarms(AlarmNames=[ns + '-alarm'])['MetricAlarms'][0]
try:
  c.put_metric_data(Namespace=ns, MetricData=[{'MetricName': 'x', 'Value': 1, 'StatisticValues': {'SampleCount': 1, 'Sum': 1, 'Minimum': 1, 'Maximum': 1}}])
  err = None
except botocore.exceptions.ClientError as e:
  err = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
print(json.dumps({'protocol': getattr(c.meta.service_model, 'resolved_protocol', c.meta.service_model.protocol), 'sum': d['Sum'], 'max': d['Maximum'], 'p50': d['ExtendedStatistics']['p50'],
  'alarm': [a['AlarmName'] == ns + '-alarm', a['StateValue'], a['DatapointsToAlarm']], 'error': err}))
`

describe('CloudWatch with boto3', () => {
  for (const protocol of ['json', 'query'] as const) {
    it(`puts, reads statistics, creates and describes an alarm, and reads an error over ${protocol}`, async () => {
      if (protocol === 'query') await queryModel()
      const env = { ...process.env, ...(protocol === 'query' && { AWS_DATA_PATH: dataPath }) }
      const { stdout } = await run('python3', ['-c', script, nimbus.current.endpoint, `boto-${protocol}-${process.pid}`], { env })
      assert.deepEqual(JSON.parse(stdout), {
        protocol, sum: 90, max: 30, p50: 20, alarm: [true, 'INSUFFICIENT_DATA', 1], error: ['InvalidParameterCombination', 400],
      })
    })
  }
})
