// A REST API's resource policy as API Gateway saves it: the abbreviated resource `execute-api:/…`
// the guide's examples write becomes the full ARN `arn:aws:execute-api:{region}:{account}:{apiId}/…`
// (AWS: "API Gateway converts the abbreviated syntax to the full ARN when you save the policy"; on
// import too). CreateRestApi, UpdateRestApi `/policy`, ImportRestApi and PutRestApi store it so.

/** The policy text with every `"execute-api:/…"` string expanded; the rest of the text as written. */
export function expandPolicy(text: string | undefined, region: string, account: string, apiId: string): string | undefined {
  if (text === undefined || !text.includes('execute-api:/')) return text
  return text.replace(/"execute-api:\//g, `"arn:aws:execute-api:${region}:${account}:${apiId}/`)
}
