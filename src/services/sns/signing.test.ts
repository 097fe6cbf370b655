import assert from 'node:assert/strict'
import { generateKeyPairSync, verify, X509Certificate } from 'node:crypto'
import { test } from 'node:test'
import { selfSignedCertificate } from '../../core/x509.ts'
import { SnsSigner, stringToSign, type KeyPair } from './signing.ts'

// One key pair for the whole file: RSA generation is the slow part, and every test that does not
// count generations can share it.
const shared = generateKeyPairSync('rsa', { modulusLength: 2048 })
const NOW = Date.UTC(2024, 4, 2, 0, 54, 6)

function counting(): { keygen: () => KeyPair; calls: () => number } {
  let calls = 0
  return { keygen: () => (calls++, shared), calls: () => calls }
}

const signer = new SnsSigner(() => NOW, { generateKeyPair: () => shared })

const notification = {
  Type: 'Notification',
  MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
  TopicArn: 'arn:aws:sns:us-east-1:000000000000:my-topic',
  Subject: 'My First Message',
  Message: 'Hello world!\nsecond line',
  Timestamp: '2012-05-02T00:54:06.655Z',
}

/** What a subscriber does (AWS's documented algorithm), with the certificate the signer serves. */
function verifies(fields: Record<string, string | undefined>, signature: string, version: '1' | '2'): boolean {
  const cert = new X509Certificate(signer.certificatePem())
  const algorithm = version === '1' ? 'RSA-SHA1' : 'RSA-SHA256'
  return verify(algorithm, Buffer.from(stringToSign(fields)), cert.publicKey, Buffer.from(signature, 'base64'))
}

test('the certificate parses, is self-signed, and is valid now', () => {
  const cert = new X509Certificate(signer.certificatePem())
  assert.equal(cert.verify(cert.publicKey), true)
  assert.equal(cert.checkIssued(cert), true)
  assert.equal(cert.subject, cert.issuer)
  assert.match(cert.subject, /CN=sns\.amazonaws\.com/)
  assert.match(cert.subject, /O=Nimbus/)
  assert.equal(cert.ca, true)
  assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 2048)
  assert.ok(Date.parse(cert.validFrom) <= NOW && NOW <= Date.parse(cert.validTo))
  assert.ok(Date.parse(cert.validTo) - NOW > 9 * 365 * 24 * 3600 * 1000, 'long validity')
  assert.match(cert.serialNumber, /^[0-9A-F]+$/)
})

test('the certificate file name is AWS-shaped and follows the certificate', () => {
  assert.match(signer.certificateFileName(), /^SimpleNotificationService-[0-9a-f]{32}\.pem$/)
  const other = new SnsSigner(() => NOW, { generateKeyPair: () => shared })
  assert.notEqual(other.certificateFileName(), signer.certificateFileName(), 'new serial, new certificate, new name')
})

test('SignatureVersion 1 (SHA1withRSA) and 2 (SHA256withRSA) verify with the certificate key', () => {
  const v1 = signer.sign(notification, '1')
  const v2 = signer.sign(notification, '2')
  assert.equal(Buffer.from(v1, 'base64').length, 256)
  assert.equal(verifies(notification, v1, '1'), true)
  assert.equal(verifies(notification, v2, '2'), true)
  assert.equal(verifies(notification, v1, '2'), false, 'versions are not interchangeable')
})

test('a tampered message fails verification', () => {
  const signature = signer.sign(notification, '1')
  assert.equal(verifies({ ...notification, Message: 'Hello world?\nsecond line' }, signature, '1'), false)
  assert.equal(verifies({ ...notification, Subject: undefined }, signature, '1'), false)
  const tamperedSig = Buffer.from(signature, 'base64')
  tamperedSig[10]! ^= 1
  assert.equal(verifies(notification, tamperedSig.toString('base64'), '1'), false)
})

test('Notification string to sign: AWS order, Subject only when present', () => {
  assert.equal(
    stringToSign(notification),
    'Message\nHello world!\nsecond line\nMessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\nSubject\nMy First Message\n' +
      'Timestamp\n2012-05-02T00:54:06.655Z\nTopicArn\narn:aws:sns:us-east-1:000000000000:my-topic\nType\nNotification\n',
  )
  const { Subject: _, ...noSubject } = notification
  const expected =
    'Message\nHello world!\nsecond line\nMessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\n' +
    'Timestamp\n2012-05-02T00:54:06.655Z\nTopicArn\narn:aws:sns:us-east-1:000000000000:my-topic\nType\nNotification\n'
  assert.equal(stringToSign(noSubject), expected)
  assert.equal(stringToSign({ ...notification, Subject: null }), expected, 'the Lambda event has Subject: null')
  // Fields outside the list (SignatureVersion, UnsubscribeURL, MessageAttributes...) are not signed.
  assert.equal(stringToSign({ ...noSubject, UnsubscribeURL: 'https://x', SignatureVersion: '1' }), expected)
  const signature = signer.sign(noSubject, '2')
  assert.equal(verifies(noSubject, signature, '2'), true)
})

test('confirmation string to sign includes SubscribeURL and Token in AWS order', () => {
  for (const Type of ['SubscriptionConfirmation', 'UnsubscribeConfirmation']) {
    const fields = {
      Type,
      MessageId: 'm-1',
      Token: 'tok',
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:t',
      Message: 'You have chosen to subscribe',
      SubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=tok',
      Timestamp: '2012-04-26T20:45:04.751Z',
    }
    assert.equal(
      stringToSign(fields),
      'Message\nYou have chosen to subscribe\nMessageId\nm-1\n' +
        'SubscribeURL\nhttps://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=tok\n' +
        `Timestamp\n2012-04-26T20:45:04.751Z\nToken\ntok\nTopicArn\narn:aws:sns:us-east-1:000000000000:t\nType\n${Type}\n`,
    )
    assert.equal(verifies(fields, signer.sign(fields, '1'), '1'), true)
    assert.throws(() => stringToSign({ ...fields, Token: undefined }), /Token is missing/)
  }
})

test('unsigned types, missing fields and unknown versions are refused', () => {
  assert.throws(() => stringToSign({ ...notification, Type: 'Other' }), /does not sign/)
  assert.throws(() => stringToSign({ ...notification, MessageId: undefined }), /MessageId is missing/)
  assert.throws(() => signer.sign(notification, '3' as '1'), /SignatureVersion/)
})

test('keys are generated lazily, once', () => {
  const { keygen, calls } = counting()
  const lazy = new SnsSigner(() => NOW, { generateKeyPair: keygen })
  assert.equal(calls(), 0, 'constructing generates nothing')
  const pem = lazy.certificatePem()
  lazy.sign(notification, '1')
  lazy.sign(notification, '2')
  assert.equal(lazy.certificatePem(), pem)
  lazy.certificateFileName()
  assert.equal(calls(), 1)
})

test('the default key generator makes an RSA 2048 key that signs verifiably', () => {
  const real = new SnsSigner(() => NOW)
  const cert = new X509Certificate(real.certificatePem())
  const signature = real.sign(notification, '2')
  assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 2048)
  assert.equal(verify('RSA-SHA256', Buffer.from(stringToSign(notification)), cert.publicKey, Buffer.from(signature, 'base64')), true)
})

test('certificate validity honours the clock, including dates outside UTCTime (GeneralizedTime)', () => {
  const from = Date.UTC(2045, 0, 1)
  const to = Date.UTC(2060, 5, 30, 12, 0, 0) // past 2049: encoded as GeneralizedTime
  const { pem } = selfSignedCertificate({ ...shared, subject: { commonName: 'x.test' }, notBefore: from, notAfter: to })
  const cert = new X509Certificate(pem)
  assert.equal(Date.parse(cert.validFrom), from)
  assert.equal(Date.parse(cert.validTo), to)
  assert.equal(cert.subject, 'CN=x.test')
  assert.equal(cert.verify(cert.publicKey), true)
})
