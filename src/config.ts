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
}

export interface NimbusConfig {
  port: number
  host: string
  region: string
  clock: ClockMode
  clockStart: number | undefined
  log: (line: string) => void
  dataDir: string | undefined
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
  }
}
