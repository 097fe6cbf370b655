// Services that load on first use, so start-up pays only for the code the first request needs
// (the promise: spawn → first SQS call < 150 ms; importing S3 alone costs ~30 ms). A lazy service
// is known by its descriptor from the start; its code loads when a request is routed to it or
// another service calls its port.
import { createRequire } from 'node:module'
import type { ServiceDefinition, ServiceDescriptor, ServiceHandle } from './service.ts'

const require = createRequire(import.meta.url)
/** `.ts` run from source (type stripping), `.js` compiled: the modules loaded here share this file's. */
const extension = import.meta.url.slice(import.meta.url.lastIndexOf('.'))

/**
 * Loads a module of services/ by its path without extension ('./s3/index'). Synchronously, because
 * ports are called synchronously mid-operation (S3 notifications → `eventbridge.putEvents`, Lambda
 * reads code with `s3.getObject`): Node ≥ 22.12 require()s ES modules without top-level await.
 */
export function requireModule<M>(path: string): M {
  return require(path + extension) as M
}

/** What each service's create function returns. */
export interface Created<P> {
  definition: ServiceDefinition
  port: P
}

/** A service created at start; its descriptor is read off its definition. */
export function eagerService(definition: ServiceDefinition): ServiceHandle {
  return handle(describe(definition), () => definition, () => definition)
}

export interface LazyService<P> {
  service: ServiceHandle
  /** Stands in for the service's port: reading a member (other than `ready` ones) loads the service. */
  port: P
  /** The real port once the service has loaded, else undefined (never used, it has no state to consult). */
  loadedPort: () => P | undefined
}

/**
 * A service created on first need. `ready` are port members that work without loading it (a
 * subscription to a channel the registry owns, so Nimbus's console can listen from the start).
 */
export function lazyService<P extends object>(
  descriptor: ServiceDescriptor, create: () => Created<P>, ready: Partial<P> = {},
): LazyService<P> {
  let created: Created<P> | undefined
  const load = () => (created ??= create())
  return {
    service: handle(descriptor, () => load().definition, () => created?.definition),
    port: lazyPort(() => load().port, ready),
    loadedPort: () => created?.port,
  }
}

function handle(descriptor: ServiceDescriptor, load: () => ServiceDefinition, loaded: () => ServiceDefinition | undefined): ServiceHandle {
  return {
    descriptor,
    definition: load,
    loaded,
    health: () => {
      const definition = loaded()
      return definition === undefined ? { status: 'available' } : (definition.health?.() ?? { status: 'running' })
    },
    reset: () => loaded()?.reset(),
    drain: () => loaded()?.drain?.(),
    stop: async () => { await loaded()?.stop?.() },
  }
}

/** Ports are plain records of functions and channels, so reading each member through `get` is all it takes. */
function lazyPort<P extends object>(get: () => P, ready: Partial<P>): P {
  return new Proxy({} as P, { get: (_, key) => Reflect.get(Object.hasOwn(ready, key) ? ready : get(), key) })
}

/** What routing needs, read off a loaded definition (streaming operations become their HTTP methods). */
export function describe(definition: ServiceDefinition): ServiceDescriptor {
  const { name, signingName, protocols, pathPrefixes, claimsHost, catchAll, model, consoleCatalog } = definition
  const methods = (definition.streamingOperations ?? []).flatMap((operation) => model.operation(operation)?.http.method ?? [])
  return {
    name, signingName, protocols, pathPrefixes, claimsHost, catchAll, targetPrefix: model.metadata.targetPrefix,
    apiVersion: model.metadata.apiVersion, streamingMethods: [...new Set(methods)], ...(consoleCatalog !== undefined && { consoleCatalog }),
  }
}
