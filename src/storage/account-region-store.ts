// State kept per account and region, created on first use.

export class AccountRegionStore<T> {
  private readonly stores = new Map<string, T>()
  private readonly create: (account: string, region: string) => T
  /** The store used last: nearly every call names the same account and region (no key to build and hash then). */
  private last: { account: string; region: string; store: T } | undefined

  constructor(create: (account: string, region: string) => T) {
    this.create = create
  }
  get(account: string, region: string): T {
    const last = this.last
    if (last !== undefined && last.account === account && last.region === region) return last.store
    const key = `${account}/${region}`
    let store = this.stores.get(key)
    if (store === undefined) {
      store = this.create(account, region)
      this.stores.set(key, store)
    }
    this.last = { account, region, store }
    return store
  }
  /** The store if it already exists, without creating one. */
  peek(account: string, region: string): T | undefined {
    const last = this.last
    if (last !== undefined && last.account === account && last.region === region) return last.store
    const store = this.stores.get(`${account}/${region}`)
    if (store !== undefined) this.last = { account, region, store }
    return store
  }
  all(): IterableIterator<T> {
    return this.stores.values()
  }
  clear(): void {
    this.stores.clear()
    this.last = undefined
  }
}
