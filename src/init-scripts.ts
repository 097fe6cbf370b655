// Init hooks (LocalStack's ready.d): the files in --init-dir run once Nimbus listens, in name order,
// one after another, with AWS_ENDPOINT_URL, test credentials and the region set, so any AWS CLI,
// boto3 or SDK call in them reaches Nimbus. Executables run by their shebang; a `.sh` without the
// execute bit runs with `sh`; anything else not executable is skipped with a note. A failing script
// is reported (health: init "failed") and the next still runs; Nimbus keeps serving either way.
import { type ChildProcess, spawn } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

export type InitState = 'running' | 'done' | 'failed'

export interface InitScriptReport {
  name: string
  state: 'pending' | 'running' | 'done' | 'failed' | 'skipped'
  /** Why it failed or was skipped: `exit 3`, `timed out after 300 s`, `not executable`… */
  reason?: string
}

export interface InitStatus {
  state: InitState
  scripts: InitScriptReport[]
}

export interface InitRun {
  status(): InitStatus
  /** Settles once every script has run (or Nimbus stopped them). */
  readonly finished: Promise<InitStatus>
  /** Kills the script running now (its whole process group) and runs no more. */
  stop(): Promise<void>
}

interface Planned { name: string; command: string; args: string[] }

/** The scripts in `dir`, in name order; throws a one-line error when the folder can't be read. */
export function planInitScripts(dir: string): { planned: Planned[]; skipped: string[] } {
  let names: string[]
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a folder')
    names = readdirSync(dir).sort()
  } catch (error) {
    const reason = (error as { code?: string }).code === 'ENOENT' ? 'it does not exist' : (error as Error).message
    throw new Error(`--init-dir ${dir}: ${reason}`)
  }
  const planned: Planned[] = []
  const skipped: string[] = []
  for (const name of names) {
    if (name.startsWith('.')) continue
    const path = join(dir, name)
    const stat = statSync(path, { throwIfNoEntry: false })
    if (stat === undefined || !stat.isFile()) continue
    // Any execute bit: the kernel runs it by its shebang (#!/bin/sh, #!/usr/bin/env python3, node…).
    if ((stat.mode & 0o111) !== 0) planned.push({ name, command: path, args: [] })
    else if (name.endsWith('.sh')) planned.push({ name, command: 'sh', args: [path] })
    else skipped.push(name)
  }
  return { planned, skipped }
}

export function runInitScripts(options: {
  dir: string
  /** Nimbus's endpoint as clients reach it (not 0.0.0.0). */
  endpoint: string
  region: string
  timeoutMs: number
  log: (line: string) => void
}): InitRun {
  const { planned, skipped } = planInitScripts(options.dir)
  const reports: InitScriptReport[] = [
    ...planned.map((p): InitScriptReport => ({ name: p.name, state: 'pending' })),
    ...skipped.map((name): InitScriptReport => ({ name, state: 'skipped', reason: 'not executable' })),
  ].sort((a, b) => (a.name < b.name ? -1 : 1))
  for (const name of skipped) options.log(`[init] skipping ${name}: not executable (chmod +x it, or name it .sh)`)
  let current: { child: ChildProcess; exited: Promise<void> } | undefined
  let stopped = false
  const env = scriptEnvironment(options.endpoint, options.region)
  const status = (): InitStatus => {
    const state: InitState = reports.some((r) => r.state === 'pending' || r.state === 'running') ? 'running'
      : reports.some((r) => r.state === 'failed') ? 'failed' : 'done'
    return { state, scripts: reports.map((r) => ({ ...r })) }
  }
  const finished = (async () => {
    for (const script of planned) {
      const report = reports.find((r) => r.name === script.name)!
      if (stopped) {
        Object.assign(report, { state: 'failed', reason: 'not run: Nimbus stopped' })
        continue
      }
      report.state = 'running'
      options.log(`[init] running ${script.name}`)
      const reason = await runOne(script, env, options, (c) => (current = c))
      current = undefined
      Object.assign(report, reason === undefined ? { state: 'done' } : { state: 'failed', reason })
      options.log(reason === undefined ? `[init] ${script.name} done` : `[init] ${script.name} failed (${reason})`)
    }
    const result = status()
    if (planned.length > 0 || skipped.length > 0) options.log(`[init] ${result.state}`)
    return result
  })()
  return {
    status,
    finished,
    stop: async () => {
      stopped = true
      const running = current
      if (running === undefined) return
      killGroup(running.child, 'SIGTERM')
      const force = setTimeout(() => killGroup(running.child, 'SIGKILL'), 1000)
      await running.exited
      clearTimeout(force)
    },
  }
}

/** Runs one script; undefined when it exits 0, else why it failed. */
function runOne(script: Planned, env: NodeJS.ProcessEnv, options: { dir: string; timeoutMs: number; log: (line: string) => void },
  started: (running: { child: ChildProcess; exited: Promise<void> }) => void): Promise<string | undefined> {
  return new Promise((resolve) => {
    // Its own process group, so a timeout or stop also ends what the script started (aws, sleep…).
    const child = spawn(script.command, script.args, { cwd: options.dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    let timedOut = false
    let spawnError: string | undefined
    const timer = setTimeout(() => {
      timedOut = true
      killGroup(child, 'SIGTERM')
      setTimeout(() => killGroup(child, 'SIGKILL'), 1000).unref()
    }, options.timeoutMs)
    for (const stream of [child.stdout, child.stderr]) printLines(stream, (line) => options.log(`[init:${script.name}] ${line}`))
    child.on('error', (error) => (spawnError = error.message))
    const exited = new Promise<void>((done) => child.on('close', (code, signal) => {
      clearTimeout(timer)
      done()
      if (spawnError !== undefined) resolve(`could not start: ${spawnError}`)
      else if (timedOut) resolve(`timed out after ${options.timeoutMs / 1000} s`)
      else if (code === 0) resolve(undefined)
      else resolve(signal !== null ? `killed by ${signal}` : `exit ${code}`)
    }))
    started({ child, exited })
  })
}

function printLines(stream: NodeJS.ReadableStream, print: (line: string) => void): void {
  let rest = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n')
    rest = lines.pop() ?? ''
    for (const line of lines) print(line.replace(/\r$/, ''))
  })
  stream.on('end', () => rest !== '' && print(rest))
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // Gone already.
  }
}

/**
 * Nimbus's own environment, pointed at Nimbus: a profile or session token would take precedence
 * over the test keys in some clients, and per-service endpoint variables over AWS_ENDPOINT_URL.
 */
function scriptEnvironment(endpoint: string, region: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (name === 'AWS_PROFILE' || name === 'AWS_DEFAULT_PROFILE' || name === 'AWS_SESSION_TOKEN' || name.startsWith('AWS_ENDPOINT_URL_')) continue
    env[name] = value
  }
  return { ...env, AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: region, AWS_REGION: region, AWS_PAGER: '' }
}
