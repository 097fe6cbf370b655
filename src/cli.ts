#!/usr/bin/env node
// `nimbus start [--port 4566] [--host 127.0.0.1] [--region us-east-1] [--clock system|manual] [--data-dir <folder>]`
// (NIMBUS_DATA_DIR stands for --data-dir when the option is not given.)
import { parseArgs } from 'node:util'
import { startNimbus } from './emulator.ts'
import { version } from './version.ts'

const usage = `Usage: nimbus start [--port 4566] [--host 127.0.0.1] [--region us-east-1] [--clock system|manual] [--data-dir <folder>]
       nimbus --version`

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      region: { type: 'string' },
      clock: { type: 'string' },
      'data-dir': { type: 'string' },
      version: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.version === true) {
    console.log(version)
    return 0
  }
  const command = positionals[0] ?? 'start'
  if (values.help === true || command !== 'start') {
    console.log(usage)
    return values.help === true ? 0 : 2
  }
  const port = values.port === undefined ? 4566 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not ${values.port}`)
  const clock = values.clock ?? 'system'
  if (clock !== 'system' && clock !== 'manual') throw new Error('--clock must be system or manual')
  const dataDir = values['data-dir'] ?? (process.env.NIMBUS_DATA_DIR || undefined)
  const nimbus = await startNimbus({ port, host: values.host, region: values.region, clock, dataDir })
  console.log(`Nimbus ${version} ready on ${nimbus.endpoint} (region ${nimbus.region}, ${clock} clock)`)
  // Function output shows on Nimbus's console too, one line per log event, prefixed by function.
  nimbus.services.logs.onAppended((appended) => {
    const fn = /^\/aws\/lambda\/(.+)$/.exec(appended.logGroupName)?.[1]
    if (fn === undefined) return
    for (const event of appended.events) console.log(`[lambda:${fn}] ${event.message.replace(/\n$/, '')}`)
  })
  const shutdown = (signal: string) => {
    console.log(`Nimbus stopping (${signal})`)
    void nimbus.stop().then(() => process.exit(0))
  }
  process.once('SIGINT', () => shutdown('SIGINT'))
  process.once('SIGTERM', () => shutdown('SIGTERM'))
  return -1
}

main(process.argv.slice(2)).then((code) => {
  if (code >= 0) process.exit(code)
}, (error: unknown) => {
  console.error(`nimbus: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
