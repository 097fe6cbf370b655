// A process-backed EC2 instance's user data, run as a local process: a script starting with `#!`
// runs by its interpreter, anything else by /bin/sh (cloud-init runs shell scripts; cloud-config
// and MIME multipart are not interpreted). Its own process group and a tag in its environment let
// Nimbus kill everything it started when the instance stops or terminates, or Nimbus stops.
import { type ChildProcess, spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ENVIRONMENT_TAG, killEnvironment } from './process-tree.ts'

/** The longest output line kept whole (longer ones are told in pieces). */
const maxLineChars = 16_384

export interface UserDataRun {
  /** The instance the script belongs to (its folder under `workDir`). */
  instanceId: string
  script: string
  env: Record<string, string>
  workDir: string
  /** Each line the script prints (stdout and stderr), as the instance's console would show it. */
  onLine: (line: string) => void
  onExit: (description: string) => void
}

export interface RunningUserData {
  kill(): void
}

/**
 * Nimbus's environment without AWS_* settings (the instance's credentials come from its IMDS, its
 * endpoint and region from `run.env`); HOME becomes the instance's folder, so no ~/.aws file is read.
 * A pyenv installation under the real HOME stays usable.
 */
function hostEnvironment(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith('AWS_')) env[key] = value
  if (env.PYENV_ROOT === undefined && process.env.HOME !== undefined && existsSync(join(process.env.HOME, '.pyenv'))) {
    env.PYENV_ROOT = join(process.env.HOME, '.pyenv')
  }
  return env
}

export function runUserData(run: UserDataRun): RunningUserData {
  const dir = join(run.workDir, run.instanceId)
  const file = join(dir, 'user-data')
  const tag = `${run.instanceId}-${process.pid}`
  const command = run.script.startsWith('#!') ? file : '/bin/sh'
  const args = run.script.startsWith('#!') ? [] : [file]
  let child: ChildProcess | undefined
  try {
    // An unwritable work dir is the script's failure to start, told like any other (never a throw).
    mkdirSync(dir, { recursive: true })
    writeFileSync(file, run.script)
    chmodSync(file, 0o755)
    child = spawn(command, args, {
      cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
      // The tag is the one killEnvironment scans for: it finds what left the process group (setsid, daemons).
      env: { ...hostEnvironment(), HOME: dir, TMPDIR: dir, ...run.env, [ENVIRONMENT_TAG]: tag },
    })
  } catch (error) {
    run.onExit(`could not start: ${(error as Error).message}`)
    return { kill: () => {} }
  }
  const started = child
  for (const stream of [started.stdout, started.stderr]) {
    let rest = ''
    stream?.setEncoding('utf8')
    stream?.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n')
      rest = lines.pop() ?? ''
      for (const line of lines) run.onLine(line)
      // Output that never ends its line is told in pieces: memory stays bounded, whatever the script prints.
      while (rest.length > maxLineChars) {
        run.onLine(rest.slice(0, maxLineChars))
        rest = rest.slice(maxLineChars)
      }
    })
    stream?.on('end', () => {
      if (rest !== '') run.onLine(rest)
      rest = ''
    })
  }
  let ended = false
  started.on('error', (error) => {
    if (!ended) run.onExit(`could not start: ${error.message}`)
    ended = true
  })
  started.on('exit', (code, signal) => {
    if (!ended) run.onExit(signal !== null ? `killed by ${signal}` : `exit status ${code}`)
    ended = true
  })
  return {
    kill: () => {
      ended = true
      killEnvironment(started.pid, tag, [])
      try {
        rmSync(dir, { recursive: true, force: true })
      } catch {
        // What the script left unremovable stays: stopping the instance (TerminateInstances, reset) must not fail.
      }
    },
  }
}
