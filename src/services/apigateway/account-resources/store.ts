// REST API Gateway's account-level resources beside the APIs: VPC links (table `apigateway_vpc_links`),
// client certificates (table `apigateway_client_certificates`) and the account settings UpdateAccount
// sets (table `apigateway_account_settings`), each keyed by id and durable with a data dir. Ids are
// unique across accounts and regions; lookups check the caller owns the row.
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

/** GetAccount/UpdateAccount's settings of one account in one region; `id` is `{account}:{region}`. */
export interface AccountSettingsData {
  account: string
  region: string
  id: string
  cloudwatchRoleArn?: string
}

export class AccountResources {
  readonly vpcLinks: OwnedRows<RestVpcLinkData>
  readonly certificates: OwnedRows<ClientCertificateData>
  readonly settings: OwnedRows<AccountSettingsData>

  constructor(persistence: Persistence | undefined) {
    this.vpcLinks = new OwnedRows(persistence, 'apigateway_vpc_links')
    this.certificates = new OwnedRows(persistence, 'apigateway_client_certificates')
    this.settings = new OwnedRows(persistence, 'apigateway_account_settings')
  }

  reset(): void {
    this.vpcLinks.reset()
    this.certificates.reset()
    this.settings.reset()
  }

  /** Without a data dir, a stop forgets them (as the APIs). */
  forget(): void {
    this.vpcLinks.forget()
    this.certificates.forget()
    this.settings.forget()
  }
}
