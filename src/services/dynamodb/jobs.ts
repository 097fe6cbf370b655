// The registry exports and imports share: jobs by ARN, listed per account and region oldest first,
// paged by the last ARN returned, each saved through the table rows when it is added or changed.

export interface Job {
  arn: string
  account: string
  region: string
  startTime: number
  tableArn: string
}

export class Jobs<T extends Job> {
  private readonly byArn = new Map<string, T>()
  private readonly save: (def: T) => void

  constructor(save: (def: T) => void) {
    this.save = save
  }

  get(arn: string): T | undefined {
    return this.byArn.get(arn)
  }

  /** The account's and region's jobs (of one table when tableArn is given), oldest first. */
  list(account: string, region: string, tableArn?: string): T[] {
    return [...this.byArn.values()]
      .filter((j) => j.account === account && j.region === region && (tableArn === undefined || j.tableArn === tableArn))
      .sort((a, b) => a.startTime - b.startTime || (a.arn < b.arn ? -1 : 1))
  }

  add(def: T): void {
    this.byArn.set(def.arn, def)
    this.save(def)
  }

  saved(def: T): void {
    this.save(def)
  }

  load(defs: T[]): void {
    for (const def of defs) this.byArn.set(def.arn, def)
  }

  reset(): void {
    this.byArn.clear()
  }
}

/** One List page after the NextToken (the last ARN of the previous page; an unknown one gives none). */
export function jobPage<T extends Job>(list: T[], nextToken: string | undefined, size: number): { page: T[]; nextToken?: string } {
  let rest = list
  if (nextToken !== undefined) {
    const at = list.findIndex((j) => j.arn === nextToken)
    rest = at < 0 ? [] : list.slice(at + 1)
  }
  const page = rest.slice(0, size)
  return { page, ...(page.length < rest.length && { nextToken: page[page.length - 1]!.arn }) }
}
