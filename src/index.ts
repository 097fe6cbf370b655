// The public API for embedding Nimbus in another project's tests.
export { startNimbus, type Nimbus } from './emulator.ts'
export type { NimbusOptions } from './config.ts'
export { ManualClock, SystemClock, type Clock } from './core/clock.ts'
export type { Hop, HopOutcome } from './fabric/trace.ts'
