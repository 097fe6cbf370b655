// UpdateTimeToLive / DescribeTimeToLive and DescribeContinuousBackups / UpdateContinuousBackups: the
// settings infrastructure tools read and write (Terraform reads both for every table). Enabling TTL
// arms expiry of the table's items (ttl-sweeper.ts); turning PITR on starts its history (pitr.ts).
import { AwsError } from '../../../protocol/errors.ts'
import type { Operation } from '../../service.ts'
import { dynamoErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { latestLagMs, recoveryPeriodDays } from '../pitr.ts'
import type { DynamoState } from '../store.ts'
import type { Table } from '../table.ts'

export function ttlBackupOperations(state: DynamoState) {
  const updateTimeToLive: Operation<T.UpdateTimeToLiveInput, T.UpdateTimeToLiveOutput> = (input, ctx) => {
    const table = state.require(ctx.caller.account, ctx.caller.region, input.TableName)
    const spec = input.TimeToLiveSpecification
    if (spec.AttributeName.length < 1 || spec.AttributeName.length > 255) {
      throw dynamoErrors.constraint(spec.AttributeName, 'timeToLiveSpecification.attributeName', 'Member must have length greater than or equal to 1')
    }
    const current = table.def.ttl
    // [R] DynamoDB's words for a setting that would not change.
    if (spec.Enabled && current?.enabled === true) throw dynamoErrors.validation('TimeToLive is already enabled')
    if (!spec.Enabled && current?.enabled !== true) throw dynamoErrors.validation('TimeToLive is already disabled')
    if (!spec.Enabled && current !== undefined && current.attributeName !== spec.AttributeName) {
      throw dynamoErrors.validation(`TimeToLive is active on a different AttributeName: current AttributeName is ${current.attributeName}`)
    }
    table.def.ttl = { attributeName: spec.AttributeName, enabled: spec.Enabled }
    state.saved(table)
    if (spec.Enabled) state.ttl.watchAll(table)
    return { TimeToLiveSpecification: { AttributeName: spec.AttributeName, Enabled: spec.Enabled } }
  }

  const describeTimeToLive: Operation<T.DescribeTimeToLiveInput, T.DescribeTimeToLiveOutput> = (input, ctx) => {
    const ttl = state.require(ctx.caller.account, ctx.caller.region, input.TableName).def.ttl
    return { TimeToLiveDescription: ttl?.enabled === true ? { TimeToLiveStatus: 'ENABLED', AttributeName: ttl.attributeName } : { TimeToLiveStatus: 'DISABLED' } }
  }

  /** These two answer TableNotFoundException for a missing table, as AWS's model says. */
  const table = (account: string, region: string, name: string) => {
    const found = state.find(account, region, name)
    if (found === undefined) throw new AwsError('TableNotFoundException', `Table not found: ${name}`)
    return found
  }

  /** With PITR on: the window (earliest: when it was turned on or 35 days ago; latest: about 5 minutes ago). */
  const description = (found: Table, now: number): T.ContinuousBackupsDescription => {
    const earliest = found.def.pitr === true ? state.pitr.earliest(found.def.id, now) : undefined
    return {
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: earliest === undefined ? { PointInTimeRecoveryStatus: 'DISABLED' } : {
        PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: recoveryPeriodDays,
        EarliestRestorableDateTime: new Date(earliest), LatestRestorableDateTime: new Date(Math.max(earliest, now - latestLagMs)),
      },
    }
  }

  const describeContinuousBackups: Operation<T.DescribeContinuousBackupsInput, T.DescribeContinuousBackupsOutput> = (input, ctx) =>
    ({ ContinuousBackupsDescription: description(table(ctx.caller.account, ctx.caller.region, input.TableName), ctx.clock.now()) })

  const updateContinuousBackups: Operation<T.UpdateContinuousBackupsInput, T.UpdateContinuousBackupsOutput> = (input, ctx) => {
    const found = table(ctx.caller.account, ctx.caller.region, input.TableName)
    const enabled = input.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled
    found.def.pitr = enabled
    // Turning it on starts the window from the table's items now; turning it off drops the history.
    if (enabled) state.pitr.enable(found, ctx.clock.now())
    else state.pitr.disable(found.def.id)
    state.saved(found)
    return { ContinuousBackupsDescription: description(found, ctx.clock.now()) }
  }

  return {
    UpdateTimeToLive: updateTimeToLive, DescribeTimeToLive: describeTimeToLive,
    DescribeContinuousBackups: describeContinuousBackups, UpdateContinuousBackups: updateContinuousBackups,
  }
}
