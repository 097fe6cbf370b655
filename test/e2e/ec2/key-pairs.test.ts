// Key pairs with @aws-sdk/client-ec2: created RSA/ED25519 material and AWS's fingerprints, imports,
// DescribeKeyPairs filters, deletion, and RunInstances' KeyName check.
import assert from 'node:assert/strict'
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto'
import { describe, it } from 'node:test'
import {
  CreateKeyPairCommand, DeleteKeyPairCommand, DescribeImagesCommand, DescribeKeyPairsCommand, EC2Client, EC2ServiceException,
  ImportKeyPairCommand, RunInstancesCommand,
} from '@aws-sdk/client-ec2'
import { testCredentials, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const ec2 = () => new EC2Client({ endpoint: nimbus.current.endpoint, region: 'eu-west-1', credentials: testCredentials })

async function rejects(promise: Promise<unknown>, code: string, message: string): Promise<void> {
  await assert.rejects(promise, (error: EC2ServiceException) => {
    assert.equal(error.name, code)
    assert.equal(error.message, message)
    return true
  })
}

const colons = (hex: string) => hex.match(/../g)!.join(':')

describe('EC2 key pairs', () => {
  it('creates an RSA key whose fingerprint is the SHA-1 of its PKCS#8 DER', async () => {
    const made = await ec2().send(new CreateKeyPairCommand({ KeyName: 'deploy', TagSpecifications: [{ ResourceType: 'key-pair', Tags: [{ Key: 'team', Value: 'ops' }] }] }))
    assert.match(made.KeyPairId!, /^key-[0-9a-f]{17}$/)
    assert.match(made.KeyMaterial!, /^-----BEGIN RSA PRIVATE KEY-----\n/)
    const key = createPrivateKey(made.KeyMaterial!)
    assert.equal(key.asymmetricKeyDetails?.modulusLength, 2048)
    assert.equal(made.KeyFingerprint, colons(createHash('sha1').update(key.export({ format: 'der', type: 'pkcs8' })).digest('hex')))
    const { KeyPairs } = await ec2().send(new DescribeKeyPairsCommand({ KeyNames: ['deploy'], IncludePublicKey: true }))
    assert.equal(KeyPairs![0]!.KeyType, 'rsa')
    assert.equal(KeyPairs![0]!.KeyFingerprint, made.KeyFingerprint)
    assert.match(KeyPairs![0]!.PublicKey!, /^ssh-rsa AAAA/)
    assert.deepEqual(KeyPairs![0]!.Tags, [{ Key: 'team', Value: 'ops' }])
    await rejects(ec2().send(new CreateKeyPairCommand({ KeyName: 'deploy' })), 'InvalidKeyPair.Duplicate', 'The keypair \'deploy\' already exists.')
  })

  it('creates ED25519 keys in OpenSSH format with the base64 SHA-256 fingerprint', async () => {
    const made = await ec2().send(new CreateKeyPairCommand({ KeyName: 'ed', KeyType: 'ed25519' }))
    assert.match(made.KeyMaterial!, /^-----BEGIN OPENSSH PRIVATE KEY-----\n/)
    const { KeyPairs } = await ec2().send(new DescribeKeyPairsCommand({ KeyPairIds: [made.KeyPairId!], IncludePublicKey: true }))
    const blob = Buffer.from(KeyPairs![0]!.PublicKey!.split(' ')[1]!, 'base64')
    assert.equal(made.KeyFingerprint, createHash('sha256').update(blob).digest('base64'))
    assert.equal(KeyPairs![0]!.KeyType, 'ed25519')
  })

  it('imports RSA (MD5 of the public DER) and ED25519 public keys; filters; deletes', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const pem = publicKey.export({ format: 'pem', type: 'spki' }) as string
    const rsa = await ec2().send(new ImportKeyPairCommand({ KeyName: 'laptop', PublicKeyMaterial: Buffer.from(pem) }))
    const md5 = colons(createHash('md5').update(publicKey.export({ format: 'der', type: 'spki' })).digest('hex'))
    assert.equal(rsa.KeyFingerprint, md5)
    // The same key as OpenSSH text gives the same fingerprint.
    const { KeyPairs: [shown] = [] } = await ec2().send(new DescribeKeyPairsCommand({ KeyNames: ['laptop'], IncludePublicKey: true }))
    const again = await ec2().send(new ImportKeyPairCommand({ KeyName: 'laptop-ssh', PublicKeyMaterial: Buffer.from(`${shown!.PublicKey} me@laptop\n`) }))
    assert.equal(again.KeyFingerprint, md5)
    assert.equal(createPublicKey(pem).asymmetricKeyType, 'rsa')

    const ed = generateKeyPairSync('ed25519').publicKey
    const raw = Buffer.from(ed.export({ format: 'jwk' }).x!, 'base64url')
    const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b])
    const blob = Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)])
    const imported = await ec2().send(new ImportKeyPairCommand({ KeyName: 'ed-import', PublicKeyMaterial: Buffer.from(`ssh-ed25519 ${blob.toString('base64')} x`) }))
    assert.equal(imported.KeyFingerprint, createHash('sha256').update(blob).digest('base64'))

    await rejects(ec2().send(new ImportKeyPairCommand({ KeyName: 'bad', PublicKeyMaterial: Buffer.from('not a key') })),
      'InvalidKey.Format', 'Key is not in valid OpenSSH public key format')
    const byType = await ec2().send(new DescribeKeyPairsCommand({ Filters: [{ Name: 'key-type', Values: ['ed25519'] }, { Name: 'key-name', Values: ['ed-*'] }] }))
    assert.deepEqual(byType.KeyPairs!.map((k) => k.KeyName), ['ed-import'])
    await rejects(ec2().send(new DescribeKeyPairsCommand({ KeyNames: ['nope'] })), 'InvalidKeyPair.NotFound', 'The key pair \'nope\' does not exist')

    await ec2().send(new DeleteKeyPairCommand({ KeyName: 'laptop' }))
    await ec2().send(new DeleteKeyPairCommand({ KeyName: 'laptop' })) // idempotent, as AWS
    const left = await ec2().send(new DescribeKeyPairsCommand({}))
    assert.deepEqual(left.KeyPairs!.map((k) => k.KeyName).sort(), ['deploy', 'ed', 'ed-import', 'laptop-ssh'])
  })

  it('RunInstances refuses a KeyName the account does not hold', async () => {
    const { Images } = await ec2().send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023*-x86_64'] }] }))
    await rejects(ec2().send(new RunInstancesCommand({ ImageId: Images![0]!.ImageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, KeyName: 'ghost' })),
      'InvalidKeyPair.NotFound', 'The key pair \'ghost\' does not exist')
    await ec2().send(new CreateKeyPairCommand({ KeyName: 'real', KeyType: 'ed25519' }))
    const run = await ec2().send(new RunInstancesCommand({ ImageId: Images![0]!.ImageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, KeyName: 'real' }))
    assert.equal(run.Instances![0]!.KeyName, 'real')
  })
})
