// ConsumedCapacity as DynamoDB computes it: reads in 4 KB units (half for eventually consistent),
// writes in 1 KB units (the larger of the old and new item), transactions twice that, index writes
// per index the item is (or was) in, with its projected size.
import type * as T from './generated/types.ts'
import { limits } from './limits.ts'

export function readUnits(bytes: number, consistent: boolean, transactional = false): number {
  const units = Math.max(1, Math.ceil(bytes / limits.readUnitBytes))
  return transactional ? units * 2 : consistent ? units : units / 2
}

export function writeUnits(bytes: number, transactional = false): number {
  const units = Math.max(1, Math.ceil(bytes / limits.writeUnitBytes))
  return transactional ? units * 2 : units
}

/** Accumulates one table's consumption (the table itself and each index) for one response. */
export class Consumption {
  readonly tableName: string
  table = 0
  readonly gsis = new Map<string, number>()
  readonly lsis = new Map<string, number>()
  read = 0
  write = 0

  constructor(tableName: string) {
    this.tableName = tableName
  }

  addTable(units: number, kind: 'read' | 'write'): void {
    this.table += units
    this[kind] += units
  }

  addIndex(name: string, local: boolean, units: number, kind: 'read' | 'write'): void {
    const map = local ? this.lsis : this.gsis
    map.set(name, (map.get(name) ?? 0) + units)
    this[kind] += units
  }

  get total(): number {
    let total = this.table
    for (const v of this.gsis.values()) total += v
    for (const v of this.lsis.values()) total += v
    return total
  }

  /** ReturnConsumedCapacity: NONE → undefined, TOTAL → the sum, INDEXES → the sum and the parts. */
  render(mode: string | undefined): T.ConsumedCapacity | undefined {
    if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined
    const out: T.ConsumedCapacity = { TableName: this.tableName, CapacityUnits: this.total }
    if (this.read > 0) out.ReadCapacityUnits = this.read
    if (this.write > 0) out.WriteCapacityUnits = this.write
    if (mode === 'INDEXES') {
      out.Table = { CapacityUnits: this.table }
      const parts = (m: Map<string, number>) => Object.fromEntries([...m].map(([k, v]) => [k, { CapacityUnits: v }]))
      if (this.gsis.size > 0) out.GlobalSecondaryIndexes = parts(this.gsis)
      if (this.lsis.size > 0) out.LocalSecondaryIndexes = parts(this.lsis)
    }
    return out
  }
}
