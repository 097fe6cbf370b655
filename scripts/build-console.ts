// Builds the web console (console-ui/) into dist/console-ui/: esbuild bundles console-ui/src/main.tsx
// (Preact) into one app.js, beside index.html and app.css. Run by scripts/build.ts; the browser tests
// call it too. Each file is written aside and renamed into place, so test files building at the same
// time never serve a half-written one.
import { build } from 'esbuild'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

export async function buildConsole(outDir = `${root}dist/console-ui`): Promise<void> {
  mkdirSync(outDir, { recursive: true })
  const bundled = await build({
    entryPoints: [`${root}console-ui/src/main.tsx`],
    outfile: `${outDir}/app.js`,
    write: false,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    logLevel: 'warning',
  })
  const files: [string, Uint8Array][] = [['app.js', bundled.outputFiles[0]!.contents],
    ...['index.html', 'app.css'].map((f): [string, Uint8Array] => [f, readFileSync(`${root}console-ui/${f}`)])]
  for (const [name, contents] of files) {
    const aside = `${outDir}/.${name}.${process.pid}`
    writeFileSync(aside, contents)
    renameSync(aside, `${outDir}/${name}`)
  }
}

// `node scripts/build-console.ts [outDir]`: the bench builds its own compiled Nimbus in a temp folder.
if (import.meta.main) await buildConsole(process.argv[2])
