// Where async invocation records go: SQS and SNS (standard only), Lambda, EventBridge buses
// (aws-behaviour.md §2.6). S3 buckets (on-failure only on AWS) are not a destination yet.
import type { AsyncEvent, AsyncInvoker, DestinationSender } from './async-invoker.ts'
import type { LambdaContext } from './context.ts'

export function createDestinations(ctx: LambdaContext, invoker: () => AsyncInvoker, log: (line: string) => void): DestinationSender {
  return {
    send(targetArn: string, record: string, event: AsyncEvent): void {
      try {
        if (targetArn.includes(':sqs:')) {
          // AWS delivers only to standard queues; a FIFO destination fails delivery.
          if (ctx.sqs.isFifo(targetArn)) throw new Error('FIFO queues are not supported as destinations')
          ctx.sqs.send({ queueArn: targetArn, body: record, senderId: event.fn.account, traceHeader: event.traceHeader })
          return
        }
        if (targetArn.includes(':sns:')) {
          const { sns } = ctx
          if (sns.isFifo(targetArn)) throw new Error('FIFO topics are not supported as destinations')
          sns.publish(targetArn, { Message: fitForSns(record) })
          return
        }
        if (targetArn.includes(':events:')) {
          const success = (JSON.parse(record) as { requestContext: { condition: string } }).requestContext.condition === 'Success'
          const [result] = ctx.eventbridge.putEvents(event.fn.account, event.fn.region, [{
            source: 'lambda',
            detailType: `Lambda Function Invocation Result - ${success ? 'Success' : 'Failure'}`,
            resources: [targetArn, event.fn.qualifiedArn(event.qualifier)],
            detail: record,
            eventBusName: targetArn,
          }])
          if (result?.errorCode !== undefined) throw new Error(`${result.errorCode}: ${result.errorMessage}`)
          return
        }
        if (targetArn.includes(':lambda:')) {
          const fn = ctx.state.findByArn(targetArn)
          const qualifier = /:function:[^:]+:([^:]+)$/.exec(targetArn)?.[1]
          const version = fn?.version(qualifier)
          if (fn === undefined || version === undefined) throw new Error('function not found')
          invoker().enqueue({ fn, version, qualifier: qualifier ?? '$LATEST', invokedArn: targetArn,
            payload: Buffer.from(record), requestId: crypto.randomUUID() })
          return
        }
        throw new Error('Nimbus cannot deliver to this destination type yet')
      } catch (error) {
        // AWS counts these as DestinationDeliveryFailures; the invocation itself is unaffected.
        log(`[nimbus] lambda ${event.fn.name}: destination ${targetArn} not delivered: ${(error as Error).message}`)
      }
    },
  }
}

/** SNS takes 256 KB: a larger record loses its request and response payloads, as on AWS [M]. */
function fitForSns(record: string): string {
  if (Buffer.byteLength(record) <= 256 * 1024) return record
  const trimmed = JSON.parse(record) as Record<string, unknown>
  delete trimmed.requestPayload
  delete trimmed.responsePayload
  return JSON.stringify(trimmed)
}
