// AWS's limits on the tags of API Gateway V2's resources, checked by TagResource and the Create operations.
import { apiGatewayV2Errors } from './errors.ts'

/** AWS's tag limits: keys 1–128 characters not starting with `aws:`, values up to 256, 50 tags a resource [R: the messages]. */
export function checkTags(tags: Record<string, string>, existing: Record<string, string> = {}): void {
  for (const [key, value] of Object.entries(tags)) {
    if (key.length < 1 || key.length > 128) throw apiGatewayV2Errors.badRequest(`Invalid tag key: ${key}. Tag keys must be between 1 and 128 characters.`)
    if (key.toLowerCase().startsWith('aws:')) throw apiGatewayV2Errors.badRequest(`Invalid tag key: ${key}. Tag keys cannot start with 'aws:'.`)
    if (typeof value !== 'string' || value.length > 256) throw apiGatewayV2Errors.badRequest(`Invalid tag value for key ${key}. Tag values can be at most 256 characters.`)
  }
  if (Object.keys({ ...existing, ...tags }).length > 50) throw apiGatewayV2Errors.badRequest('A resource can have at most 50 tags')
}
