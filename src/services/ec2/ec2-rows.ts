// EC2's durable state as rows (docs/persistence.md): one table, one row per resource, keyed
// `<account>:<region>:<id>` and written at every change (instances' lazily settled states included).
import type { Persistence, Table } from '../../storage/persistence/persistence.ts'
import type { Ec2Record } from './resources.ts'

interface ResourceRow {
  account: string
  region: string
  record: Ec2Record
}

export class Ec2Rows {
  private readonly resources: Table<ResourceRow>

  constructor(persistence: Persistence) {
    this.resources = persistence.table<ResourceRow>('ec2_resources')
  }

  put(account: string, region: string, record: Ec2Record): void {
    this.resources.put(`${account}:${region}:${record.id}`, { account, region, record })
  }

  delete(account: string, region: string, id: string): void {
    this.resources.delete(`${account}:${region}:${id}`)
  }

  load(): ResourceRow[] {
    return this.resources.load().map(([, row]) => row)
  }

  clear(): void {
    this.resources.clear()
  }
}
