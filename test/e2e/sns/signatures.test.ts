// Messages verify the way AWS documents it: download SigningCertURL, rebuild the string to sign
// from the JSON, check Signature with the certificate's key (SHA1 for version 1, SHA256 for 2).
// The verifier here is written from AWS's description, independently of src/services/sns/signing.ts.
import assert from 'node:assert/strict'
import { verify, X509Certificate } from 'node:crypto'
import { after, describe, it } from 'node:test'
import { PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns'
import { startEndpoint, type TestEndpoint } from '../../helpers/http-endpoint.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { createTopic, snsClient, subscribeQueue } from '../../helpers/sns.ts'
import { sqsClient } from '../../helpers/sqs-clients.ts'
import { receiveAll, standardQueue } from '../../helpers/sqs-queues.ts'

const nimbus = useNimbus()
const sns = () => snsClient(nimbus.current)
const sqs = () => sqsClient(nimbus.current, 'json')
const endpoints: TestEndpoint[] = []
after(async () => Promise.all(endpoints.map((e) => e.close())))

type Message = Record<string, string | undefined>

async function verifies(message: Message): Promise<boolean> {
  const answer = await fetch(message.SigningCertURL!)
  assert.equal(answer.status, 200)
  const cert = new X509Certificate(await answer.text())
  const now = new Date()
  assert.ok(new Date(cert.validFrom) <= now && now <= new Date(cert.validTo), 'the certificate is valid now')
  const keys = message.Type === 'Notification'
    ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
    : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type']
  const text = keys.filter((k) => message[k] !== undefined).map((k) => `${k}\n${message[k]}\n`).join('')
  const algorithm = message.SignatureVersion === '2' ? 'RSA-SHA256' : 'RSA-SHA1'
  return verify(algorithm, Buffer.from(text, 'utf8'), cert.publicKey, Buffer.from(message.Signature!, 'base64'))
}

async function notificationVia(topicAttributes: Record<string, string>, publish: { Message: string; Subject?: string }): Promise<Message> {
  const topic = await createTopic(sns(), topicAttributes)
  const queue = await standardQueue(sqs())
  await subscribeQueue(sns(), topic, queue.arn)
  await sns().send(new PublishCommand({ TopicArn: topic, ...publish }))
  const [received] = await receiveAll(sqs(), queue.url)
  return JSON.parse(received!.Body as string) as Message
}

describe('SNS message signatures', () => {
  it('signs notifications with SignatureVersion 1 (SHA1withRSA), with and without Subject', async () => {
    const withSubject = await notificationVia({}, { Message: 'signed ✓', Subject: 'subject line' })
    assert.equal(withSubject.SignatureVersion, '1')
    assert.equal(await verifies(withSubject), true)
    const plain = await notificationVia({}, { Message: 'no subject' })
    assert.equal(await verifies(plain), true)
    assert.equal(await verifies({ ...plain, Message: 'tampered' }), false)
  })

  it('signs with SHA256withRSA when the topic says SignatureVersion 2', async () => {
    const message = await notificationVia({ SignatureVersion: '2' }, { Message: 'v2' })
    assert.equal(message.SignatureVersion, '2')
    assert.equal(await verifies(message), true)
    assert.equal(await verifies({ ...message, SignatureVersion: '1' }), false)
  })

  it('signs subscription confirmations', async () => {
    const topic = await createTopic(sns())
    const e = await startEndpoint()
    endpoints.push(e)
    await sns().send(new SubscribeCommand({ TopicArn: topic, Protocol: 'http', Endpoint: e.url }))
    const confirmation = JSON.parse((await e.request(0)).body) as Message
    assert.equal(await verifies(confirmation), true)
  })

  it('serves the certificate only under its own name', async () => {
    const message = await notificationVia({}, { Message: 'x' })
    const wrong = message.SigningCertURL!.replace(/-[0-9a-f]{32}\.pem$/, '-00000000000000000000000000000000.pem')
    assert.equal((await fetch(wrong)).status, 404)
  })
})
