// A user's journeys through the console in real headless Chromium, against real Nimbus (in-process,
// manual clock): find a queue and read its messages, find an object, read a function's log line,
// follow one S3 upload's trace to the queue it reached, and move the clock with the buttons. No page
// logs a console error or sends a request off the machine; screenshots land in test-artifacts/.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { InvokeCommand } from '@aws-sdk/client-lambda'
import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import type { Page } from 'playwright-core'
import { buildConsole } from '../../../scripts/build-console.ts'
import { browserMissing, seriousViolations, useBrowser } from '../../helpers/browser.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { bucketName, s3Client } from '../../helpers/s3.ts'

describe('console journeys (real Nimbus)', { skip: browserMissing() }, () => {
  const nimbus = useNimbus()
  const browser = useBrowser()
  let page: Page
  const ui = (hash = ''): string => `http://127.0.0.1:${nimbus.current.port}/_nimbus/ui${hash}`
  const sqs = (): SQSClient => new SQSClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 })

  before(async () => {
    await buildConsole()
    page = await browser.page()
  })

  it('finds a queue by typing its name and reads its messages without consuming them', async () => {
    const name = uniqueName('orders')
    const { QueueUrl } = await sqs().send(new CreateQueueCommand({ QueueName: name }))
    await sqs().send(new SendMessageCommand({ QueueUrl, MessageBody: '{"order":42,"from":"console test"}' }))
    await sqs().send(new CreateQueueCommand({ QueueName: uniqueName('other') }))
    await page.goto(ui())
    await page.getByRole('heading', { name: 'Resources', level: 1 }).waitFor()
    assert.deepEqual(await seriousViolations(page), [])
    await browser.screenshot(page, 'overview')
    await page.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'Queues' }).click()
    await page.getByLabel('Filter').fill(name)
    await page.getByRole('link', { name }).click()
    await page.getByRole('heading', { name, level: 1 }).waitFor()
    await page.getByRole('cell', { name: '{"order":42,"from":"console test"}' }).waitFor()
    assert.deepEqual(await seriousViolations(page), [])
    await browser.screenshot(page, 'queue-messages')
    // Peeked, not received: the message is still there for a consumer, never received.
    const { Attributes } = await sqs().send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))
    assert.deepEqual([Attributes?.ApproximateNumberOfMessages, Attributes?.ApproximateNumberOfMessagesNotVisible], ['1', '0'])
  })

  it('sends a test message from the queue page and sees it arrive', async () => {
    await page.getByRole('textbox', { name: 'Body' }).fill('typed in the console')
    await page.getByRole('button', { name: 'Send a test message' }).click()
    await page.getByRole('cell', { name: 'typed in the console' }).waitFor()
  })

  it('moves the clock with its buttons and to a date', async () => {
    const clock = nimbus.current.clock
    const before = clock.now()
    await page.getByRole('button', { name: '+1 h' }).click()
    await page.getByTestId('clock-now').filter({ hasText: new Date(before + 3_600_000).toISOString().slice(0, 13).replace('T', ' ') }).waitFor()
    assert.equal(clock.now(), before + 3_600_000)
    await page.getByRole('button', { name: '+1 day' }).click()
    await page.getByRole('button', { name: '+1 min' }).click()
    const moved = before + 3_600_000 + 86_400_000 + 60_000
    await page.getByTestId('clock-now').filter({ hasText: new Date(moved).toISOString().slice(0, 16).replace('T', ' ') }).waitFor()
    assert.equal(clock.now(), moved)
    const target = new Date(Date.UTC(new Date(moved).getUTCFullYear() + 1, 0, 1))
    await page.getByLabel('Set the clock to (UTC)').fill(target.toISOString().slice(0, 19))
    await page.getByRole('button', { name: 'Set', exact: true }).click()
    await page.getByTestId('clock-now').filter({ hasText: target.toISOString().slice(0, 10) }).waitFor()
    assert.equal(clock.now(), target.getTime())
    await browser.screenshot(page, 'clock-moved')
  })

  it('finds an object in a bucket', async () => {
    const s3 = s3Client(nimbus.current)
    const Bucket = bucketName('console')
    await s3.send(new CreateBucketCommand({ Bucket }))
    await s3.send(new PutObjectCommand({ Bucket, Key: 'reports/2026/summary.csv', Body: 'a,b\n1,2\n' }))
    await page.goto(ui('#/resources/s3'))
    await page.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'Buckets' }).click()
    await page.getByLabel('Filter').fill(Bucket)
    await page.getByRole('link', { name: Bucket }).click()
    await page.getByRole('heading', { name: Bucket, level: 1 }).waitFor()
    await page.getByRole('cell', { name: 'reports/2026/summary.csv' }).waitFor()
    // Download it: its text shows, and a link saves the bytes.
    await page.getByRole('textbox', { name: 'Key' }).fill('reports/2026/summary.csv')
    await page.getByRole('button', { name: 'Download an object' }).click()
    assert.equal(await page.getByLabel('Contents').textContent(), 'a,b\n1,2\n')
    await page.getByRole('link', { name: 'Save summary.csv' }).waitFor()
    assert.deepEqual(await seriousViolations(page), [])
    await browser.screenshot(page, 'bucket-object')
  })

  it('reads a function\'s log line', async () => {
    const lambda = lambdaClient(nimbus.current)
    const name = await createFunction(lambda, 'exports.handler = async (e) => { console.log("console journey saw " + e.n); return { ok: true } }')
    await lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify({ n: 7 }) }))
    await page.goto(ui('#/resources/lambda'))
    await page.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'Functions' }).click()
    await page.getByLabel('Filter').fill(name)
    await page.getByRole('link', { name }).click()
    await page.getByRole('heading', { name, level: 1 }).waitFor()
    // The line the SDK's invoke wrote, in the function's log group (a link from the function).
    await page.getByRole('link', { name: 'Log group' }).click()
    await page.getByRole('heading', { name: `/aws/lambda/${name}`, level: 1 }).waitFor()
    await page.getByText('console journey saw 7').first().waitFor()
    await browser.screenshot(page, 'function-log')
    // Invoked from the console: the result and this invocation's log lines.
    await page.goBack()
    await page.getByRole('textbox', { name: 'Payload (JSON)' }).fill('{"n": 8}')
    await page.getByRole('button', { name: 'Invoke' }).click()
    await page.getByRole('list', { name: 'Log lines' }).getByText('console journey saw 8').waitFor()
    assert.deepEqual(await seriousViolations(page), [])
    await browser.screenshot(page, 'function-invoked')
  })

  it('follows one S3 upload\'s trace to the queue it reached', async () => {
    const s3 = s3Client(nimbus.current)
    const Bucket = bucketName('traced')
    const queueName = uniqueName('uploads')
    const { QueueUrl } = await sqs().send(new CreateQueueCommand({ QueueName: queueName }))
    const queueArn = `arn:aws:sqs:us-east-1:000000000000:${queueName}`
    await s3.send(new CreateBucketCommand({ Bucket }))
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: {
      QueueConfigurations: [{ QueueArn: queueArn, Events: ['s3:ObjectCreated:*'] }] } }))
    await s3.send(new PutObjectCommand({ Bucket, Key: 'photo.jpg', Body: 'not really a photo' }))
    assert.ok(QueueUrl)
    await page.goto(ui('#/trace'))
    await page.getByLabel('Service').fill('s3')
    await page.getByLabel('Resource').fill(Bucket)
    const row = page.getByRole('row').filter({ hasText: 'PutObject' })
    await row.first().waitFor()
    assert.deepEqual(await seriousViolations(page), [])
    await browser.screenshot(page, 'trace-filtered')
    await row.first().getByRole('link', { name: /^Path of entry/ }).click()
    await page.locator(`svg.graph [data-node="${queueName}"]`).waitFor()
    assert.deepEqual(await seriousViolations(page), [])
    await browser.screenshot(page, 'upload-path')
    // The queue's node leads to the queue, where the notification waits as a message.
    await page.getByRole('link', { name: `sqs ${queueName}` }).click()
    await page.getByRole('heading', { name: queueName, level: 1 }).waitFor()
    await page.getByRole('cell', { name: /"eventName":"ObjectCreated:Put"/ }).waitFor()
  })

  it('shows new calls on the timeline live (server-sent events), without a reload', async () => {
    const name = uniqueName('live')
    await page.goto(ui(`#/trace?service=sqs&resource=${name}`))
    await page.getByText('Nothing traced matches.').waitFor()
    const { QueueUrl } = await sqs().send(new CreateQueueCommand({ QueueName: name }))
    await sqs().send(new SendMessageCommand({ QueueUrl, MessageBody: 'live' }))
    await page.getByRole('row').filter({ hasText: 'SendMessage' }).waitFor()
    assert.equal(await page.getByRole('row').filter({ hasText: 'CreateQueue' }).count(), 1)
  })

  after(() => {
    assert.deepEqual(browser.problems, [])
  })
})
