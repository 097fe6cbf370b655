// REST API Gateway's account-level resources beside the APIs: VPC links (table `apigateway_vpc_links`)
// and client certificates (table `apigateway_client_certificates`), each keyed by id and durable with
// a data dir. Ids are unique across accounts and regions; lookups check the caller owns the row.
import type { Persistence, Table } from '../../../storage/persistence/persistence.ts'

export interface RestVpcLinkData {
  account: string
  region: string
  id: string
  name: string
  description?: string
  targetArns: string[]
  tags: Record<string, string>
  createdDate: number
}

export interface ClientCertificateData {
  account: string
  region: string
  id: string
  description?: string
  pem: string
  createdDate: number
  expirationDate: number
  tags: Record<string, string>
}

/** One table of rows by id, mirrored in memory. */
export class RowMap<V extends { id: string; account: string; region: string }> {
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

  save(row: V): void {
    this.items.set(row.id, row)
    this.rows?.put(row.id, row)
  }

  remove(row: V): void {
    this.items.delete(row.id)
    this.rows?.delete(row.id)
  }

  reset(): void {
    this.items.clear()
    this.rows?.clear()
  }
}

export class AccountResources {
  readonly vpcLinks: RowMap<RestVpcLinkData>
  readonly certificates: RowMap<ClientCertificateData>

  constructor(persistence: Persistence | undefined) {
    this.vpcLinks = new RowMap(persistence, 'apigateway_vpc_links')
    this.certificates = new RowMap(persistence, 'apigateway_client_certificates')
  }

  reset(): void {
    this.vpcLinks.reset()
    this.certificates.reset()
  }

  /** Without a data dir, a stop forgets them (as the APIs). */
  forget(): void {
    this.vpcLinks.items.clear()
    this.certificates.items.clear()
  }
}
