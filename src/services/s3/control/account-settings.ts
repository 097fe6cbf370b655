// What S3 keeps per account rather than per bucket: the account-level Block Public Access that S3
// Control's Put/Get/DeletePublicAccessBlock set (one per account, all regions). Durable with a data
// dir as rows of `s3_account_blocks`, key: the account id.
import type { Persistence, Table } from '../../../storage/persistence/persistence.ts'
import type { PublicAccessBlock } from '../access/public-access-block.ts'

export class AccountSettings {
  private readonly blocks = new Map<string, PublicAccessBlock>()
  private readonly table: Table<PublicAccessBlock> | undefined

  constructor(persistence?: Persistence) {
    this.table = persistence?.table('s3_account_blocks')
    for (const [account, block] of this.table?.load() ?? []) this.blocks.set(account, block)
  }

  block(account: string): PublicAccessBlock | undefined {
    return this.blocks.get(account)
  }

  setBlock(account: string, block: PublicAccessBlock): void {
    this.blocks.set(account, block)
    this.table?.put(account, block)
  }

  deleteBlock(account: string): void {
    this.blocks.delete(account)
    this.table?.delete(account)
  }

  reset(): void {
    this.blocks.clear()
    this.table?.clear()
  }
}
