// Builds dist/ (tsc -p tsconfig.build.json, then copy-assets.ts) and stamps it. With --if-stale it
// builds only when a source is newer than the stamp (`npm start` then starts in a blink): any file or
// folder under src/ or console-ui/ (a deleted file changes its folder's time), the tsconfigs, package.json, the build scripts.
import { execFileSync } from 'node:child_process'
import { readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const stamp = join(root, 'dist', '.build-stamp')
const inputs = ['tsconfig.json', 'tsconfig.build.json', 'package.json', 'scripts/build.ts', 'scripts/copy-assets.ts',
  'scripts/build-console.ts', 'console-ui']

function newest(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false })
  if (stat === undefined) return 0
  if (!stat.isDirectory()) return stat.mtimeMs
  let latest = stat.mtimeMs
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)))
  return latest
}

function stale(): boolean {
  const built = statSync(stamp, { throwIfNoEntry: false })?.mtimeMs
  if (built === undefined) return true
  return Math.max(newest(join(root, 'src')), ...inputs.map((f) => newest(join(root, f)))) > built
}

if (process.argv.includes('--if-stale') && !stale()) process.exit(0)
// The stamp gets the time the build began: a file saved while tsc runs counts as newer.
const began = new Date()
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root })
execFileSync(process.execPath, [join(root, 'scripts', 'copy-assets.ts')], { stdio: 'inherit', cwd: root })
execFileSync(process.execPath, [join(root, 'scripts', 'build-console.ts')], { stdio: 'inherit', cwd: root })
writeFileSync(stamp, '')
utimesSync(stamp, began, began)
