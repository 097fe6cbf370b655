// REST API Gateway's account-level resources beside the APIs: VPC links (table `apigateway_vpc_links`)
// and client certificates (table `apigateway_client_certificates`), each keyed by id and durable with
// a data dir. Ids are unique across accounts and regions; lookups check the caller owns the row.
import { OwnedRows } from '../../../storage/owned-rows.ts'
import type { Persistence } from '../../../storage/persistence/persistence.ts'

export interface RestVpcLinkData {
  account: string
  region: string
  id: string
  name: string
  description?: string
  targetArns: string[]
  tags: Record<string, string>
  createdDate: number
}

export interface ClientCertificateData {
  account: string
  region: string
  id: string
  description?: string
  pem: string
  createdDate: number
  expirationDate: number
  tags: Record<string, string>
}

export class AccountResources {
  readonly vpcLinks: OwnedRows<RestVpcLinkData>
  readonly certificates: OwnedRows<ClientCertificateData>

  constructor(persistence: Persistence | undefined) {
    this.vpcLinks = new OwnedRows(persistence, 'apigateway_vpc_links')
    this.certificates = new OwnedRows(persistence, 'apigateway_client_certificates')
  }

  reset(): void {
    this.vpcLinks.reset()
    this.certificates.reset()
  }

  /** Without a data dir, a stop forgets them (as the APIs). */
  forget(): void {
    this.vpcLinks.forget()
    this.certificates.forget()
  }
}
