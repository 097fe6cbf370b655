// Lambda limits and defaults (aws-behaviour.md §2), named so they can be looked up and changed.

export const limits = {
  defaultTimeout: 3,
  maxTimeout: 900,
  defaultMemory: 128,
  minMemory: 128,
  maxMemory: 10_240,
  syncPayloadBytes: 6 * 1024 * 1024,
  asyncPayloadBytes: 1024 * 1024, // 1 MB since 2026-01 (was 256 KB)
  zippedDirectUploadBytes: 70_167_211, // the number in AWS's own error message (50 MB zipped + base64)
  unzippedBytes: 262_144_000,
  environmentBytes: 4 * 1024,
  layersPerFunction: 5,
  accountConcurrency: 1000,
  minUnreservedConcurrency: 100,
  tailLogBytes: 4 * 1024,
  defaultMaxEventAgeSeconds: 21_600,
  defaultRetryAttempts: 2,
} as const


/** Runtimes AWS no longer lets you create or update functions with. */
export const deprecatedRuntimes = new Set(['nodejs', 'nodejs4.3', 'nodejs4.3-edge', 'nodejs6.10', 'nodejs8.10',
  'nodejs10.x', 'nodejs12.x', 'nodejs14.x', 'nodejs16.x', 'python2.7', 'python3.6', 'python3.7', 'python3.8',
  'dotnetcore1.0', 'dotnetcore2.0', 'dotnetcore2.1', 'dotnetcore3.1', 'dotnet5.0', 'ruby2.5', 'ruby2.7', 'go1.x',
  'java8', 'provided'])
