// The Get* lists' pages: MaxResults (a string on the wire) items from the NextToken's position, and
// a NextToken while more remain. The token is opaque to clients (an offset, base64) [R: its form].
import { apiGatewayV2Errors } from '../errors.ts'

export function page<T>(items: T[], input: { MaxResults?: string; NextToken?: string }): { Items: T[]; NextToken?: string } {
  let start = 0
  if (input.NextToken !== undefined) {
    const decoded = Buffer.from(input.NextToken, 'base64').toString('utf8')
    start = /^\d+$/.test(decoded) ? Number(decoded) : Number.NaN
    if (!Number.isSafeInteger(start)) throw apiGatewayV2Errors.badRequest('Invalid NextToken')
  }
  const max = input.MaxResults === undefined ? undefined : Number(input.MaxResults)
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) throw apiGatewayV2Errors.badRequest(`Invalid MaxResults: ${input.MaxResults}`)
  const end = max === undefined ? items.length : Math.min(items.length, start + max)
  return { Items: items.slice(start, end), ...(end < items.length && { NextToken: Buffer.from(String(end)).toString('base64') }) }
}
