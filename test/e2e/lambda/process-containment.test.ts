// Function processes never outlive their function: children detached into a new session die when
// the function is deleted or Nimbus stops; and a function's memory is held to its MemorySize.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { DeleteFunctionCommand, InvokeCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda'
import { startNimbus } from '../../../src/index.ts'
import { createFunction, decode, lambdaClient } from '../../helpers/lambda.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'

const linux = process.platform === 'linux'

/** Live processes whose environment holds NIMBUS_ENVIRONMENT_ID=<tag> (read straight from /proc). */
function tagged(tag: string): number[] {
  const found: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      if (readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(`NIMBUS_ENVIRONMENT_ID=${tag}`)) found.push(Number(name))
    } catch {
      // gone meanwhile
    }
  }
  return found
}

/** Waits (bounded) for the OS to finish killing: a SIGKILLed process shows for a moment while it dies. */
async function noneLeft(tag: string): Promise<void> {
  for (let i = 0; i < 200 && tagged(tag).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10))
  assert.deepEqual(tagged(tag), [], `processes of environment ${tag} outlived it`)
}

// Detached into a new session (their own process group), by three routes: Node's detached spawn, a
// shell that backgrounds more, and setsid.
const nodeSpawner = `
const { spawn } = require('node:child_process')
exports.handler = async () => {
  const children = [
    spawn('sleep', ['300'], { detached: true, stdio: 'ignore' }),
    spawn('sh', ['-c', 'sleep 300 & sleep 300 & wait'], { detached: true, stdio: 'ignore' }),
    spawn('setsid', ['sleep', '300'], { stdio: 'ignore' }),
  ]
  for (const child of children) child.unref()
  await new Promise((resolve) => setTimeout(resolve, 100))
  return { tag: process.env.NIMBUS_ENVIRONMENT_ID, pids: children.map((c) => c.pid) }
}`

const pythonSpawner = [
  'import os, subprocess, time',
  'def handler(event, context):',
  '    pids = [subprocess.Popen(["sleep", "300"], start_new_session=True).pid for _ in range(3)]',
  '    time.sleep(0.1)',
  '    return {"tag": os.environ["NIMBUS_ENVIRONMENT_ID"], "pids": pids}',
].join('\n')

describe('function processes', { skip: !linux && 'needs /proc' }, () => {
  const nimbus = useNimbus()

  it('kills detached children of a Node function when the function is deleted', async () => {
    const lambda = lambdaClient(nimbus.current)
    const name = await createFunction(lambda, nodeSpawner)
    const out = decode((await lambda.send(new InvokeCommand({ FunctionName: name }))).Payload) as { tag: string; pids: number[] }
    assert.equal(out.pids.length, 3)
    assert.ok(tagged(out.tag).length >= 4, 'the detached sleeps run while the function exists')
    await lambda.send(new DeleteFunctionCommand({ FunctionName: name }))
    await noneLeft(out.tag)
  })

  it('kills them when the function is updated, and when an idle environment is reclaimed', async () => {
    const lambda = lambdaClient(nimbus.current)
    const name = await createFunction(lambda, nodeSpawner)
    const first = decode((await lambda.send(new InvokeCommand({ FunctionName: name }))).Payload) as { tag: string }
    assert.ok(tagged(first.tag).length >= 4)
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Environment: { Variables: { V: '2' } } }))
    await noneLeft(first.tag)
    const second = decode((await lambda.send(new InvokeCommand({ FunctionName: name }))).Payload) as { tag: string }
    assert.notEqual(second.tag, first.tag)
    assert.ok(tagged(second.tag).length >= 4)
    // Idle past keep-warm (10 minutes of clock time): AWS reclaims the environment, and its processes go with it.
    for (let minute = 0; minute < 12; minute++) await advance(nimbus.current, 60_000)
    await noneLeft(second.tag)
  })

  it('kills detached children of a Python function when Nimbus stops', async () => {
    const own = await startNimbus({ port: 0, clock: 'manual', log: () => {} })
    try {
      const lambda = lambdaClient(own)
      const name = await createFunction(lambda, [{ path: 'app.py', content: pythonSpawner }], { Runtime: 'python3.12', Handler: 'app.handler' })
      const result = await lambda.send(new InvokeCommand({ FunctionName: name }))
      const out = decode(result.Payload) as { tag: string; pids: number[] }
      assert.equal(result.FunctionError, undefined, JSON.stringify(out))
      assert.equal(tagged(out.tag).length >= 3, true)
      await own.stop()
      await noneLeft(out.tag)
    } finally {
      await own.stop()
    }
  })

  it('ends an invocation past MemorySize with Runtime.OutOfMemory; a normal one is unaffected', async () => {
    const lambda = lambdaClient(nimbus.current)
    // Buffers live outside V8's heap limit; filling them makes the memory resident.
    const name = await createFunction(lambda, `exports.handler = async (event) => {
      const keep = []
      for (let i = 0; i < event.mb / 16; i++) keep.push(Buffer.alloc(16 * 1024 * 1024, 1))
      return keep.length
    }`, { MemorySize: 128, Timeout: 60 })
    const small = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify({ mb: 32 }) }))
    assert.equal(small.FunctionError, undefined)
    assert.equal(decode(small.Payload), 2)
    const big = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify({ mb: 1024 }), LogType: 'Tail' }))
    assert.equal(big.FunctionError, 'Unhandled')
    const error = decode(big.Payload) as { errorType: string; errorMessage: string }
    assert.equal(error.errorType, 'Runtime.OutOfMemory')
    assert.match(error.errorMessage, /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: signal: killed$/)
    const log = Buffer.from(big.LogResult ?? '', 'base64').toString('utf8')
    assert.match(log, /REPORT RequestId: .*Memory Size: 128 MB\tMax Memory Used: 128 MB\t.*Status: error\tError Type: Runtime\.OutOfMemory/)
    // The environment was discarded: the next invocation starts a fresh one and succeeds.
    const after = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify({ mb: 16 }) }))
    assert.equal(after.FunctionError, undefined)
    assert.equal(decode(after.Payload), 1)
  })

  it('holds a Python function to its MemorySize too', async () => {
    const lambda = lambdaClient(nimbus.current)
    const name = await createFunction(lambda, [{ path: 'app.py', content: [
      'import time',
      'def handler(event, context):',
      '    keep = []',
      '    for _ in range(event["mb"] // 8):',
      '        keep.append(bytearray(b"x" * (8 * 1024 * 1024)))',
      '        time.sleep(0.01)',
      '    return len(keep)',
    ].join('\n') }], { Runtime: 'python3.12', Handler: 'app.handler', MemorySize: 128, Timeout: 60 })
    const small = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify({ mb: 16 }) }))
    assert.equal(decode(small.Payload), 2)
    const big = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify({ mb: 1024 }) }))
    assert.equal(big.FunctionError, 'Unhandled')
    assert.equal((decode(big.Payload) as { errorType: string }).errorType, 'Runtime.OutOfMemory')
  })
})
