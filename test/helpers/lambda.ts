// Lambda test helpers: a client, and functions made from inline source.
import { CreateFunctionCommand, type CreateFunctionCommandInput, LambdaClient } from '@aws-sdk/client-lambda'
import type { Nimbus } from '../../src/index.ts'
import { testCredentials, uniqueName } from './nimbus.ts'
import { makeZip, type ZipFileSpec } from './zip.ts'

export const role = 'arn:aws:iam::000000000000:role/lambda-role'

export function lambdaClient(nimbus: Nimbus, region = 'us-east-1'): LambdaClient {
  return new LambdaClient({ endpoint: nimbus.endpoint, region, credentials: testCredentials, maxAttempts: 1 })
}

/** Creates a function from files (default: one Node handler) and returns its name. */
export async function createFunction(client: LambdaClient, files: ZipFileSpec[] | string,
  overrides: Partial<CreateFunctionCommandInput> = {}): Promise<string> {
  const name = overrides.FunctionName ?? uniqueName('fn')
  const zip = makeZip(typeof files === 'string' ? [{ path: 'index.js', content: files }] : files)
  await client.send(new CreateFunctionCommand({
    FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: role, Code: { ZipFile: zip }, ...overrides,
  }))
  return name
}

export const decode = (payload: Uint8Array | undefined): unknown =>
  payload === undefined || payload.length === 0 ? undefined : JSON.parse(Buffer.from(payload).toString('utf8'))
