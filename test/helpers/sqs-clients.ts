// One SQS client interface over two real SDKs, so the same end-to-end suite runs over both wire
// protocols: @aws-sdk/client-sqs v3 (JSON) and aws-sdk v2.1400 (query/XML, before SQS moved to JSON).
import * as v3 from '@aws-sdk/client-sqs'
import AWSv2 from 'aws-sdk-v2-query'
import type { Nimbus } from '../../src/index.ts'
import { testCredentials } from './nimbus.ts'

export type SqsProtocol = 'json' | 'query'
export const sqsProtocols: SqsProtocol[] = ['json', 'query']

/** An SQS error as either SDK reports it: `code` is the legacy query code (AWS.SimpleQueueService.NonExistentQueue…). */
export interface SqsCallError {
  code: string
  message: string
  status: number | undefined
}

export interface SqsTestClient {
  readonly protocol: SqsProtocol
  /** Calls an operation by its AWS name with the same input shape both SDKs take. */
  call<O = Record<string, any>>(operation: string, input: Record<string, unknown>): Promise<O> // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Calls and expects an error; returns it normalised. Fails the test if the call succeeds. */
  fail(operation: string, input: Record<string, unknown>): Promise<SqsCallError>
}

export function sqsClient(nimbus: Nimbus, protocol: SqsProtocol, region = 'us-east-1',
  credentials = testCredentials): SqsTestClient {
  const call = protocol === 'json' ? v3Caller(nimbus, region, credentials) : v2Caller(nimbus, region, credentials)
  return {
    protocol,
    call: call as SqsTestClient['call'],
    fail: async (operation, input) => {
      try {
        await call(operation, input)
      } catch (error) {
        return normalise(error)
      }
      throw new Error(`${operation} succeeded but an error was expected`)
    },
  }
}

type Caller = (operation: string, input: Record<string, unknown>) => Promise<unknown>

function v3Caller(nimbus: Nimbus, region: string, credentials: typeof testCredentials): Caller {
  const client = new v3.SQSClient({ endpoint: nimbus.endpoint, region, credentials, maxAttempts: 1 })
  return async (operation, input) => {
    const Command = (v3 as unknown as Record<string, new (input: unknown) => v3.ServiceInputTypes>)[`${operation}Command`]
    if (Command === undefined) throw new Error(`no v3 command for ${operation}`)
    const { $metadata: _, ...output } = (await client.send(new Command(input) as never)) as unknown as Record<string, unknown>
    return output
  }
}

function v2Caller(nimbus: Nimbus, region: string, credentials: typeof testCredentials): Caller {
  const client = new AWSv2.SQS({ endpoint: nimbus.endpoint, region, credentials, maxRetries: 0 })
  return async (operation, input) => {
    const method = operation.charAt(0).toLowerCase() + operation.slice(1)
    const fn = (client as unknown as Record<string, (i: unknown) => { promise(): Promise<unknown> }>)[method]
    if (fn === undefined) throw new Error(`no v2 method for ${operation}`)
    const output = (await fn.call(client, input).promise()) as Record<string, unknown>
    delete output.ResponseMetadata
    return output
  }
}

function normalise(error: unknown): SqsCallError {
  const e = error as { Code?: string; code?: string; name?: string; message?: string; statusCode?: number;
    $metadata?: { httpStatusCode?: number } }
  // v3 exposes the legacy query code (from x-amzn-query-error) as `Code`; v2 reads it from the XML as `code`.
  return {
    code: e.Code ?? e.code ?? e.name ?? 'Unknown',
    message: e.message ?? '',
    status: e.$metadata?.httpStatusCode ?? e.statusCode,
  }
}
