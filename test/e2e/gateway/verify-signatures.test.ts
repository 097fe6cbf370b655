// `verifySignatures` (--verify-signatures) end to end with real SDK clients: the right secret passes,
// a wrong one gets each protocol's AWS error (SQS over JSON and query, S3, Lambda's REST-JSON, STS),
// IAM users' keys and STS's temporary credentials (token checked) work, and the mode is off by default.
import assert from 'node:assert/strict'
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam'
import { InvokeCommand, ListFunctionsCommand, LambdaClient } from '@aws-sdk/client-lambda'
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3'
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts'
import { describe, it } from 'node:test'
import { type Credentials, iamClient, stsClient, trustPolicy } from '../../helpers/iam.ts'
import { createFunction, decode, lambdaClient } from '../../helpers/lambda.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { sqsClient } from '../../helpers/sqs-clients.ts'

const nimbus = useNimbus({ verifySignatures: true })
const plain = useNimbus()

const wrong = { accessKeyId: 'test', secretAccessKey: 'not-the-secret' }
const unknown = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'test' }
const mismatch = 'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'
const invalidToken = 'The security token included in the request is invalid.'

const s3 = (credentials: Credentials) => new S3Client({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials, forcePathStyle: true })
const lambda = (credentials: Credentials) => new LambdaClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 })

describe('verify signatures: the right secret passes, a wrong one fails as AWS answers', () => {
  it('SQS over JSON: SignatureDoesNotMatch (400) with the canonical request in the message; unknown key InvalidClientTokenId', async () => {
    await sqsClient(nimbus.current, 'json').call('ListQueues', {})
    const bad = await sqsClient(nimbus.current, 'json', 'us-east-1', wrong).fail('ListQueues', {})
    assert.equal(bad.code, 'SignatureDoesNotMatch')
    assert.equal(bad.status, 400)
    assert.ok(bad.message.startsWith(`${mismatch}\n\nThe Canonical String for this request should have been\n'POST\n/\n`), bad.message)
    assert.match(bad.message, /\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/us-east-1\/sqs\/aws4_request\n[0-9a-f]{64}'\n$/)
    const stranger = await sqsClient(nimbus.current, 'json', 'us-east-1', unknown).fail('ListQueues', {})
    assert.deepEqual([stranger.code, stranger.status, stranger.message], ['InvalidClientTokenId', 400, invalidToken])
  })

  it('SQS over query: 403 SignatureDoesNotMatch and InvalidClientTokenId', async () => {
    await sqsClient(nimbus.current, 'query').call('ListQueues', {})
    const bad = await sqsClient(nimbus.current, 'query', 'us-east-1', wrong).fail('ListQueues', {})
    assert.deepEqual([bad.code, bad.status], ['SignatureDoesNotMatch', 403])
    assert.ok(bad.message.startsWith(mismatch))
    const stranger = await sqsClient(nimbus.current, 'query', 'us-east-1', unknown).fail('ListQueues', {})
    assert.deepEqual([stranger.code, stranger.status, stranger.message], ['InvalidClientTokenId', 403, invalidToken])
  })

  it("S3: SignatureDoesNotMatch with S3's wording and fields; InvalidAccessKeyId for an unknown key", async () => {
    await s3({ accessKeyId: 'test', secretAccessKey: 'test' }).send(new ListBucketsCommand({}))
    const bad = await sdkError(s3(wrong).send(new ListBucketsCommand({})))
    assert.deepEqual([bad.name, bad.status, bad.message], ['SignatureDoesNotMatch', 403,
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.'])
    const stranger = await sdkError(s3(unknown).send(new ListBucketsCommand({})))
    assert.deepEqual([stranger.name, stranger.status, stranger.message],
      ['InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.'])
  })

  it('Lambda (REST-JSON): 403 InvalidSignatureException and UnrecognizedClientException', async () => {
    await lambda({ accessKeyId: 'test', secretAccessKey: 'test' }).send(new ListFunctionsCommand({}))
    const bad = await sdkError(lambda(wrong).send(new ListFunctionsCommand({})))
    assert.deepEqual([bad.name, bad.status], ['InvalidSignatureException', 403])
    assert.ok(bad.message.startsWith(`${mismatch}\n\nThe Canonical String for this request should have been\n'GET\n/2015-03-31/functions\n`), bad.message)
    const stranger = await sdkError(lambda(unknown).send(new ListFunctionsCommand({})))
    assert.deepEqual([stranger.name, stranger.status, stranger.message], ['UnrecognizedClientException', 403, invalidToken])
  })

  it('STS: 403 SignatureDoesNotMatch and InvalidClientTokenId', async () => {
    const bad = await sdkError(stsClient(nimbus.current, wrong).send(new GetCallerIdentityCommand({})))
    assert.deepEqual([bad.name, bad.status], ['SignatureDoesNotMatch', 403])
    const stranger = await sdkError(stsClient(nimbus.current, unknown).send(new GetCallerIdentityCommand({})))
    assert.deepEqual([stranger.name, stranger.status, stranger.message], ['InvalidClientTokenId', 403, invalidToken])
  })

  it('a function Nimbus runs calls back with the credentials it was given (boto3 in a Python function)', async () => {
    const name = await createFunction(lambdaClient(nimbus.current), [{ path: 'app.py',
      content: "import boto3\ndef handler(event, context):\n    return boto3.client('sts').get_caller_identity()['Arn']\n" }],
    { Runtime: 'python3.12', Handler: 'app.handler' })
    const out = await lambdaClient(nimbus.current).send(new InvokeCommand({ FunctionName: name }))
    assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString())
    assert.match(String(decode(out.Payload)), /^arn:aws:/)
  })

  it('a 12-digit account id signs with the default secret too, and acts in that account', async () => {
    const who = await stsClient(nimbus.current, { accessKeyId: '111122223333', secretAccessKey: 'test' }).send(new GetCallerIdentityCommand({}))
    assert.equal(who.Account, '111122223333')
  })
})

describe('verify signatures: keys Nimbus issued', () => {
  it("an IAM user's access key from CreateAccessKey signs with its own secret, not the default one", async () => {
    const iam = iamClient(nimbus.current)
    await iam.send(new CreateUserCommand({ UserName: 'signer' }))
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'signer' }))
    const own = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }
    const who = await stsClient(nimbus.current, own).send(new GetCallerIdentityCommand({}))
    assert.equal(who.Arn, 'arn:aws:iam::000000000000:user/signer')
    await s3(own).send(new ListBucketsCommand({}))
    const bad = await sdkError(stsClient(nimbus.current, { ...own, secretAccessKey: 'test' }).send(new GetCallerIdentityCommand({})))
    assert.equal(bad.name, 'SignatureDoesNotMatch')
    // A long-term key sent with a session token is refused as AWS refuses it.
    const withToken = await sdkError(stsClient(nimbus.current, { ...own, sessionToken: 'x' }).send(new GetCallerIdentityCommand({})))
    assert.equal(withToken.name, 'InvalidClientTokenId')
    // Made Inactive, the key is refused until it is Active again.
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'signer', AccessKeyId: own.accessKeyId, Status: 'Inactive' }))
    assert.equal((await sdkError(stsClient(nimbus.current, own).send(new GetCallerIdentityCommand({})))).name, 'InvalidClientTokenId')
    assert.equal((await sdkError(s3(own).send(new ListBucketsCommand({})))).name, 'InvalidAccessKeyId')
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'signer', AccessKeyId: own.accessKeyId, Status: 'Active' }))
    await stsClient(nimbus.current, own).send(new GetCallerIdentityCommand({}))
  })

  it("STS AssumeRole's temporary credentials work with their token, and fail without it or with another", async () => {
    const iam = iamClient(nimbus.current)
    const role = await iam.send(new CreateRoleCommand({ RoleName: 'signed-role', AssumeRolePolicyDocument: trustPolicy }))
    const { Credentials: c } = await stsClient(nimbus.current).send(new AssumeRoleCommand({ RoleArn: role.Role!.Arn!, RoleSessionName: 's1' }))
    const temporary = { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! }
    const who = await stsClient(nimbus.current, temporary).send(new GetCallerIdentityCommand({}))
    assert.equal(who.Arn, 'arn:aws:sts::000000000000:assumed-role/signed-role/s1')
    await sqsClient(nimbus.current, 'json', 'us-east-1', temporary).call('ListQueues', {})
    await s3(temporary).send(new ListBucketsCommand({}))

    const { sessionToken: _, ...noToken } = temporary
    const missing = await sdkError(stsClient(nimbus.current, noToken).send(new GetCallerIdentityCommand({})))
    assert.deepEqual([missing.name, missing.status, missing.message], ['InvalidClientTokenId', 403, invalidToken])
    const other = await sdkError(stsClient(nimbus.current, { ...temporary, sessionToken: 'not-the-token' }).send(new GetCallerIdentityCommand({})))
    assert.equal(other.name, 'InvalidClientTokenId')
    const otherToken = { ...temporary, sessionToken: 'nope' }
    const json = await sqsClient(nimbus.current, 'json', 'us-east-1', otherToken).fail('ListQueues', {})
    assert.equal(json.code, 'InvalidClientTokenId')
    // S3: without the token the temporary key is unknown; with a wrong one the token is invalid.
    assert.equal((await sdkError(s3(noToken).send(new ListBucketsCommand({})))).name, 'InvalidAccessKeyId')
    const s3Other = await sdkError(s3({ ...temporary, sessionToken: 'nope' }).send(new ListBucketsCommand({})))
    assert.deepEqual([s3Other.name, s3Other.status], ['InvalidToken', 400])
  })
})

describe('verify signatures: off by default', () => {
  it('without the option any secret passes, as before', async () => {
    const anySecret = new S3Client({ endpoint: plain.current.endpoint, region: 'us-east-1', credentials: wrong, forcePathStyle: true })
    await anySecret.send(new ListBucketsCommand({}))
    await sqsClient(plain.current, 'json', 'us-east-1', unknown).call('ListQueues', {})
  })
})
