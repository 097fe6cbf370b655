// CloudWatch state across a restart on one data dir (in process): datapoints, alarms with their
// state and history, dashboards; a stored alarm keeps evaluating on the clock after the restart.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import {
  DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetDashboardCommand, GetMetricStatisticsCommand, PutDashboardCommand,
  PutMetricAlarmCommand, PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch'
import { startNimbus } from '../../../src/index.ts'
import { advanceTo, cloudWatchClient, minuteNow } from '../../helpers/cloudwatch.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-cloudwatch-durable-'))
after(() => rmSync(dataDir, { recursive: true, force: true }))
const minute = 60_000

describe('CloudWatch on a data dir', () => {
  it('keeps datapoints, alarms, history and dashboards, and evaluates stored alarms after a restart', async () => {
    const open = () => startNimbus({ port: 0, clock: 'manual', log: () => {}, dataDir })
    let nimbus = await open()
    let cw = cloudWatchClient(nimbus)
    const t = minuteNow(nimbus) + minute
    await cw.send(new PutMetricAlarmCommand({ AlarmName: 'cpu', Namespace: 'App', MetricName: 'CPU', Statistic: 'Average', Period: 60,
      EvaluationPeriods: 1, Threshold: 50, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' }))
    await cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'CPU', Value: 80, Timestamp: new Date(t) }] }))
    await cw.send(new PutDashboardCommand({ DashboardName: 'main', DashboardBody: '{"widgets":[]}' }))
    await advanceTo(nimbus, t + minute)
    const before = await cw.send(new DescribeAlarmsCommand({}))
    assert.equal(before.MetricAlarms![0]!.StateValue, 'ALARM')
    cw.destroy()
    await nimbus.stop()

    nimbus = await open()
    cw = cloudWatchClient(nimbus)
    const after = await cw.send(new DescribeAlarmsCommand({}))
    assert.deepEqual(after.MetricAlarms, before.MetricAlarms)
    const stats = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'App', MetricName: 'CPU', Period: 60,
      StartTime: new Date(t), EndTime: new Date(t + minute), Statistics: ['Maximum'] }))
    assert.equal(stats.Datapoints![0]!.Maximum, 80)
    assert.equal((await cw.send(new GetDashboardCommand({ DashboardName: 'main' }))).DashboardBody, '{"widgets":[]}')
    await advanceTo(nimbus, t + 2 * minute)
    assert.equal((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms![0]!.StateValue, 'OK')
    const history = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'cpu', HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending' }))
    assert.deepEqual(history.AlarmHistoryItems!.map((h) => h.HistorySummary), ['Alarm updated from INSUFFICIENT_DATA to OK', 'Alarm updated from OK to ALARM', 'Alarm updated from ALARM to OK'])
    cw.destroy()
    await nimbus.stop()
  })
})
