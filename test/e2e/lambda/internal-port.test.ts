// Lambda's internal port (nimbus.services.lambda): what SNS, S3 and EventBridge use to invoke functions.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isAwsError } from '../../../src/protocol/errors.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'

const nimbus = useNimbus()

describe('Lambda internal port', () => {
  it('invokes asynchronously with the payload given, and refuses unknown functions', async () => {
    const name = await createFunction(lambdaClient(nimbus.current),
      'exports.handler = async (e) => console.log("GOT " + JSON.stringify(e))')
    const arn = `arn:aws:lambda:us-east-1:000000000000:function:${name}`
    const port = nimbus.current.services.lambda
    assert.equal(port.exists(arn), true)
    assert.equal(port.exists(`${arn}:7`), false)
    const got = new Promise<string>((resolve) => {
      const off = nimbus.current.services.logs.onAppended((e) => {
        const line = e.events.find((ev) => ev.message.includes('GOT '))
        if (e.logGroupName === `/aws/lambda/${name}` && line !== undefined) {
          off()
          resolve(line.message)
        }
      })
    })
    const requestId = port.invokeAsync(arn, JSON.stringify({ Records: [{ EventSource: 'aws:sns' }] }))
    assert.match(requestId, /^[0-9a-f-]{36}$/)
    assert.match(await got, /GOT \{"Records":\[\{"EventSource":"aws:sns"\}\]\}/)
    assert.throws(() => port.invokeAsync(`${arn}-missing`, '{}'), (e) => isAwsError(e) && e.code === 'ResourceNotFoundException')
  })
})
