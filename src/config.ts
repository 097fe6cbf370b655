// Nimbus's settings, with defaults, from options or the command line.
import type { ClockMode } from './core/clock.ts'

export interface NimbusOptions {
  /** 4566 by default; 0 picks a free port. */
  port?: number
  host?: string
  region?: string
  /** 'system' (default) or 'manual': time moves only through clock.advance() or POST /_nimbus/clock. */
  clock?: ClockMode
  /** Where a manual clock starts (epoch ms); default now. */
  clockStart?: number
  /** Log lines (ready line, errors). Default: console.error for errors only. */
  log?: (line: string) => void
  /** A folder for data Nimbus keeps on disk (S3 object bodies); default none: everything in memory. */
  dataDir?: string
  /**
   * Browser origins, besides loopback pages (`http://localhost:*`…), that get CORS answers from the
   * AWS APIs (`https://app.example.test`; `*` for every origin). Default: NIMBUS_CORS_ORIGINS (comma-separated), else none.
   */
  corsOrigins?: readonly string[]
  /**
   * Host names Nimbus answers to besides IPs, localhost, `*.localhost`, AWS names and this machine's
   * name (DNS-rebinding guard; `.example.test` also takes its subdomains, `*` turns the guard off).
   * Default: NIMBUS_ALLOWED_HOSTS (comma-separated), else none.
   */
  allowedHosts?: readonly string[]
}

export interface NimbusConfig {
  port: number
  host: string
  region: string
  clock: ClockMode
  clockStart: number | undefined
  log: (line: string) => void
  dataDir: string | undefined
  corsOrigins: readonly string[]
  allowedHosts: readonly string[]
}

/** A comma-separated list (flag or environment variable). */
export function splitList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '')
}

export function resolveConfig(options: NimbusOptions = {}): NimbusConfig {
  return {
    port: options.port ?? 4566,
    host: options.host ?? '127.0.0.1',
    region: options.region ?? 'us-east-1',
    clock: options.clock ?? 'system',
    clockStart: options.clockStart,
    log: options.log ?? ((line) => console.error(line)),
    dataDir: options.dataDir,
    corsOrigins: options.corsOrigins ?? splitList(process.env['NIMBUS_CORS_ORIGINS']),
    allowedHosts: options.allowedHosts ?? splitList(process.env['NIMBUS_ALLOWED_HOSTS']),
  }
}
