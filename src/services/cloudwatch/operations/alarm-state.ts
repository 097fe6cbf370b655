// SetAlarmState, EnableAlarmActions, DisableAlarmActions, DescribeAlarmHistory.
import type { OperationTable } from '../../service.ts'
import type { AlarmEngine } from '../alarm-engine.ts'
import { cloudWatchErrors } from '../errors.ts'
import type { CloudWatchOperations } from '../generated/types.ts'
import type { CloudWatchState } from '../store.ts'
import { checkEnum, checkLength, checkRange, ms, pageToken, readPageToken } from './common.ts'

type Ops = Pick<CloudWatchOperations, 'SetAlarmState' | 'EnableAlarmActions' | 'DisableAlarmActions' | 'DescribeAlarmHistory'>

export function alarmStateOperations(state: CloudWatchState, engine: AlarmEngine): OperationTable<Ops> {
  const setActions = (names: string[], enabled: boolean, account: string, regionName: string) => {
    const region = state.region(account, regionName)
    for (const name of names) {
      const alarm = region.alarms.get(name)
      if (alarm === undefined) continue
      alarm.config.actionsEnabled = enabled
      state.saveAlarm(alarm)
    }
    return undefined
  }
  return {
    /** The state holds until the next evaluation (a metric alarm's next minute), as on AWS. */
    SetAlarmState: (input, ctx) => {
      checkEnum(input.StateValue, 'stateValue', ['OK', 'ALARM', 'INSUFFICIENT_DATA'])
      checkLength(input.StateReason, 'stateReason', 0, 1023)
      if (input.StateReasonData !== undefined) {
        try {
          JSON.parse(input.StateReasonData)
        } catch {
          throw cloudWatchErrors.invalidFormat('Invalid JSON for the parameter StateReasonData.')
        }
      }
      const region = state.region(ctx.caller.account, ctx.caller.region)
      const alarm = region.alarms.get(input.AlarmName)
      if (alarm === undefined) throw cloudWatchErrors.alarmNotFound(input.AlarmName)
      const now = ctx.clock.now()
      engine.transition(region, alarm, { state: input.StateValue, reason: input.StateReason, reasonData: input.StateReasonData ?? '' }, now)
      if (alarm.config.kind === 'metric') engine.watch(alarm)
      return undefined
    },
    EnableAlarmActions: (input, ctx) => setActions(input.AlarmNames, true, ctx.caller.account, ctx.caller.region),
    DisableAlarmActions: (input, ctx) => setActions(input.AlarmNames, false, ctx.caller.account, ctx.caller.region),
    DescribeAlarmHistory: (input, ctx) => {
      checkRange(input.MaxRecords, 'maxRecords', 1, 100)
      checkEnum(input.HistoryItemType, 'historyItemType', ['ConfigurationUpdate', 'StateUpdate', 'Action'])
      checkEnum(input.ScanBy, 'scanBy', ['TimestampDescending', 'TimestampAscending'])
      // "If you omit this parameter, only metric alarms are returned" (API reference).
      const types = input.AlarmTypes ?? ['MetricAlarm']
      const start = input.StartDate === undefined ? -Infinity : ms(input.StartDate)
      const end = input.EndDate === undefined ? Infinity : ms(input.EndDate)
      let items = state.region(ctx.caller.account, ctx.caller.region).history.filter((h) =>
        (input.AlarmName === undefined || h.alarmName === input.AlarmName) && types.includes(h.alarmType) &&
        (input.HistoryItemType === undefined || h.type === input.HistoryItemType) && h.t >= start && h.t <= end)
      if (input.ScanBy !== 'TimestampAscending') items = [...items].reverse()
      const offset = readPageToken('DescribeAlarmHistory', input.NextToken)
      const page = items.slice(offset, offset + (input.MaxRecords ?? 100))
      const next = offset + page.length
      return {
        AlarmHistoryItems: page.map((h) => ({ AlarmName: h.alarmName, AlarmType: h.alarmType, Timestamp: new Date(h.t),
          HistoryItemType: h.type, HistorySummary: h.summary, HistoryData: h.data })),
        ...(next < items.length && { NextToken: pageToken('DescribeAlarmHistory', next) }),
      }
    },
  }
}
