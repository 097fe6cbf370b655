// How each runtime's process starts: every environment runs in its own process group (detached);
// process-tree.ts finds and kills everything it started, detached sessions included.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { constants } from 'node:fs'
import { access, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { joinPath } from './environment-variables.ts'
import { type FunctionSpec, isRunnableRuntime } from './types.ts'

/** Bootstraps live next to this file, in src/ when run from source and in dist/ once built. */
export const bootstrapRoot = fileURLToPath(new URL('./bootstrap/', import.meta.url))

export interface LaunchPlan {
  readonly command: string
  readonly args: readonly string[]
  readonly runtimeDir: string
  /** Variables this runtime sets by default (the function's own may override them). */
  readonly defaults: Readonly<Record<string, string>>
  /** The bootstrap is Nimbus's own (Node.js, Python), which talks over a pipe instead of HTTP (runtime-pipe.ts). */
  readonly pipe?: boolean
}

/** Why an environment could not even start; reported to the invoke as an init error. */
export interface LaunchFailure {
  readonly errorType: string
  /** Follows `RequestId: <id> Error: ` in the error message. */
  readonly detail: string
}

export async function planLaunch(spec: FunctionSpec): Promise<LaunchPlan | LaunchFailure> {
  const runtime = spec.runtime
  if (!isRunnableRuntime(runtime)) {
    return { errorType: 'Runtime.Unavailable', detail: `Nimbus cannot run the ${runtime} runtime; it runs nodejs*.x, python3.*, provided.al2 and provided.al2023.` }
  }
  const node = /^nodejs(\d+)\.x$/.exec(runtime)
  if (node !== null) return nodePlan(spec, node[1]!)
  if (/^python3\.\d+$/.test(runtime)) return pythonPlan(spec)
  if (runtime === 'provided' || runtime.startsWith('provided.')) return providedPlan(spec)
  return { errorType: 'Runtime.Unavailable', detail: `Nimbus cannot run the ${runtime} runtime; it runs nodejs*.x, python3.*, provided.al2 and provided.al2023.` }
}

/** Every Node.js runtime runs on the Node.js that runs Nimbus. */
function nodePlan(spec: FunctionSpec, major: string): LaunchPlan {
  const runtimeDir = join(bootstrapRoot, 'node')
  const layers = [...spec.layerDirs].reverse()
  const nodePath = joinPath([
    ...layers.flatMap((l) => [join(l, 'nodejs', `node${major}`, 'node_modules'), join(l, 'nodejs', 'node_modules')]),
    spec.codeDir,
  ])
  return {
    command: process.execPath,
    args: [`--max-semi-space-size=${nodeSemiSpaceMb(spec.memoryMb)}`, `--max-old-space-size=${nodeHeapMb(spec.memoryMb)}`, join(runtimeDir, 'bootstrap.mjs')],
    runtimeDir,
    defaults: { NODE_PATH: nodePath },
    pipe: true,
  }
}

/**
 * AWS's Node bootstrap sizes the old generation to 90% of the function's memory, so a blow-up
 * ends this runtime (heap out of memory) rather than the machine.
 */
export function nodeHeapMb(memoryMb: number): number {
  return Math.max(16, Math.floor(memoryMb * 0.9))
}

/**
 * The young generation's semi-space, as AWS's Node bootstrap sizes it: half of a tenth of the function's
 * memory (6 MB at 128 MB). V8's own default (16 MB a semi-space on 64-bit, three of them in use while a
 * busy function scavenges) would let a 128 MB function under sustained load grow past its memory size on
 * garbage alone, and the watchdog end it.
 */
export function nodeSemiSpaceMb(memoryMb: number): number {
  return Math.max(1, Math.floor(Math.floor(memoryMb / 10) / 2))
}

/** Every Python runtime runs on the host's python3 (resolved once past any shim such as pyenv's). */
async function pythonPlan(spec: FunctionSpec): Promise<LaunchPlan | LaunchFailure> {
  const python = await hostPython()
  if (python === undefined) return { errorType: 'Runtime.Unavailable', detail: `No python3 found on the PATH to run ${spec.runtime}.` }
  const runtimeDir = join(bootstrapRoot, 'python')
  const layers = [...spec.layerDirs].reverse()
  const pythonPath = joinPath([
    spec.codeDir,
    ...layers.flatMap((l) => [join(l, 'python'), join(l, 'python', 'lib', spec.runtime, 'site-packages')]),
  ])
  return {
    command: python,
    args: [join(runtimeDir, 'bootstrap.py')],
    runtimeDir,
    defaults: { PYTHONPATH: pythonPath, PYTHONUNBUFFERED: '1' },
    pipe: true,
  }
}

/** OS-only runtimes run `bootstrap` from the code, else from a layer (/var/task, then /opt, on AWS). */
async function providedPlan(spec: FunctionSpec): Promise<LaunchPlan | LaunchFailure> {
  const candidates = [join(spec.codeDir, 'bootstrap'), ...[...spec.layerDirs].reverse().map((l) => join(l, 'bootstrap'))]
  for (const path of candidates) {
    const info = await stat(path).catch(() => undefined)
    if (info === undefined || !info.isFile()) continue
    const executable = await access(path, constants.X_OK).then(() => true, () => false)
    if (!executable) return { errorType: 'Runtime.InvalidEntrypoint', detail: `fork/exec ${path}: permission denied` }
    return { command: path, args: [], runtimeDir: bootstrapRoot, defaults: {} }
  }
  return { errorType: 'Runtime.InvalidEntrypoint', detail: `Couldn't find valid bootstrap(s): [${candidates.join(' ')}]` }
}

let python: Promise<string | undefined> | undefined

function hostPython(): Promise<string | undefined> {
  python ??= new Promise((resolve) => {
    execFile('python3', ['-c', 'import sys; print(sys.executable)'], { timeout: 15_000 }, (error, stdout) => {
      const path = stdout.trim()
      resolve(error === null && path !== '' ? path : undefined)
    })
  })
  return python
}

/** Tells Nimbus's bootstraps that fds 3 (to it) and 4 (from it) are its pipe; they remove it from their argv. */
export const PIPE_ARGUMENT = '--nimbus-runtime-pipe=3,4'

/**
 * Starts the runtime in its own process group; stdin is closed, stdout and stderr are piped, and with
 * `pipe` fds 3 and 4 are the runtime pipe's two sockets. Node marks descriptors it inherits
 * close-on-exec as it starts (libuv's uv_disable_stdio_inheritance) and the Python bootstrap does
 * (os.set_inheritable), so the function's own children don't get them.
 */
export function launch(plan: LaunchPlan, cwd: string, env: Record<string, string>, pipe = false): ChildProcess {
  if (!pipe) return spawn(plan.command, [...plan.args], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  return spawn(plan.command, [...plan.args, PIPE_ARGUMENT], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'] })
}

/** The process's peak resident memory (Linux VmHWM), AWS's "Max Memory Used"; undefined elsewhere. */
export async function peakMemoryMb(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'latin1')
    const match = /VmHWM:\s+(\d+) kB/.exec(status)
    return match === null ? undefined : Math.ceil(Number(match[1]) / 1024)
  } catch {
    return undefined
  }
}

/** How Lambda words a runtime's exit, after Go's os.ProcessState (AWS's agent is written in Go). */
export function exitDescription(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal !== null) return `Runtime exited with error: signal: ${signalNames[signal] ?? signal.toLowerCase()}`
  if (code === 0 || code === null) return 'Runtime exited without providing a reason'
  return `Runtime exited with error: exit status ${code}`
}

const signalNames: Partial<Record<NodeJS.Signals, string>> = {
  SIGKILL: 'killed', SIGABRT: 'aborted (core dumped)', SIGSEGV: 'segmentation fault (core dumped)',
  SIGTERM: 'terminated', SIGINT: 'interrupt', SIGBUS: 'bus error (core dumped)', SIGILL: 'illegal instruction (core dumped)',
}
