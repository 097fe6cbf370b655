// Binary media types: a body whose Content-Type matches one of the API's binaryMediaTypes
// (`image/png`, `image/*`, `*/*`) travels base64-encoded to Lambda.

export function binaryType(binaryMediaTypes: readonly string[], contentType: string | undefined): boolean {
  if (binaryMediaTypes.length === 0 || contentType === undefined) return false
  const type = contentType.split(';')[0]!.trim().toLowerCase()
  const slash = type.indexOf('/')
  for (const pattern of binaryMediaTypes) {
    const p = pattern.toLowerCase()
    if (p === type || p === '*/*') return true
    if (p.endsWith('/*') && slash !== -1 && p.slice(0, -1) === type.slice(0, slash + 1)) return true
  }
  return false
}
