// State kept per account and region, created on first use.

export class AccountRegionStore<T> {
  private readonly stores = new Map<string, T>()
  private readonly create: (account: string, region: string) => T

  constructor(create: (account: string, region: string) => T) {
    this.create = create
  }
  get(account: string, region: string): T {
    const key = `${account}/${region}`
    let store = this.stores.get(key)
    if (store === undefined) {
      store = this.create(account, region)
      this.stores.set(key, store)
    }
    return store
  }
  /** The store if it already exists, without creating one. */
  peek(account: string, region: string): T | undefined {
    return this.stores.get(`${account}/${region}`)
  }
  all(): IterableIterator<T> {
    return this.stores.values()
  }
  clear(): void {
    this.stores.clear()
  }
}
