// Runs a boto3 script (python3 -c) against Nimbus: the machine's AWS config and credentials files are
// hidden and retries are off, so a test sees exactly one answer from Nimbus to each call.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const env = { ...process.env, AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_MAX_ATTEMPTS: '1' }

/** Runs `script` with `args` as sys.argv[1:] (usually the endpoint first); resolves to its stdout. */
export async function runBoto3(script: string, ...args: string[]): Promise<string> {
  return (await promisify(execFile)('python3', ['-c', script, ...args], { env })).stdout
}

/** Python defining `out` and `attempt(fn, **kw)`: calls fn, appends 'ok' or the error's code to out. */
export const attemptCodes = `out = []
def attempt(fn, **kw):
    try:
        fn(**kw); out.append('ok')
    except botocore.exceptions.ClientError as e:
        out.append(e.response['Error']['Code'])`
