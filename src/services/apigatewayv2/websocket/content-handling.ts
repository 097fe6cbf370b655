// WebSocket APIs' ContentHandlingStrategy, as AWS's "Binary media types for WebSocket APIs" describes it:
// clients can't send binary frames (API Gateway closes the connection with 1003), so binary data arrives
// as base64 text — an integration's CONVERT_TO_BINARY decodes it for the backend; an integration
// response's CONVERT_TO_TEXT turns the backend's bytes into base64 text for the route response, and its
// CONVERT_TO_BINARY decodes a base64 answer into bytes (sent as a binary frame).

/** The close code AWS answers a client's binary frame with ("unsupported data", RFC 6455). */
export const binaryFrameCloseCode = 1003

/** What the integration sends its backend: the payload as it is, or (CONVERT_TO_BINARY) the bytes its base64 names. */
export function integrationPayload(strategy: string | undefined, payload: string): string | Buffer {
  // CONVERT_TO_TEXT would base64 a binary payload; a message is always text here, so it passes as it is.
  return strategy === 'CONVERT_TO_BINARY' ? Buffer.from(payload, 'base64') : payload
}

/** The backend's answer as the integration response's template sees it: CONVERT_TO_TEXT makes its bytes base64 text. */
export function responsePayload(strategy: string | undefined, body: string, bytes: Buffer | undefined): string {
  return strategy === 'CONVERT_TO_TEXT' ? (bytes ?? Buffer.from(body, 'utf8')).toString('base64') : body
}

/** The route response's payload: CONVERT_TO_BINARY decodes the (mapped) base64 answer into bytes. */
export function replyPayload(strategy: string | undefined, reply: string): string | Buffer {
  return strategy === 'CONVERT_TO_BINARY' ? Buffer.from(reply, 'base64') : reply
}
