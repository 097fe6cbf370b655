// The layering rules from the design guide, checked on every test run: protocol/ knows no
// services, a service reaches another only through its port.ts (types only) or the delivery
// fabric (fabric/, which knows no service), runtime/ knows no gateway, the console (console/) reads
// services only through their console declarations. Import cycles (type-only ones included) are oxlint's import/no-cycle, also in npm test.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, it } from 'node:test'

const root = resolve(import.meta.dirname, '..', 'src')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : []
  })
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(/^\s*(?:import|export)[^'"]*from\s+['"](\.[^'"]+)['"]/gm)]
    .map((m) => relative(root, resolve(dirname(file), m[1]!)))
}

function violation(from: string, to: string): string | undefined {
  const [layer, service] = from.split('/')
  if (to.startsWith('..')) return 'imports outside src'
  if (layer === 'protocol' && !to.startsWith('protocol/') && !to.startsWith('core/')) return 'protocol/ may import only protocol/ and core/'
  if (layer === 'core' && !to.startsWith('core/')) return 'core/ may import only core/'
  if (layer === 'event-pattern' && !to.startsWith('event-pattern/') && !to.startsWith('core/') && to !== 'protocol/errors.ts') {
    return 'event-pattern/ may import only core/ and protocol/errors.ts'
  }
  if (layer === 'policy' && !to.startsWith('policy/') && !to.startsWith('core/')) return 'policy/ may import only policy/ and core/'
  // The delivery fabric knows no service: services register with it (services/target-kinds.ts).
  if (layer === 'fabric' && !to.startsWith('fabric/') && !to.startsWith('core/') && to !== 'protocol/errors.ts') {
    return 'fabric/ may import only core/ and protocol/errors.ts'
  }
  // The console's server side reads services only through their definitions' declarations (services/console-view.ts).
  if (layer === 'console' && !to.startsWith('console/') && !to.startsWith('core/') && !['fabric/trace.ts', 'fabric/types.ts',
    'protocol/http.ts', 'protocol/errors.ts', 'services/service.ts', 'services/console-view.ts'].includes(to)) {
    return 'console/ may import only core/, the trace logs, protocol/http.ts and errors.ts, services/service.ts and console-view.ts'
  }
  if (layer === 'runtime' && (to.startsWith('gateway/') || to.startsWith('services/'))) return 'runtime/ may not import gateway/ or services/'
  if (layer === 'gateway' && to.startsWith('services/') && to !== 'services/registry.ts' && to !== 'services/service.ts') {
    return 'gateway/ may import only services/registry.ts and services/service.ts'
  }
  if (layer === 'gateway' && to.startsWith('fabric/') && to !== 'fabric/trace.ts') return 'gateway/ may import only fabric/trace.ts (the trace log it serves)'
  if (layer === 'services' && to.startsWith('gateway/')) return 'services may not import gateway/'
  if (layer === 'services' && service !== undefined && !service.endsWith('.ts') && to.startsWith('services/')) {
    const target = to.split('/')[1]
    if (target !== service && !target!.endsWith('.ts') && to !== `services/${target}/port.ts`) {
      return `services/${service} may reach services/${target} only through its port.ts`
    }
  }
  if (from.endsWith('/port.ts') && layer === 'services') {
    // A port is the contract other services compile against: it names types of its own, core's,
    // its service's generated shapes and other ports — never the service's insides.
    const own = `services/${service}/`
    const allowed = to.startsWith('core/') || to.startsWith(`${own}generated/`) || /^services\/[a-z0-9-]+\/port\.ts$/.test(to) ||
      to.startsWith('fabric/')
    if (!allowed) return 'a port.ts may import only core/, fabric/, its generated/ types and other ports'
  }
  return undefined
}

describe('architecture', () => {
  it('keeps the layers pointing one way', () => {
    const problems: string[] = []
    for (const file of sourceFiles(root)) {
      const from = relative(root, file)
      for (const to of imports(file)) {
        const why = violation(from, to)
        if (why !== undefined) problems.push(`${from} → ${to}: ${why}`)
      }
    }
    assert.deepEqual(problems, [])
  })

  it('keeps hand-written source files under 500 lines', () => {
    const big = sourceFiles(root)
      .filter((f) => !f.includes('/generated/'))
      .map((f) => [relative(root, f), readFileSync(f, 'utf8').split('\n').length] as const)
      .filter(([, lines]) => lines > 500)
    assert.deepEqual(big, [])
  })
})
