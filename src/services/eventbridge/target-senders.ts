// Delivery to each kind of target through the other service's in-process port; API destinations,
// being customers' HTTP endpoints, get a real HTTP request (api-destination-sender.ts).
import { parseArn } from '../../core/arn.ts'
import type { LambdaPort } from '../lambda/port.ts'
import type { LogsPort } from '../logs/port.ts'
import type { SnsPort } from '../sns/port.ts'
import type { SqsPort } from '../sqs/port.ts'
import { DeliveryFailure, type DeliveryJob, type TargetSender } from './delivery.ts'
import type { Ingested } from './event.ts'
import { eventBridgeSenderId } from './limits.ts'

export interface TargetPorts {
  sqs: SqsPort
  sns: SnsPort
  lambda: LambdaPort
  logs: LogsPort
  /** Re-enters another bus (by ARN) as its PutEvents would; throws DeliveryFailure when it can't. */
  toBus(busArn: string, ingested: Ingested, fromAccount: string): void
  /** One HTTP invocation of an API destination; rejects with a DeliveryFailure. */
  apiDestination(job: DeliveryJob, payload: string): Promise<void>
}

const missing = (arn: string) => new DeliveryFailure('NO_RESOURCE', `Target ${arn} does not exist.`)

export function createTargetSender(ports: TargetPorts): TargetSender {
  return (job: DeliveryJob, payload: string) => {
    const arn = job.target.Arn
    const parsed = parseArn(arn)
    switch (parsed?.service) {
      case 'sqs': {
        if (!ports.sqs.exists(arn)) throw missing(arn)
        const fifo = ports.sqs.isFifo(arn)
        ports.sqs.send({
          queueArn: arn, body: payload, senderId: eventBridgeSenderId, traceHeader: job.ingested.traceHeader,
          groupId: job.target.SqsParameters?.MessageGroupId,
          // FIFO queues: the event id deduplicates, so a retried delivery is not queued twice [R].
          dedupId: fifo ? job.ingested.event.id : undefined,
        })
        return
      }
      case 'sns':
        if (!ports.sns.exists(arn)) throw missing(arn)
        ports.sns.publish(arn, { Message: payload })
        return
      case 'lambda':
        if (!ports.lambda.exists(arn)) throw missing(arn)
        ports.lambda.invokeAsync(arn, payload)
        return
      case 'events':
        if (parsed.resource.startsWith('api-destination/')) return ports.apiDestination(job, payload)
        // A bus target receives the event itself; AWS does not transform events between buses.
        ports.toBus(arn, job.ingested, ruleAccount(job.rule.arn))
        return
      case 'logs': {
        const group = /^log-group:([^:]+)(?::\*)?$/.exec(parsed.resource)?.[1]
        if (group === undefined || !ports.logs.groupExists(parsed.account, parsed.region, group)) throw missing(arn)
        ports.logs.write(parsed.account, parsed.region, group, job.ingested.event.id,
          [{ timestamp: Date.parse(job.ingested.event.time), message: payload }])
        return
      }
      default:
        throw new DeliveryFailure('SDK_CLIENT_ERROR', `Nimbus does not deliver to ${parsed?.service ?? 'this'} targets yet: ${arn}`)
    }
  }
}

const ruleAccount = (ruleArn: string) => parseArn(ruleArn)?.account ?? ''
