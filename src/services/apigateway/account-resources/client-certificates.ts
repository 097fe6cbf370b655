// REST APIs' client certificates (GenerateClientCertificate, GetClientCertificate(s),
// UpdateClientCertificate, DeleteClientCertificate): a self-signed X.509 certificate made with
// node:crypto (core/x509.ts), valid 365 days from Nimbus's clock as AWS's are; only its PEM is kept
// (the private key is dropped: Nimbus presents no certificate to backends — README Gaps).
import { generateKeyPairSync } from 'node:crypto'
import type { Clock } from '../../../core/clock.ts'
import { selfSignedCertificate } from '../../../core/x509.ts'
import type { OperationContext } from '../../service.ts'
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { newId } from '../ids.ts'
import { applyPatches, memberRule } from '../operations/patch.ts'
import { page } from '../operations/views.ts'
import type { AccountResources, ClientCertificateData } from './store.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

const validityMs = 365 * 24 * 3600_000
// [R] AWS's wording.
export const certificateNotFound = () => apiGatewayErrors.notFound('Invalid Client Certificate identifier specified')

function view(cert: ClientCertificateData): T.ClientCertificate {
  return {
    clientCertificateId: cert.id, description: cert.description, pemEncodedCertificate: cert.pem,
    createdDate: new Date(cert.createdDate), expirationDate: new Date(cert.expirationDate),
    tags: Object.keys(cert.tags).length > 0 ? { ...cert.tags } : undefined,
  }
}

export function clientCertificateOperations(resources: AccountResources, clock: Clock) {
  const own = (id: string, ctx: OperationContext) => {
    const cert = resources.certificates.get(id, ctx.caller.account, ctx.caller.region)
    if (cert === undefined) throw certificateNotFound()
    return cert
  }

  const generate: Op<T.GenerateClientCertificateRequest, T.ClientCertificate> = (input, ctx) => {
    const id = resources.certificates.freshId(() => newId(6))
    const now = clock.now()
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const certificate = selfSignedCertificate({ publicKey, privateKey, subject: { commonName: id, organization: 'Nimbus API Gateway' }, notBefore: now, notAfter: now + validityMs })
    const cert: ClientCertificateData = {
      account: ctx.caller.account, region: ctx.caller.region, id, description: input.description, pem: certificate.pem,
      createdDate: now, expirationDate: now + validityMs, tags: { ...input.tags },
    }
    resources.certificates.save(cert)
    return view(cert)
  }

  const update: Op<T.UpdateClientCertificateRequest, T.ClientCertificate> = (input, ctx) => {
    const cert = structuredClone(own(input.clientCertificateId, ctx))
    applyPatches(cert, input.patchOperations, [
      memberRule<ClientCertificateData>('/description', (c, v) => { c.description = String(v) }, 'string', (c) => c.description),
    ])
    resources.certificates.save(cert)
    return view(cert)
  }

  return {
    GenerateClientCertificate: generate,
    GetClientCertificate: ((input, ctx) => view(own(input.clientCertificateId, ctx))) as Op<T.GetClientCertificateRequest, T.ClientCertificate>,
    GetClientCertificates: ((input, ctx) => {
      const { items, position } = page(resources.certificates.list(ctx.caller.account, ctx.caller.region), input.position, input.limit)
      return { items: items.map(view), position }
    }) as Op<T.GetClientCertificatesRequest, T.ClientCertificates>,
    UpdateClientCertificate: update,
    DeleteClientCertificate: ((input, ctx) => { resources.certificates.remove(own(input.clientCertificateId, ctx)) }) as Op<T.DeleteClientCertificateRequest, void>,
  }
}
