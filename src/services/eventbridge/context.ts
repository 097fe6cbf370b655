// What the operation handlers share: state and the clock-driven machinery.
import type { Clock } from '../../core/clock.ts'
import type { Deliverer } from './delivery.ts'
import type { Replayer } from './replayer.ts'
import type { Router } from './router.ts'
import type { RuleScheduler } from './scheduler.ts'
import type { EventBridgeState } from './store.ts'

export interface EbContext {
  readonly state: EventBridgeState
  readonly clock: Clock
  readonly router: Router
  readonly deliverer: Deliverer
  readonly scheduler: RuleScheduler
  readonly replayer: Replayer
}
