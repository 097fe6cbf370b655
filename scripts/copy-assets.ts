// Copies what tsc does not emit into dist/: the runtimes' bootstraps (plain .mjs and .py files that
// run inside function processes) and the data files read at run time (the AWS services table). Run
// after `tsc -p tsconfig.build.json`.
import { cpSync, existsSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const assets = ['runtime/bootstrap', 'gateway/aws-services.json']

for (const dir of assets) {
  const from = `${root}src/${dir}`
  const to = `${root}dist/${dir}`
  if (!existsSync(from)) throw new Error(`copy-assets: ${from} is missing`)
  rmSync(to, { recursive: true, force: true })
  cpSync(from, to, {
    recursive: true,
    filter: (path) => !path.endsWith('.ts') && !path.includes('__pycache__'),
  })
}
