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
