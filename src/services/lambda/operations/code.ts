// Where a function's code comes from: an inline ZipFile, or an S3 object once S3 is in Nimbus.
import { isAwsError } from '../../../protocol/errors.ts'
import type { StoredCode } from '../code-store.ts'
import type { LambdaContext } from '../context.ts'
import { lambdaErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { limits } from '../limits.ts'

export function storeCode(ctx: LambdaContext, code: Pick<T.FunctionCode, 'ZipFile' | 'S3Bucket' | 'S3Key' | 'S3ObjectVersion'>): StoredCode {
  if (code.ZipFile !== undefined) {
    if (code.ZipFile.length > limits.zippedDirectUploadBytes) {
      throw lambdaErrors.entityTooLarge(`Request must be smaller than ${limits.zippedDirectUploadBytes} bytes for the CreateFunction operation`)
    }
    return ctx.codes.put(code.ZipFile)
  }
  if (code.S3Bucket !== undefined && code.S3Key !== undefined) {
    if (ctx.s3Code === undefined) {
      throw lambdaErrors.invalidParameter('Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: ' +
        'The specified bucket does not exist (S3 is not part of this Nimbus yet; upload the code as ZipFile)')
    }
    let zip: Buffer
    try {
      zip = ctx.s3Code(code.S3Bucket, code.S3Key, code.S3ObjectVersion)
    } catch (error) {
      // AWS reports S3's own error inside Lambda's InvalidParameterValueException.
      if (!isAwsError(error)) throw error
      throw lambdaErrors.invalidParameter(`Error occurred while GetObject. S3 Error Code: ${error.code}. S3 Error Message: ${error.message}`)
    }
    return ctx.codes.put(zip)
  }
  throw lambdaErrors.invalidParameter('Please provide a source for function code.')
}
