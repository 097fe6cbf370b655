// StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask: DLQ redrive on the clock.
import { randomUUID } from 'node:crypto'
import type { Operation } from '../../service.ts'
import { sqsErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { limits } from '../limits.ts'
import { MoveTask } from '../move-task.ts'
import type { SqsState } from '../store.ts'
import { checkRange } from './common.ts'

function encodeHandle(taskId: string, sourceArn: string): string {
  return Buffer.from(JSON.stringify({ taskId, sourceArn }), 'utf8').toString('base64')
}

function decodeHandle(handle: string): { taskId: string; sourceArn: string } | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(handle, 'base64').toString('utf8')) as Record<string, unknown>
    if (typeof parsed.taskId === 'string' && typeof parsed.sourceArn === 'string') {
      return { taskId: parsed.taskId, sourceArn: parsed.sourceArn }
    }
  } catch {
    // fall through
  }
  return undefined
}

export function moveTaskOperations(state: SqsState) {
  const start: Operation<T.StartMessageMoveTaskRequest, T.StartMessageMoveTaskResult> = (input) => {
    const source = state.findByArn(input.SourceArn)
    if (source === undefined) {
      throw sqsErrors.resourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.")
    }
    if (!state.allQueues().some((q) => q.redrivePolicy?.deadLetterTargetArn === source.arn)) {
      throw sqsErrors.invalidParameterValue('Source queue must be configured as a Dead Letter Queue.')
    }
    if (input.DestinationArn !== undefined && state.findByArn(input.DestinationArn) === undefined) {
      throw sqsErrors.resourceNotFound("The resource that you specified for the DestinationArn parameter doesn't exist.")
    }
    checkRange('MaxNumberOfMessagesPerSecond', input.MaxNumberOfMessagesPerSecond, 1, limits.maxMoveRatePerSecond)
    const running = [...state.moveTasks.values()].some((t) => t.sourceArn === source.arn && t.status === 'RUNNING')
    if (running) {
      throw sqsErrors.invalidParameterValue(
        'There is already a task running. Only one active task is allowed for a source queue arn at a given time.')
    }
    const handle = encodeHandle(randomUUID(), source.arn)
    const task = new MoveTask(handle, source, input.DestinationArn,
      input.MaxNumberOfMessagesPerSecond ?? limits.defaultMoveRatePerSecond,
      { clock: state.clock, findByArn: (arn) => state.findByArn(arn) })
    state.moveTasks.set(handle, task)
    return { TaskHandle: handle }
  }

  const list: Operation<T.ListMessageMoveTasksRequest, T.ListMessageMoveTasksResult> = (input) => {
    if (state.findByArn(input.SourceArn) === undefined) {
      throw sqsErrors.resourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.")
    }
    checkRange('MaxResults', input.MaxResults, 1, 10)
    const tasks = [...state.moveTasks.values()].filter((t) => t.sourceArn === input.SourceArn).reverse()
      .slice(0, input.MaxResults ?? 1)
    return {
      Results: tasks.map((t) => ({
        TaskHandle: t.status === 'RUNNING' ? t.taskHandle : undefined,
        Status: t.status,
        SourceArn: t.sourceArn,
        DestinationArn: t.destinationArn,
        MaxNumberOfMessagesPerSecond: t.ratePerSecond,
        ApproximateNumberOfMessagesMoved: t.moved,
        ApproximateNumberOfMessagesToMove: t.toMove,
        FailureReason: t.failureReason,
        StartedTimestamp: t.startedAt,
      })),
    }
  }

  const cancel: Operation<T.CancelMessageMoveTaskRequest, T.CancelMessageMoveTaskResult> = (input) => {
    if (decodeHandle(input.TaskHandle) === undefined) throw sqsErrors.invalidParameterValue('Value for parameter TaskHandle is invalid.')
    const task = state.moveTasks.get(input.TaskHandle)
    if (task === undefined) throw sqsErrors.resourceNotFound('Task does not exist.')
    if (task.status !== 'RUNNING') throw sqsErrors.invalidParameterValue('Only active tasks can be cancelled.')
    task.cancel()
    return { ApproximateNumberOfMessagesMoved: task.moved }
  }

  return { StartMessageMoveTask: start, ListMessageMoveTasks: list, CancelMessageMoveTask: cancel }
}
