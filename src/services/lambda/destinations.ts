// Where async invocation records go: SQS (standard) and Lambda now; SNS, EventBridge and S3 arrive
// with those services through their internal ports.
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
