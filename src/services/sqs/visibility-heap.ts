// Messages that become visible later (delayed or in flight), earliest first. Entries go stale when a
// message's visibility changes or it is deleted; stale ones are skipped rather than searched for.
import type { Message } from './message.ts'

interface Entry {
  at: number
  message: Message
}

export class VisibilityHeap {
  private readonly items: Entry[] = []

  push(message: Message): void {
    const items = this.items
    items.push({ at: message.visibleAt, message })
    let i = items.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (items[p]!.at <= items[i]!.at) break
      ;[items[p], items[i]] = [items[i]!, items[p]!]
      i = p
    }
  }

  /** Pops every live entry due at or before `now`, in order. */
  popDue(now: number): Message[] {
    const due: Message[] = []
    for (;;) {
      const top = this.peekLive()
      if (top === undefined || top.at > now) return due
      this.pop()
      due.push(top.message)
    }
  }

  /** The earliest instant a message here becomes visible, if any. */
  nextAt(): number | undefined {
    return this.peekLive()?.at
  }

  clear(): void {
    this.items.length = 0
  }

  private peekLive(): Entry | undefined {
    for (;;) {
      const top = this.items[0]
      if (top === undefined) return undefined
      if (!top.message.deleted && top.message.visibleAt === top.at && top.message.hidden) return top
      this.pop()
    }
  }

  private pop(): void {
    const items = this.items
    const last = items.pop()
    if (last === undefined || items.length === 0) return
    items[0] = last
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < items.length && items[l]!.at < items[m]!.at) m = l
      if (r < items.length && items[r]!.at < items[m]!.at) m = r
      if (m === i) return
      ;[items[m], items[i]] = [items[i]!, items[m]!]
      i = m
    }
  }
}
