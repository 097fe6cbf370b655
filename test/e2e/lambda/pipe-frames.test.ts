// What crosses the runtime pipe's line headers intact (runtime-pipe.ts): a client context with
// newlines of its own (the INVOKE header's last line runs to its end), and error types with newlines
// and non-ASCII text (the POST header's last line), in both the Node.js and the Python bootstrap —
// with warm invocations after them, so a frame misread would show in the next answer too.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { InvokeCommand } from '@aws-sdk/client-lambda'
import { useNimbus } from '../../helpers/nimbus.ts'
import { createFunction, decode, lambdaClient } from '../../helpers/lambda.ts'

const nimbus = useNimbus()

/** A client context as a mobile SDK would send it, pretty-printed (newlines inside), base64 as Invoke takes it. */
const context = { client: { app_title: 'héllo\napp' }, custom: { line: 'one\ntwo' }, env: { locale: 'fr' } }
const clientContext = Buffer.from(JSON.stringify(context, null, 2)).toString('base64')

const node = `exports.handler = async (event, ctx) => {
  if (event.fail) { const e = new Error('broken'); e.name = 'Brôken\\nType'; throw e }
  return { id: ctx.awsRequestId, custom: ctx.clientContext?.custom ?? null, n: event.n }
}`
const python = `class Brôken(Exception):
    pass

def handler(event, context):
    if event.get("fail"):
        raise Brôken("broken")
    cc = context.client_context
    return {"id": context.aws_request_id, "custom": cc.custom if cc is not None else None, "n": event["n"]}
`

describe('runtime pipe frames', () => {
  for (const runtime of ['node', 'python'] as const) {
    it(`${runtime}: a client context with newlines arrives whole; an error type with a newline and non-ASCII answers; warm invokes after`, async () => {
      const lambda = lambdaClient(nimbus.current)
      const name = runtime === 'node' ? await createFunction(lambda, node)
        : await createFunction(lambda, [{ path: 'app.py', content: python }], { Runtime: 'python3.12', Handler: 'app.handler' })
      const send = (payload: object, extra: { ClientContext?: string } = {}) =>
        lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)), ...extra }))
      const first = await send({ n: 1 }, { ClientContext: clientContext })
      assert.equal(first.FunctionError, undefined)
      const got = decode(first.Payload) as { id: string; custom: unknown; n: number }
      assert.deepEqual([got.custom, got.n], [{ line: 'one\ntwo' }, 1])
      const failed = await send({ fail: true })
      assert.equal(failed.FunctionError, 'Unhandled')
      const error = decode(failed.Payload) as { errorType: string; errorMessage: string }
      assert.deepEqual([error.errorType, error.errorMessage], [runtime === 'node' ? 'Brôken\nType' : 'Brôken', 'broken'])
      for (let n = 2; n < 5; n++) {
        const out = decode((await send({ n })).Payload) as { id: string; custom: unknown; n: number }
        assert.deepEqual([out.custom, out.n], [null, n])
        assert.notEqual(out.id, got.id)
      }
    })
  }
})
