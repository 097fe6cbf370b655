// WebSocket APIs' open connections (in memory: a socket doesn't outlive the process), with AWS's
// limits on Nimbus's clock — 10 minutes idle, 2 hours in all — and the lookups @connections uses.
import { randomBytes } from 'node:crypto'
import type { Clock, Timer } from '../../../core/clock.ts'
import type { WebSocketPeer } from '../port.ts'

/** AWS's quotas for WebSocket APIs ("Quotas for configuring and running a WebSocket API"). */
export const webSocketLimits = {
  idleMs: 10 * 60_000,
  maxDurationMs: 2 * 60 * 60_000,
  maxFrameBytes: 32 * 1024,
  maxMessageBytes: 128 * 1024,
}

export interface Connection {
  id: string
  apiId: string
  stage: string
  connectedAt: number
  lastActiveAt: number
  sourceIp: string
  userAgent: string
  peer: WebSocketPeer
  idle?: Timer
  lifetime?: Timer
}

/** An id like AWS's (`L0SM9cOFvHcCIhw=`): 11 random bytes, base64. */
export function newConnectionId(): string {
  return randomBytes(11).toString('base64').replace(/\//g, '_').replace(/\+/g, '-')
}

export class WebSocketConnections {
  private readonly open = new Map<string, Connection>()
  private readonly clock: Clock

  constructor(clock: Clock) {
    this.clock = clock
  }

  get size(): number {
    return this.open.size
  }

  get(id: string): Connection | undefined {
    return this.open.get(id)
  }

  /** Registers an accepted connection and arms its idle and lifetime limits. */
  add(connection: Connection): void {
    this.open.set(connection.id, connection)
    // [R] AWS closes a connection at its limits with 1001 Going Away.
    connection.lifetime = this.clock.after(webSocketLimits.maxDurationMs, () => connection.peer.close(1001, 'Going away'))
    connection.lastActiveAt = this.clock.now()
    this.armIdle(connection, webSocketLimits.idleMs)
  }

  /** A message from the client: the idle limit starts again (sending to it doesn't count [R]). */
  touch(connection: Connection): void {
    connection.lastActiveAt = this.clock.now()
  }

  /**
   * One idle timer at a time, checked when it fires (a message since: armed again for the rest), not
   * one per message: the clock's heap keeps a cancelled timer until its time, 10 minutes on.
   */
  private armIdle(connection: Connection, ms: number): void {
    connection.idle = this.clock.after(ms, () => {
      const quiet = this.clock.now() - connection.lastActiveAt
      if (quiet >= webSocketLimits.idleMs) connection.peer.close(1001, 'Going away')
      else this.armIdle(connection, webSocketLimits.idleMs - quiet)
    })
  }

  remove(connection: Connection): void {
    connection.idle?.cancel()
    connection.lifetime?.cancel()
    this.open.delete(connection.id)
  }

  /** Reset and stop: every client is told the server is going away. */
  closeAll(): void {
    for (const connection of [...this.open.values()]) connection.peer.close(1001, 'Going away')
    for (const connection of [...this.open.values()]) this.remove(connection)
  }
}
