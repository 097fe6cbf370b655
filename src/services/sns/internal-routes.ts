// SNS's own endpoints under /_nimbus/sns/: the signing certificate SigningCertURL names, and the
// email/email-json/SMS messages SNS "sent" (GET lists them, filtered by query; DELETE clears).
import type { HttpRequest, HttpResponse } from '../../protocol/http.ts'
import type { SnsSigner } from './signing.ts'
import type { SnsState } from './store.ts'

export function internalRoutes(state: SnsState, signer: SnsSigner) {
  return (request: HttpRequest, path: string): HttpResponse | undefined => {
    if (path === 'messages') return state.outbox.handle(request)
    if (request.method === 'GET' && path.startsWith('SimpleNotificationService-') && path === signer.certificateFileName()) {
      return { status: 200, headers: { 'content-type': 'application/x-x509-ca-cert' }, body: signer.certificatePem() }
    }
    return undefined
  }
}
