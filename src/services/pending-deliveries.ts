// The delivery fabric's pending deliveries as rows of `fabric_pending` (docs/persistence.md): each
// one is written when the fabric arms it (scheduled, retry due, first attempt on the wire) and
// deleted when it is over, in the same turn as the change, so it commits with the answer of the
// request that made it. At start the rows are re-armed on the clock. Only with a data dir.
import type { Fabric } from '../fabric/fabric.ts'
import { fromRow, type PendingRow, toRow } from '../fabric/pending-row.ts'
import type { Persistence } from '../storage/persistence/persistence.ts'

export interface StoredDeliveries {
  /** Once Nimbus listens: re-arms what was stored; what fell due while Nimbus was down runs now, in due order. */
  restore(): void
  /**
   * Stops writing (before services stop: stopping cancels their deliveries in memory, and the rows
   * must stay for the next start).
   */
  detach(): void
}

export function storeDeliveries(fabric: Fabric, persistence: Persistence, log: (line: string) => void): StoredDeliveries | undefined {
  if (!persistence.durable) return undefined
  const table = persistence.table<PendingRow>('fabric_pending')
  // Keys are the fabric's sequence numbers: unique within a run; restore renumbers every row.
  fabric.watchPending((pending, state) => {
    if (state === 'armed') table.put(String(pending.seq), toRow(pending))
    else table.delete(String(pending.seq))
  })
  return {
    restore: () => {
      const rows = table.load()
      if (rows.length === 0) return
      const pending = []
      for (const [key, row] of rows) {
        try {
          pending.push(fromRow(row, Number(key)))
        } catch (error) {
          log(`[nimbus] a stored delivery (${key}) could not be read and is dropped: ${String(error)}`)
        }
      }
      // Rewritten under the new numbers in this same turn: one transaction replaces the old rows.
      table.clear()
      fabric.restore(pending)
    },
    detach: () => fabric.watchPending(undefined),
  }
}
