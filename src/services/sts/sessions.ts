// STS's temporary credentials: each session's keys and who it is, durable with a data dir (table
// `sts_sessions`, key: the access key id). Every session is listed in the access-key directory so
// the gateway resolves its key to the session's account.
import type { AccessKeyDirectory, KeyPrincipal } from '../../core/access-keys.ts'
import type { Persistence, Table } from '../../storage/persistence/persistence.ts'

export interface Session extends KeyPrincipal {
  accessKeyId: string
  secretAccessKey: string
  sessionToken: string
  expiresAt: number
  /** What made it: AssumeRole, AssumeRoleWithWebIdentity, GetSessionToken. */
  source: string
}

export class Sessions {
  readonly #byKey = new Map<string, Session>()
  readonly #table: Table<Session> | undefined

  readonly #directory: AccessKeyDirectory

  constructor(directory: AccessKeyDirectory, persistence?: Persistence) {
    this.#directory = directory
    this.#table = persistence?.durable === true ? persistence.table<Session>('sts_sessions') : undefined
    for (const [, session] of this.#table?.load() ?? []) this.#index(session)
  }

  add(session: Session): void {
    this.#index(session)
    this.#table?.put(session.accessKeyId, session)
  }

  get(accessKeyId: string): Session | undefined {
    return this.#byKey.get(accessKeyId)
  }

  get size(): number {
    return this.#byKey.size
  }

  reset(): void {
    for (const key of this.#byKey.keys()) this.#directory.delete(key)
    this.#byKey.clear()
    this.#table?.clear()
  }

  #index(session: Session): void {
    this.#byKey.set(session.accessKeyId, session)
    this.#directory.set(session.accessKeyId, {
      account: session.account, arn: session.arn, userId: session.userId, expiresAt: session.expiresAt,
      secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken,
    })
  }
}
