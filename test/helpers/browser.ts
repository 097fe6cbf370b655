// Drives Debian's headless Chromium with playwright-core for the console's browser tests: a fresh
// profile per file, every console error and every request that would leave 127.0.0.1 recorded (a
// test asserts there are none), screenshots into test-artifacts/ (git-ignored).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before } from 'node:test'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { chromiumPath } from '../../scripts/ensure-chromium.ts'

export const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts', 'console')

/**
 * Why the browser tests are skipped, or undefined. A missing browser is a failure, not a skip (a green
 * run always drove a real browser), unless the developer asked to skip them with
 * NIMBUS_SKIP_BROWSER_TESTS=1 on a machine where `npm test` could not install Chromium.
 */
export function browserMissing(): string | undefined {
  if (existsSync(chromiumPath) || process.env.NIMBUS_SKIP_BROWSER_TESTS !== '1') return undefined
  return `no Chromium at ${chromiumPath} and NIMBUS_SKIP_BROWSER_TESTS=1 (apt-get install chromium, or set NIMBUS_CHROMIUM)`
}

export interface Browser {
  readonly context: BrowserContext
  /** A new page whose console errors and off-machine requests land in `problems`. */
  page(): Promise<Page>
  /** Console errors, page errors and requests to anywhere but 127.0.0.1 since the file began. */
  readonly problems: string[]
  screenshot(page: Page, name: string): Promise<void>
}

export function useBrowser(): Browser {
  let context: BrowserContext | undefined
  let profile: string | undefined
  const problems: string[] = []
  before(async () => {
    if (browserMissing() !== undefined) return
    profile = mkdtempSync(join(tmpdir(), 'nimbus-chromium-'))
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      // The machine's network is closed: without these Chromium keeps trying Google's hosts.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 800 },
    })
    context.setDefaultTimeout(10_000)
  })
  after(async () => {
    await context?.close()
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true })
  })
  return {
    get context(): BrowserContext {
      if (context === undefined) throw new Error('the browser is not started')
      return context
    },
    async page(): Promise<Page> {
      const page = await this.context.newPage()
      page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()} (${m.location().url})`) })
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
      page.on('request', (r) => {
        const url = new URL(r.url())
        if (url.protocol !== 'data:' && url.protocol !== 'blob:' && url.hostname !== '127.0.0.1') problems.push(`request left the machine: ${r.url()}`)
      })
      return page
    },
    problems,
    async screenshot(page: Page, name: string): Promise<void> {
      mkdirSync(artifacts, { recursive: true })
      await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true })
    },
  }
}

const axeSource = readFileSync(join(import.meta.dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8')

/** axe-core's serious and critical violations on the page as it is now ("rule: first target"). */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, so the console's Content-Security-Policy doesn't block it.
  await page.evaluate(axeSource)
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe
    const result = await axe.run()
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, target: v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ') }))
  })
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.target}`)
}
