// One persistence table of rows by id, mirrored in memory, each row owned by an account and region (ids
// unique across them, lookups checking the caller owns the row): API Gateway's VPC links and client
// certificates, REST's and HTTP's alike.
import type { Persistence, Table } from './persistence/persistence.ts'

export class OwnedRows<V extends { id: string; account: string; region: string }> {
  readonly items = new Map<string, V>()
  private readonly rows: Table<V> | undefined

  constructor(persistence: Persistence | undefined, table: string) {
    this.rows = persistence?.table<V>(table)
    for (const [, row] of this.rows?.load() ?? []) this.items.set(row.id, row)
  }

  /** The caller's row, or undefined (the operation throws its own NotFoundException). */
  get(id: string, account: string, region: string): V | undefined {
    const row = this.items.get(id)
    return row === undefined || row.account !== account || row.region !== region ? undefined : row
  }

  list(account: string, region: string): V[] {
    return [...this.items.values()].filter((r) => r.account === account && r.region === region)
  }

  /** An id no row has, from `make`. */
  freshId(make: () => string): string {
    let id = make()
    while (this.items.has(id)) id = make()
    return id
  }

  save(row: V): void {
    this.items.set(row.id, row)
    this.rows?.put(row.id, row)
  }

  remove(row: V): void {
    this.items.delete(row.id)
    this.rows?.delete(row.id)
  }

  /** Every row gone, from the table too. */
  reset(): void {
    this.items.clear()
    this.rows?.clear()
  }

  /** Without a data dir, a stop forgets the rows (the table keeps any it has). */
  forget(): void {
    this.items.clear()
  }
}
