// The narrow, typed port other services use to reach DynamoDB. Types only.

export interface DynamoDbPort {
  /** Whether a table of that name exists (in any status) in the account and region. */
  tableExists(account: string, region: string, name: string): boolean
}
