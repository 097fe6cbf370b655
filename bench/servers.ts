// Spawning the benchmark targets as child processes, timing spawn → first successful call, reading
// their RSS, and making sure every child dies with the benchmark (SIGTERM, then SIGKILL).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import {
  accessSync, closeSync, constants, cpSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync,
} from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { basename, delimiter, join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { HOST, httpGet, sqsCall } from './sqs.ts'

export type TargetId = 'hello' | 'nimbus' | 'nimbus-ts' | 'moto' | 'nimbus-disk' | 's3rver'

export interface TargetSpec {
  id: TargetId
  label: string
  command: string
  args: (port: number) => string[]
  cwd: string
  /** How readiness is probed: a GET for hello-world, a real SQS ListQueues for the emulators. */
  probe: 'get' | 'sqs'
  note?: string
}

export interface Started {
  spec: TargetSpec
  child: ChildProcess
  /** The pid of the process actually serving (not a shell or shim in front of it). */
  serverPid: number
  port: number
  firstCallMs: number
  idleRssMb: number
  logPath: string
  stop: () => Promise<void>
}

const repoRoot = resolve(import.meta.dirname, '..')
const live = new Set<ChildProcess>()
const tempDirs = new Set<string>()
/** Child logs, removed at exit unless kept because something went wrong. */
const tempLogs = new Set<string>()

export function keepLog(path: string): void {
  tempLogs.delete(path)
}

export function removeTempDirs(): void {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
  tempDirs.clear()
  for (const log of tempLogs) rmSync(log, { force: true })
  tempLogs.clear()
}

/** A temporary folder removed when the benchmark ends. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  tempDirs.add(dir)
  return dir
}

/** s3rver (npm), the S3 peer: files under a temp folder; anonymous requests (it checks signatures otherwise). */
export function s3rverSpec(): TargetSpec {
  const dir = tempDir('nimbus-bench-s3rver-')
  return {
    id: 's3rver',
    label: 's3rver',
    command: join(repoRoot, 'node_modules', '.bin', 's3rver'),
    args: (port) => ['-d', dir, '-a', HOST, '-p', String(port), '--silent'],
    cwd: tmpdir(),
    probe: 'get',
  }
}

/** The same Nimbus keeping S3 object bodies in files (`--data-dir`), for the big-upload memory row. */
export function nimbusDiskSpec(compiled: TargetSpec): TargetSpec {
  const dir = tempDir('nimbus-bench-data-')
  return { ...compiled, id: 'nimbus-disk', label: 'Nimbus --data-dir', args: (port) => [...compiled.args(port), '--data-dir', dir] }
}

export function helloSpec(): TargetSpec {
  return {
    id: 'hello',
    label: 'hello (node:http ceiling)',
    command: process.execPath,
    args: (port) => [join(repoRoot, 'bench', 'hello-server.ts'), '--port', String(port), '--host', HOST],
    cwd: repoRoot,
    probe: 'get',
  }
}

/**
 * Compiles src/ with tsc (tsconfig.build.json) into a temporary directory and copies the runtime bootstraps,
 * as `npm start`'s prestart and `npm pack`'s prepack build dist/ for the shipped `nimbus` bin, so the benchmark
 * measures the shipped form without ever depending on a stale dist/. The directory is removed when the benchmark exits.
 */
export function buildCompiledNimbus(): string {
  const outDir = mkdtempSync(join(tmpdir(), 'nimbus-bench-dist-'))
  tempDirs.add(outDir)
  const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc')
  try {
    execFileSync(process.execPath, [tsc, '-p', join(repoRoot, 'tsconfig.build.json'), '--outDir', outDir, '--declaration', 'false'], {
      cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000,
    })
  } catch (error) {
    // tsc prints its diagnostics on stdout; surface the first ones rather than just "Command failed".
    const output = (error as { stdout?: Buffer }).stdout?.toString('utf8').trim().split('\n').slice(0, 3).join(' / ')
    throw new Error(output !== undefined && output !== '' ? `tsc: ${output}` : String(error))
  }
  // What scripts/copy-assets.ts adds to dist/ after tsc (it only writes to dist/): the runtimes' bootstraps,
  // without which no Lambda function can start.
  cpSync(join(repoRoot, 'src', 'runtime', 'bootstrap'), join(outDir, 'runtime', 'bootstrap'), {
    recursive: true,
    filter: (path) => !path.endsWith('.ts') && !path.includes('__pycache__'),
  })
  // And the AWS services table the gateway reads when a request names a service Nimbus doesn't serve.
  cpSync(join(repoRoot, 'src', 'gateway', 'aws-services.json'), join(outDir, 'gateway', 'aws-services.json'))
  // And the web console's bundle (scripts/build-console.ts), beside gateway/ as in a package.
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build-console.ts'), join(outDir, 'console-ui')], {
    cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000,
  })
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n')
  return outDir
}

/**
 * API Gateway's account limit (AWS's 10,000 requests/s, enforced by default) and Firehose's Direct PUT
 * quota (5 MiB/s a stream in us-east-1) raised far past what this machine can send: the API Gateway
 * and Firehose rows measure Nimbus, not the quotas.
 */
const UNTHROTTLED = ['--api-gateway-account-throttle', '1000000,500000', '--firehose-put-quota', '1000000000,1000000,1000000']

/** The main Nimbus target: the compiled JS (`node dist/cli.js start`, the form `npm start` and the bin run). */
export function nimbusSpec(outDir: string): TargetSpec {
  return {
    id: 'nimbus',
    label: 'Nimbus (compiled JS)',
    command: process.execPath,
    args: (port) => [join(outDir, 'cli.js'), 'start', '--port', String(port), '--host', HOST, ...UNTHROTTLED],
    cwd: repoRoot,
    probe: 'sqs',
  }
}

/** Nimbus straight from the TypeScript source (Node's type stripping), for the informational spawn row. */
export function nimbusSourceSpec(): TargetSpec {
  return {
    id: 'nimbus-ts',
    label: 'Nimbus from TS source',
    command: process.execPath,
    args: (port) => [join(repoRoot, 'src', 'cli.ts'), 'start', '--port', String(port), '--host', HOST, ...UNTHROTTLED],
    cwd: repoRoot,
    probe: 'sqs',
  }
}

/** moto_server from PATH; a pyenv shim is resolved to the real script so we time moto, not pyenv. */
export function motoSpec(): TargetSpec | undefined {
  const onPath = which('moto_server')
  if (onPath === undefined) return undefined
  let command = onPath
  let note: string | undefined
  if (onPath.includes('/.pyenv/shims/')) {
    try {
      const real = execFileSync('pyenv', ['which', 'moto_server'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
      if (real !== '') {
        command = real
        note = `pyenv shim bypassed: spawned ${real} directly`
      }
    } catch {
      note = 'spawned through the pyenv shim (pyenv which failed); first-call time includes the shim'
    }
  }
  return {
    id: 'moto',
    label: 'moto_server',
    command,
    args: (port) => ['-H', HOST, '-p', String(port)],
    cwd: tmpdir(),
    probe: 'sqs',
    ...(note === undefined ? {} : { note }),
  }
}

function which(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue
    const candidate = join(dir, program)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here
    }
  }
  return undefined
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, HOST, () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolvePort(port))
    })
  })
}

/** Spawns the target and polls it with real calls (every ~2 ms) until one succeeds. */
export async function startTarget(spec: TargetSpec, timeoutMs = 30_000): Promise<Started> {
  const port = await freePort()
  const logPath = join(tmpdir(), `nimbus-bench-${spec.id}-${process.pid}-${port}.log`)
  const logFd = openSync(logPath, 'w')
  tempLogs.add(logPath)
  const t0 = performance.now()
  const child = spawn(spec.command, spec.args(port), { cwd: spec.cwd, stdio: ['ignore', logFd, logFd], env: process.env })
  closeSync(logFd)
  live.add(child)
  let exited: string | undefined
  child.once('exit', (code, signal) => {
    live.delete(child)
    exited = `exited (code ${code}, signal ${signal})`
  })
  child.once('error', (error) => {
    live.delete(child)
    exited = `failed to spawn: ${error.message}`
  })
  const stop = () => stopChild(child)
  let firstCallMs: number | undefined
  let lastError = ''
  while (firstCallMs === undefined) {
    if (exited !== undefined) keepLog(logPath)
    if (exited !== undefined) throw new Error(`${spec.label} ${exited} before answering; log ${logPath}:\n${logTail(logPath)}`)
    if (performance.now() - t0 > timeoutMs) {
      await stop()
      keepLog(logPath)
      throw new Error(`${spec.label} did not answer within ${timeoutMs} ms (last: ${lastError}); log ${logPath}:\n${logTail(logPath)}`)
    }
    try {
      const res = spec.probe === 'get'
        ? await httpGet(port, '/', 2_000)
        : await sqsCall(port, 'ListQueues', {}, { timeoutMs: 2_000 })
      if (res.status === 200 && (spec.probe === 'get' || isJson(res.text))) firstCallMs = performance.now() - t0
      else lastError = `HTTP ${res.status}`
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error)
      await sleep(2)
    }
  }
  const serverPid = resolveServerPid(child.pid ?? 0)
  return { spec, child, serverPid, port, firstCallMs, idleRssMb: rssMb(serverPid), logPath, stop }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

function logTail(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-15).join('\n')
  } catch {
    return '(no log)'
  }
}

const shells = new Set(['sh', 'bash', 'dash', 'zsh', 'env', 'pyenv', 'npm', 'npx'])

/** Follows a shell/shim pid down to the process that actually serves (exec keeps the pid; a fork does not). */
export function resolveServerPid(pid: number): number {
  let current = pid
  for (let depth = 0; depth < 5; depth++) {
    if (!shells.has(exeName(current))) return current
    const children = childPids(current)
    if (children.length === 0) return current
    current = children[children.length - 1] as number
  }
  return current
}

function exeName(pid: number): string {
  try {
    return basename(readlinkSync(`/proc/${pid}/exe`))
  } catch {
    return ''
  }
}

export function exePath(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`)
  } catch {
    return undefined
  }
}

/** Direct children of `pid`, in pid order. */
export function childPids(pid: number): number[] {
  const result: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // pid (comm) state ppid … — comm may contain spaces, so split after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === pid) result.push(Number(entry))
    } catch {
      // raced with an exiting process
    }
  }
  return result.sort((a, b) => a - b)
}

/** utime + stime of a process, ms (/proc/<pid>/stat fields 14 and 15, in clock ticks of 10 ms on Linux). */
export function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return Number.NaN
  }
}

/** VmRSS of one process, in MB (NaN if it is gone or /proc is unavailable). */
export function rssMb(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match === null ? Number.NaN : Number(match[1]) / 1024
  } catch {
    return Number.NaN
  }
}

/** SIGTERM, then SIGKILL after graceMs; resolves once the child has exited. */
export async function stopChild(child: ChildProcess, graceMs = 3_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
    live.delete(child)
    return
  }
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  child.kill('SIGTERM')
  const killed = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)])
  if (!killed) {
    child.kill('SIGKILL')
    await Promise.race([exited, sleep(2_000)])
  }
  live.delete(child)
}

/** Registers a helper child (e.g. a load-client process) so it is stopped with the benchmark. */
export function trackChild(child: ChildProcess): void {
  live.add(child)
  child.once('exit', () => live.delete(child))
}

export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((child) => stopChild(child)))
}

let cleanupInstalled = false
/** Makes sure no child outlives the benchmark, whether it ends normally, fails, or is interrupted. */
export function installCleanup(): void {
  if (cleanupInstalled) return
  cleanupInstalled = true
  process.on('exit', () => {
    removeTempDirs()
    for (const child of live) {
      try {
        child.kill('SIGKILL')
      } catch {
        // already gone
      }
    }
  })
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.error(`\nbench: ${signal}, stopping child processes…`)
      void stopAll().finally(() => process.exit(130))
    })
  }
  process.on('uncaughtException', (error) => {
    console.error('bench: uncaught exception:', error)
    void stopAll().finally(() => process.exit(1))
  })
  process.on('unhandledRejection', (error) => {
    console.error('bench: unhandled rejection:', error)
    void stopAll().finally(() => process.exit(1))
  })
}

/** Spawn → exit of `node -e 0` and of an empty .ts file: the floor under any first-call time here. */
export async function nodeStartupFloor(runs = 3): Promise<{ plainMs: number, typeScriptMs: number }> {
  const tsFile = join(tmpdir(), `nimbus-bench-noop-${process.pid}.ts`)
  writeFileSync(tsFile, 'const noop: number = 0\nexport { noop }\n')
  const time = async (args: string[]) => {
    const samples: number[] = []
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now()
      const child = spawn(process.execPath, args, { stdio: 'ignore' })
      live.add(child)
      await new Promise<void>((done) => child.once('exit', () => done()))
      live.delete(child)
      samples.push(performance.now() - t0)
    }
    return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)] as number
  }
  try {
    return { plainMs: await time(['-e', '0']), typeScriptMs: await time([tsFile]) }
  } finally {
    rmSync(tsFile, { force: true })
  }
}
