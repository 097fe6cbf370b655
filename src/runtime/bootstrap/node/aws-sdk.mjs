// The AWS SDK for JavaScript v3 for Node.js functions, as AWS's nodejs18.x+ runtimes include it:
// `@aws-sdk/*` resolves, at the lowest priority, from where Nimbus itself is installed (and ES
// modules resolve from layers). Plain JavaScript, loaded by bootstrap.mjs inside the function's
// process or worker thread.
import { existsSync } from 'node:fs'
import module from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** AWS's runtimes ship the SDK, nothing else: other packages Nimbus can see stay out of reach. */
const PREFIX = '@aws-sdk/'

/**
 * The `node_modules` folder holding `@aws-sdk`, looked for as Node looks for a package from this
 * file: Nimbus's own node_modules, then each enclosing folder's (the project that installed it).
 * Undefined when there is none: an import of the SDK then fails as it would without this.
 */
export function findSdkFolder(from = fileURLToPath(import.meta.url)) {
  for (let at = path.dirname(from); ; at = path.dirname(at)) {
    if (path.basename(at) !== 'node_modules') {
      const candidate = path.join(at, 'node_modules')
      if (existsSync(path.join(candidate, '@aws-sdk'))) return candidate
    }
    if (path.dirname(at) === at) return undefined
  }
}

/**
 * Adds resolution fallbacks to this thread's module loader, used only once normal resolution has
 * failed, in AWS's order: the function's own node_modules (normal resolution), its layers
 * (`nodejs/node_modules` …: NODE_PATH for require(); ESM ignores NODE_PATH, so `import` gets them
 * here, as AWS's nodejs18.x+ runtimes resolve layered ES modules), then `@aws-sdk/*` from Nimbus's
 * location, as AWS's runtime SDK (/var/runtime/node_modules) comes last. The SDK's own imports
 * (`@smithy/*`…) then resolve from its real location.
 */
export function installSdkFallback() {
  const folder = findSdkFolder()
  // Resolving from a file next to a node_modules folder finds the packages in it first.
  const sdkParent = folder === undefined ? undefined : path.join(path.dirname(folder), 'nimbus-aws-sdk.js')
  const root = process.env.LAMBDA_TASK_ROOT
  const layerParents = (process.env.NODE_PATH ?? '').split(path.delimiter)
    .filter((entry) => path.basename(entry) === 'node_modules' && entry !== path.join(root ?? '', 'node_modules'))
    .map((entry) => pathToFileURL(path.join(path.dirname(entry), 'nimbus-layer.js')).href)
  if (sdkParent === undefined && layerParents.length === 0) return
  const data = { layerParents, sdkParentURL: sdkParent === undefined ? undefined : pathToFileURL(sdkParent).href }
  if (typeof module.registerHooks === 'function') {
    // In-thread and synchronous (Node ≥ 22.15): covers require() too, and only this thread.
    const sdkRequire = sdkParent === undefined ? undefined : module.createRequire(sdkParent)
    module.registerHooks({ resolve: (specifier, context, nextResolve) => fallback(specifier, context, nextResolve, data, sdkRequire) })
  } else {
    // Off-thread (ESM only): the exported initialize/resolve below.
    module.register(import.meta.url, { data })
  }
}

function fallback(specifier, context, nextResolve, data, sdkRequire) {
  try {
    return nextResolve(specifier, context)
  } catch (error) {
    if (!notFound(error) || !isBare(specifier)) throw error
    // require() has the layers on NODE_PATH already.
    const required = context.conditions?.includes('require') === true
    if (!required) {
      for (const parentURL of data.layerParents) {
        try {
          return nextResolve(specifier, { ...context, parentURL })
        } catch {}
      }
    }
    if (sdkRequire === undefined || !specifier.startsWith(PREFIX)) throw error
    try {
      // require()'s default resolution goes by the requiring module, not parentURL: resolve it ourselves.
      if (required) return { url: pathToFileURL(sdkRequire.resolve(specifier)).href, shortCircuit: true }
      return nextResolve(specifier, { ...context, parentURL: data.sdkParentURL })
    } catch {
      throw error
    }
  }
}

function notFound(error) {
  return error?.code === 'ERR_MODULE_NOT_FOUND' || error?.code === 'MODULE_NOT_FOUND'
}

/** A package name, not a path, URL or builtin. */
function isBare(specifier) {
  return !/^(\.{0,2}\/|[a-z][a-z0-9+.-]*:)/i.test(specifier)
}

// --- module.register's hooks (older Node): the same fallback for import, asynchronously -----------

let registered

export function initialize(data) {
  registered = data
}

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context)
  } catch (error) {
    if (registered === undefined || !notFound(error) || !isBare(specifier)) throw error
    const parents = [...registered.layerParents, ...(specifier.startsWith(PREFIX) && registered.sdkParentURL !== undefined ? [registered.sdkParentURL] : [])]
    for (const parentURL of parents) {
      try {
        return await nextResolve(specifier, { ...context, parentURL })
      } catch {}
    }
    throw error
  }
}
