// The console's pages in real headless Chromium, on fixed contract answers (test/helpers/console-fake.ts):
// each page loads without console errors or requests leaving the machine, draws its charts and the
// path graph (a failed attempt, a retry due), works by keyboard, in light and dark, and axe-core finds
// no serious violations. The UI files and the clock are real Nimbus's.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { browserMissing, seriousViolations, useBrowser } from '../../helpers/browser.ts'
import { routeFake } from '../../helpers/console-fake.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { buildConsole } from '../../../scripts/build-console.ts'

describe('console pages (fixed answers)', { skip: browserMissing() }, () => {
  const nimbus = useNimbus()
  const browser = useBrowser()
  const base = (): string => `http://127.0.0.1:${nimbus.current.port}/_nimbus/ui`
  let page: Page
  const actions: { name: string; params: unknown }[] = []

  it('serves the built console at /_nimbus/ui and loads the resources page', async () => {
    await buildConsole()
    page = await browser.page()
    await routeFake(page, actions)
    await page.goto(`${base()}#/resources/sqs/queue`)
    await page.getByRole('link', { name: 'orders-dlq' }).waitFor()
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'SQS: Queues')
    assert.deepEqual(await seriousViolations(page), [])
    await browser.screenshot(page, 'fake-resources-light')
  })

  it('starts keyboard users at "Skip to content", which moves focus to the page', async () => {
    await page.reload()
    await page.getByRole('link', { name: 'orders-dlq' }).waitFor()
    await page.keyboard.press('Tab')
    assert.equal(await page.locator(':focus').textContent(), 'Skip to content')
    await page.keyboard.press('Enter')
    assert.equal(await page.locator(':focus').getAttribute('id'), 'main')
  })

  it('filters by keyboard: "/" focuses the filter, typing narrows the list', async () => {
    await page.getByRole('heading', { level: 1 }).click()
    await page.keyboard.press('/')
    await page.locator('[data-filter]:focus').waitFor()
    await page.keyboard.type('dlq')
    await page.getByRole('link', { name: 'orders', exact: true }).waitFor({ state: 'detached' })
    assert.equal(await page.getByRole('link', { name: 'orders-dlq' }).count(), 1)
    assert.match(page.url(), /q=dlq/)
  })

  it('draws the first 200 of a long list, and all of it on request', async () => {
    await page.getByLabel('Filter').fill('many')
    const showAll = page.getByRole('button', { name: 'Show all 250' })
    await showAll.waitFor()
    assert.equal(await page.locator('table.grid tbody tr').count(), 200)
    await showAll.click()
    await page.getByRole('link', { name: 'many-249' }).waitFor()
    assert.equal(await page.locator('table.grid tbody tr').count(), 250)
  })

  it('opens a queue: sections, chart with its threshold, an action sent with typed params', async () => {
    await page.goto(`${base()}#/resources/sqs/queue`)
    // Tab to the first queue link and open it with Enter, as a keyboard user would.
    await page.getByRole('link', { name: 'orders', exact: true }).focus()
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'orders', level: 1 }).waitFor()
    assert.equal(await page.getByRole('cell', { name: '{"order":42}' }).count(), 1)
    assert.equal(await page.locator('.chart .threshold').count(), 1)
    assert.equal(await page.locator('.chart polyline').count(), 2)
    await page.getByLabel('Body').fill('hello')
    await page.getByLabel('Delay (s)').fill('5')
    await page.getByRole('button', { name: 'Send a test message' }).click()
    await page.getByRole('status').getByText('m-2').waitFor()
    assert.deepEqual(actions.at(-1), { name: 'send', params: { body: 'hello', delaySeconds: 5 } })
    assert.deepEqual(await seriousViolations(page), [])
    await browser.screenshot(page, 'fake-queue-light')
  })

  it('shows the trace timeline with the live entry, and the path graph with a retry due', async () => {
    await page.goto(`${base()}#/trace`)
    await page.reload() // a fresh page, so the live entry arrives while the timeline listens
    await page.getByRole('cell', { name: 'ReceiveMessage (1.0 ms)' }).waitFor()
    assert.equal(await page.getByRole('link', { name: /^Path of entry/ }).count(), 4)
    assert.deepEqual(await seriousViolations(page), [])
    await browser.screenshot(page, 'fake-trace')
    await page.getByRole('link', { name: 'Path of entry 2' }).click()
    await page.locator('svg.graph').waitFor()
    assert.deepEqual(await page.locator('svg.graph [data-node]').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-node'))),
      ['uploads', 'orders', 'audit', 'worker'])
    assert.equal(await page.locator('svg.graph .edge.bad').count(), 1)
    assert.equal(await page.locator('svg.graph .edge.skip').count(), 1) // filtered out: grey, not failed
    await page.getByRole('cell', { name: 'filtered out: no rule matched' }).waitFor()
    assert.equal(await page.locator('svg.graph .edge.pending').count(), 1)
    assert.equal(await page.getByRole('cell', { name: 'scheduled' }).count(), 1)
    assert.deepEqual(await seriousViolations(page), [])
    await browser.screenshot(page, 'fake-path')
  })

  it('reads well in dark mode too (the theme button), with no serious violations', async () => {
    await page.goto(`${base()}#/resources/sqs/queue/`)
    const toggle = page.getByRole('button', { name: /^Theme:/ })
    await toggle.click()
    await page.getByRole('button', { name: 'Theme: light' }).waitFor()
    await toggle.click()
    await page.getByRole('button', { name: 'Theme: dark' }).waitFor()
    assert.equal(await page.locator('html').getAttribute('data-theme'), 'dark')
    await page.goto(`${base()}#/resource/sqs/queue/${encodeURIComponent('arn:aws:sqs:us-east-1:000000000000:orders')}`)
    await page.getByRole('heading', { name: 'orders', level: 1 }).waitFor()
    assert.deepEqual(await seriousViolations(page), [])
    await browser.screenshot(page, 'fake-queue-dark')
  })

  after(() => {
    assert.deepEqual(browser.problems, [])
  })
})
