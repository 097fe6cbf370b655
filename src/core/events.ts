// Typed domain events: services announce what happened; other services and Nimbus's console listen.

export type Listener<T> = (event: T) => void

export class EventChannel<T> {
  private readonly listeners = new Set<Listener<T>>()

  on(listener: Listener<T>): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
  emit(event: T): void {
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch (error) {
        // A listener belongs to another service; its failure must not undo this service's change.
        console.error('[nimbus] event listener failed:', error)
      }
    }
  }
  get size(): number {
    return this.listeners.size
  }
}

/** Channels by key (a stream's name or ARN…), each made on its first listener and dropped with its last. */
export class KeyedChannels<K, T = void> {
  private readonly channels = new Map<K, EventChannel<T>>()

  on(key: K, listener: Listener<T>): () => void {
    let channel = this.channels.get(key)
    if (channel === undefined) this.channels.set(key, channel = new EventChannel<T>())
    const off = channel.on(listener)
    return () => {
      off()
      if (channel.size === 0 && this.channels.get(key) === channel) this.channels.delete(key)
    }
  }

  /** Tells the key's listeners, if any (a map lookup when none). */
  emit(key: K, event: T): void {
    this.channels.get(key)?.emit(event)
  }

  /** Listeners under every key. */
  get size(): number {
    let n = 0
    for (const channel of this.channels.values()) n += channel.size
    return n
  }

  get empty(): boolean {
    return this.channels.size === 0
  }
}
