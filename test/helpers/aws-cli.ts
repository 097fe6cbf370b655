// Running the AWS CLI (v1 on these machines) against a Nimbus from a test: default test credentials,
// no user config, no pager, and JSON output parsed. A missing CLI fails the test, never skips it.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { Nimbus } from '../../src/index.ts'

const run = promisify(execFile)

/** The environment the CLI runs with: test keys, us-east-1, nothing read from ~/.aws, one attempt. */
export const awsCliEnv = {
  ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1',
  AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_PAGER: '', AWS_MAX_ATTEMPTS: '1',
}

/** `aws <args> --endpoint-url <nimbus> --output json`, its stdout parsed (`{}` when empty). */
export async function awsCli<T = Record<string, unknown>>(nimbus: Nimbus, ...args: string[]): Promise<T> {
  const { stdout } = await run('aws', [...args, '--endpoint-url', nimbus.endpoint, '--output', 'json'], { env: awsCliEnv })
  return (stdout.trim() === '' ? {} : JSON.parse(stdout)) as T
}

/** The CLI's stderr for a command expected to fail ('' if it succeeded). */
export function awsCliError(nimbus: Nimbus, ...args: string[]): Promise<string> {
  return run('aws', [...args, '--endpoint-url', nimbus.endpoint], { env: awsCliEnv }).then(() => '', (e: { stderr: string }) => e.stderr)
}
