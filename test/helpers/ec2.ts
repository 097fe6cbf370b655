// EC2 test helpers: expecting a call to fail with AWS's error code, HTTP status 400 and message.
import assert from 'node:assert/strict'
import type { EC2ServiceException } from '@aws-sdk/client-ec2'

/** Runs `promise`, expecting EC2's error `code` (status 400) and, if given, its exact message or a pattern of it. */
export async function ec2Rejects(promise: Promise<unknown>, code: string, message?: string | RegExp): Promise<void> {
  await assert.rejects(promise, (error: EC2ServiceException) => {
    assert.equal(error.name, code)
    assert.equal(error.$metadata.httpStatusCode, 400)
    if (typeof message === 'string') assert.equal(error.message, message)
    else if (message !== undefined) assert.match(error.message, message)
    return true
  })
}
