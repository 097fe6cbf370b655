// Builds the web console (console-ui/) into dist/console-ui/: esbuild bundles console-ui/src/main.tsx (Preact)
// into one app.js, beside index.html and app.css. Run by scripts/build.ts; importable by tests.
import { build } from 'esbuild'
import { copyFileSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

export async function buildConsole(outDir = `${root}dist/console-ui`): Promise<void> {
  mkdirSync(outDir, { recursive: true })
  await build({
    entryPoints: [`${root}console-ui/src/main.tsx`],
    outfile: `${outDir}/app.js`,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    logLevel: 'warning',
  })
  for (const file of ['index.html', 'app.css']) copyFileSync(`${root}console-ui/${file}`, `${outDir}/${file}`)
}

if (import.meta.main) await buildConsole()
