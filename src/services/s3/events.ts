// Domain events S3 announces after each change to an object: the seam event notifications
// (SQS, SNS, Lambda, EventBridge) subscribe to. Names follow S3's event types (§4.1).
import { EventChannel } from '../../core/events.ts'
import type { ObjectEvent } from './port.ts'

export type { ObjectEvent, ObjectEventName, RestoreEventData } from './port.ts'

export function createObjectEvents(): EventChannel<ObjectEvent> {
  return new EventChannel<ObjectEvent>()
}
