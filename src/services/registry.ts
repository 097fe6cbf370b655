// The enabled services, one list, created in dependency order.
import type { Clock } from '../core/clock.ts'
import type { ServiceDefinition } from './service.ts'
import { createSqs } from './sqs/index.ts'
import type { SqsPort } from './sqs/internal.ts'

export interface Services {
  list: ServiceDefinition[]
  ports: { sqs: SqsPort }
}

export function createServices(deps: { clock: Clock }): Services {
  const sqs = createSqs({ clock: deps.clock })
  return { list: [sqs.definition], ports: { sqs: sqs.port } }
}
