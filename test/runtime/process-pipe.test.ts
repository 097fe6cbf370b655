// The process executor's Node.js and Python runtimes over their pipe (runtime-pipe.ts, pipe-port.mjs,
// bootstrap.py's PipeApi): the HTTP Runtime API still answers the function, the pipe stays out of the
// function's children, and output keeps its order and its splitting.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import type { Readable, Writable } from 'node:stream'
import { bootstrapRoot, PIPE_ARGUMENT } from '../../src/runtime/process-launcher.ts'
import { RuntimeApiServer } from '../../src/runtime/runtime-api.ts'
import { json, request, spec, testRuntime } from './helpers.ts'

const t = testRuntime('process')
after(() => t.cleanUp())

describe('node runtime over its pipe (process executor)', () => {
  it('leaves process.argv as AWS does, and AWS_LAMBDA_RUNTIME_API answers with the same state', async () => {
    // An answer POSTed over HTTP wins; the bootstrap's own answer over the pipe then comes second and is dropped.
    const fn = spec(t.code({ 'index.js': `exports.handler = async (event, context) => {
      const api = 'http://' + process.env.AWS_LAMBDA_RUNTIME_API + '/2018-06-01/runtime/invocation/'
      const stranger = await fetch(api + 'nobody/response', { method: 'POST', body: '1' })
      const mine = await fetch(api + context.awsRequestId + '/response', { method: 'POST', body: JSON.stringify({ via: 'http', argv: process.argv.length, pid: process.pid }) })
      const again = await fetch(api + context.awsRequestId + '/response', { method: 'POST', body: '2' })
      return { via: 'pipe', statuses: [stranger.status, mine.status, again.status] }
    }` }))
    const result = await t.runtime.invoke(fn, request(fn))
    const answer = json(result)
    t.pids.add(answer.pid)
    assert.equal(result.outcome, 'success')
    assert.deepEqual(answer, { via: 'http', argv: 2, pid: answer.pid })
    // The environment goes on serving over the pipe.
    const next = await t.runtime.invoke(fn, request(fn))
    assert.equal(json(next).via, 'http')
  })

  it('does not pass its descriptors on to processes the function starts', { skip: !existsSync('/proc/self/fd') }, async () => {
    const fn = spec(t.code({ 'index.js': `const { readlinkSync } = require('node:fs')
      const { spawnSync } = require('node:child_process')
      exports.handler = async () => {
        const pipe = [3, 4].map((fd) => readlinkSync('/proc/self/fd/' + fd))
        const child = spawnSync('sh', ['-c', 'ls -l /proc/$$/fd'], { encoding: 'utf8' }).stdout
        return { pid: process.pid, pipe, child }
      }` }))
    const answer = json(await t.runtime.invoke(fn, request(fn)))
    t.pids.add(answer.pid)
    for (const link of answer.pipe as string[]) {
      assert.match(link, /^socket:\[\d+\]$/)
      assert.ok(!(answer.child as string).includes(link), `${link} leaked into a child:\n${answer.child}`)
    }
  })

  it('keeps the Python runtime\'s pipe from its children too, and its argv as without it', { skip: !existsSync('/proc/self/fd') }, async () => {
    // close_fds=False: only the descriptors' own close-on-exec flag keeps them from the child.
    const fn = spec(t.code({ 'index.py': `import os, subprocess, sys
def handler(event, context):
    pipe = [os.readlink('/proc/self/fd/%d' % fd) for fd in (3, 4)]
    child = subprocess.run(['sh', '-c', 'ls -l /proc/$$/fd'], close_fds=False, capture_output=True, text=True).stdout
    return {'pid': os.getpid(), 'pipe': pipe, 'child': child, 'argv': sys.argv[1:]}
` }), { runtime: 'python3.12' })
    const result = await t.runtime.invoke(fn, request(fn))
    const answer = json(result)
    t.pids.add(answer.pid)
    assert.deepEqual(answer.argv, [])
    for (const link of answer.pipe as string[]) {
      assert.match(link, /^socket:\[\d+\]$/)
      assert.ok(!(answer.child as string).includes(link), `${link} leaked into a child:\n${answer.child}`)
    }
    assert.match(t.sink.messages(fn.functionName).at(-1)!, /Max Memory Used: [1-9]\d* MB\t/)
  })

  it('takes an event of several MB, in many reads (Node.js and Python)', async () => {
    const fn = spec(t.code({ 'index.js': 'exports.handler = async (event) => ({ pid: process.pid, length: event.text.length, end: event.text.slice(-3) })' }))
    const text = 'é'.repeat(2_500_000) + 'end'
    const answer = json(await t.runtime.invoke(fn, request(fn, { text })))
    t.pids.add(answer.pid)
    assert.deepEqual(answer, { pid: answer.pid, length: text.length, end: 'end' })
    // Python reads ahead (a small frame in one read): a big event, then small ones, still frame by frame.
    const py = spec(t.code({ 'index.py': `import os
def handler(event, context):
    return {'pid': os.getpid(), 'length': len(event.get('text', '')), 'end': event.get('text', '')[-3:], 'n': event.get('n')}
` }), { runtime: 'python3.12' })
    const big = json(await t.runtime.invoke(py, request(py, { text })))
    t.pids.add(big.pid)
    assert.deepEqual(big, { pid: big.pid, length: text.length, end: 'end', n: null })
    for (const n of [1, 2]) assert.deepEqual(json(await t.runtime.invoke(py, request(py, { n }))), { pid: big.pid, length: 0, end: '', n })
  })

  it('writes console lines before the answer, splitting a line past CloudWatch\'s event size', async () => {
    const fn = spec(t.code({ 'index.js': `exports.handler = async () => {
      for (let i = 0; i < 200; i++) console.log('line ' + i)
      console.log('x'.repeat(600 * 1024))
      return process.pid
    }` }))
    const result = await t.runtime.invoke(fn, request(fn, {}, { requestId: 'req-order' }))
    t.pids.add(json(result))
    const messages = t.sink.messages(fn.functionName)
    const start = messages.indexOf('START RequestId: req-order Version: $LATEST')
    const end = messages.indexOf('END RequestId: req-order')
    const body = messages.slice(start + 1, end)
    assert.equal(body.length, 203, 'the 200 lines and the long one in 3 events')
    body.slice(0, 200).forEach((line, i) => assert.match(line, new RegExp(`\\treq-order\\tINFO\\tline ${i}$`)))
    assert.equal(body.slice(200).join('').length, body[200]!.indexOf('x') + 600 * 1024)
    assert.ok(body.slice(200, 202).every((line) => line.length === 256 * 1024 - 26))
    assert.match(messages[end + 1]!, /^REPORT RequestId: req-order\t.*Max Memory Used: [1-9]\d* MB\t/)
  })

  it('runs the ticks an invocation left before the next invocation', async () => {
    const fn = spec(t.code({ 'index.js': `let ticks = 0
      exports.handler = async () => {
        process.nextTick(() => { ticks++ })
        return { pid: process.pid, ticks }
      }` }))
    // The process waits for its next event through the event loop, so what an invocation left queued
    // (ticks, unhandled-rejection reports) runs before the next one starts.
    const first = json(await t.runtime.invoke(fn, request(fn)))
    t.pids.add(first.pid)
    for (let invocation = 1; invocation < 20; invocation++) {
      const answer = json(await t.runtime.invoke(fn, request(fn)))
      assert.equal(answer.ticks, invocation, 'every earlier invocation\'s tick ran')
      assert.equal(answer.pid, first.pid, 'one warm environment')
    }
  })

  it('answers a callback handler when the loop empties, invocation after invocation', async () => {
    const fn = spec(t.code({ 'index.js': `let n = 0
      exports.handler = (event, context, callback) => { n++; callback(null, { pid: process.pid, n }) }` }))
    const answers: { pid: number; n: number }[] = []
    for (let i = 0; i < 5; i++) answers.push(json(await t.runtime.invoke(fn, request(fn))))
    t.pids.add(answers[0]!.pid)
    assert.deepEqual(answers.map((a) => a.n), [1, 2, 3, 4, 5])
    assert.ok(answers.every((a) => a.pid === answers[0]!.pid), 'one warm environment')
  })

  it('serves on while a function floods stdout, leaves a timer, or keeps a server listening between invocations', async () => {
    // Blocked reads only while nothing of the function's is in the event loop: a pending timer or a listening
    // socket makes the pipe a socket read through the loop, so the timer fires between invocations.
    const fn = spec(t.code({ 'index.js': `let fired = 0
      let server
      exports.handler = async (event) => {
        if (event.step === 'flood') for (let i = 0; i < 80; i++) process.stdout.write('x'.repeat(65535) + '\\n')
        if (event.step === 'timer') setTimeout(() => { fired++ }, 20)
        if (event.step === 'server') server = require('node:net').createServer().listen(0)
        return { pid: process.pid, step: event.step, fired, listening: server?.listening === true }
      }` }))
    const call = async (step?: string) => json(await t.runtime.invoke(fn, request(fn, { step })))
    const first = await call('flood')
    t.pids.add(first.pid)
    assert.equal((await call('flood')).pid, first.pid)
    await call('timer')
    let answer = await call()
    for (let i = 0; answer.fired === 0 && i < 20_000; i++) answer = await call()
    assert.equal(answer.fired, 1, 'the timer an invocation left fired between later ones')
    await call('server')
    for (let i = 0; i < 3; i++) assert.deepEqual(await call(), { pid: first.pid, fired: 1, listening: true })
  })

  it('exits when Nimbus\'s end of the pipe closes while it waits', async () => {
    const dir = t.code({ 'index.js': 'exports.handler = async () => 1' })
    const child = spawn(process.execPath, [join(bootstrapRoot, 'node', 'bootstrap.mjs'), PIPE_ARGUMENT], {
      env: { PATH: process.env.PATH ?? '', _HANDLER: 'index.handler', LAMBDA_TASK_ROOT: dir },
      cwd: dir, stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    })
    const stderr: Buffer[] = []
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk))
    const exited = once(child, 'exit')
    // Its first frame asks for work; it then blocks in a read that our end's closing ends.
    await once(child.stdio[4] as Readable, 'data')
    ;(child.stdio[3] as Writable).destroy()
    const [code] = await exited
    assert.equal(code, 1)
    assert.match(Buffer.concat(stderr).toString(), /Runtime API connection closed/)
  })
})

describe('node bootstrap without its pipe', () => {
  it('still speaks the HTTP Runtime API (the loop any other launcher would get)', async () => {
    const heard: string[] = []
    let answered!: (body: string) => void
    const answer = new Promise<string>((resolve) => (answered = resolve))
    const api = new RuntimeApiServer({
      ready: () => heard.push('ready'),
      initError: (error) => heard.push(`initError ${error.errorType}`),
      response: (_id, body) => answered(body.toString()),
      responseTooLarge: () => heard.push('tooLarge'),
      invocationError: (_id, error) => heard.push(`error ${error.errorType}`),
    })
    const address = await api.listen()
    const dir = t.code({ 'index.js': 'exports.handler = async (event, context) => ({ got: event.n, id: context.awsRequestId, argv: process.argv.length })' })
    const child = spawn(process.execPath, [join(bootstrapRoot, 'node', 'bootstrap.mjs')], {
      env: { PATH: process.env.PATH ?? '', AWS_LAMBDA_RUNTIME_API: address, _HANDLER: 'index.handler', LAMBDA_TASK_ROOT: dir },
      cwd: dir, stdio: ['ignore', 'ignore', 'inherit'],
    })
    try {
      api.deliver({ requestId: 'req-http', payload: Buffer.from('{"n":7}'), deadlineMs: Date.now() + 10_000, invokedFunctionArn: 'arn:f', traceId: 'Root=1' })
      assert.deepEqual(JSON.parse(await answer), { got: 7, id: 'req-http', argv: 2 })
      assert.deepEqual(heard, [], 'the invocation was waiting when the bootstrap first polled')
    } finally {
      const exited = once(child, 'exit')
      child.kill('SIGKILL')
      await exited
      api.close()
    }
  })
})
