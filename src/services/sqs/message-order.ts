// Which visible messages a receive gets, and in what order: best-effort FIFO for standard queues,
// strict per-group order with group locking for FIFO queues (aws-behaviour.md §1.11).
import type { Message } from './message.ts'
import { VisibilityHeap } from './visibility-heap.ts'

/** What the queue decides about a candidate: hand it out, or it has been removed (expired, moved to a DLQ). */
export type Admit = (message: Message) => 'take' | 'removed'

export interface MessageOrder {
  add(message: Message, now: number): void
  /** The message just became invisible (received, or its visibility changed). */
  hide(message: Message): void
  remove(message: Message): void
  take(max: number, now: number, admit: Admit): Message[]
  /** Makes every hidden message whose time has come visible again (take does this first). */
  reveal(now: number): void
  /** The earliest instant a hidden message becomes visible again. */
  nextVisibleAt(): number | undefined
  clear(): void
}

export class StandardOrder implements MessageOrder {
  private ready: { message: Message; token: number }[] = []
  private head = 0
  private tokens = 0
  private readonly pending = new VisibilityHeap()

  add(message: Message, now: number): void {
    if (message.visibleAt > now) this.hide(message)
    else this.show(message)
  }
  hide(message: Message): void {
    message.hidden = true
    this.pending.push(message)
  }
  remove(): void {
    // Deleted messages are skipped where they lie.
  }
  reveal(now: number): void {
    for (const message of this.pending.popDue(now)) this.show(message)
  }
  take(max: number, now: number, admit: Admit): Message[] {
    this.reveal(now)
    const out: Message[] = []
    while (out.length < max && this.head < this.ready.length) {
      const slot = this.ready[this.head++]!
      const { message } = slot
      if (message.deleted || message.hidden || message.readyToken !== slot.token) continue
      if (admit(message) === 'take') out.push(message)
    }
    this.compact()
    return out
  }
  nextVisibleAt(): number | undefined {
    return this.pending.nextAt()
  }
  clear(): void {
    this.ready = []
    this.head = 0
    this.pending.clear()
  }
  private show(message: Message): void {
    message.hidden = false
    message.readyToken = ++this.tokens
    this.ready.push({ message, token: message.readyToken })
  }
  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.ready.length) {
      this.ready = this.ready.slice(this.head)
      this.head = 0
    }
  }
}

export class FifoOrder implements MessageOrder {
  /** Every undeleted message, per group, in send order (in-flight ones included). Map order is group age. */
  private readonly groups = new Map<string, Message[]>()
  private readonly pending = new VisibilityHeap()

  add(message: Message, now: number): void {
    const key = message.groupId ?? ''
    const group = this.groups.get(key)
    if (group === undefined) this.groups.set(key, [message])
    else group.push(message)
    if (message.visibleAt > now) this.hide(message)
  }
  hide(message: Message): void {
    message.hidden = true
    this.pending.push(message)
  }
  remove(message: Message): void {
    const key = message.groupId ?? ''
    const group = this.groups.get(key)
    if (group === undefined) return
    const i = group.indexOf(message)
    if (i !== -1) group.splice(i, 1)
    if (group.length === 0) this.groups.delete(key)
  }
  reveal(now: number): void {
    for (const message of this.pending.popDue(now)) message.hidden = false
  }
  take(max: number, now: number, admit: Admit): Message[] {
    this.reveal(now)
    const out: Message[] = []
    // As many messages as possible from one group, in order, before moving to the next group.
    for (const group of this.groups.values()) {
      if (out.length >= max) break
      if (locked(group, now)) continue
      let i = 0
      while (i < group.length && out.length < max) {
        const message = group[i]!
        if (message.visibleAt > now) break
        if (admit(message) === 'take') {
          out.push(message)
          i++
        }
        // 'removed' took the message out of this group: the next one now sits at i.
      }
    }
    return out
  }
  nextVisibleAt(): number | undefined {
    return this.pending.nextAt()
  }
  clear(): void {
    this.groups.clear()
    this.pending.clear()
  }
}

/** A group is locked while any message of it is in flight. Received messages are always a prefix of the group. */
function locked(group: readonly Message[], now: number): boolean {
  for (const message of group) {
    if (message.lastReceivedAt === undefined) return false
    if (message.visibleAt > now) return true
  }
  return false
}
