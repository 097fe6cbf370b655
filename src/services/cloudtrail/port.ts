// The narrow port the API-call hook (and any service) uses to reach CloudTrail's trails: whether a
// logging trail records data events, and handing it a recorded event. Types only.

/** The record, as CloudTrail writes it (field order as AWS's). */
export interface EventRecord {
  eventVersion: string
  userIdentity: Record<string, unknown>
  eventTime: string
  eventSource: string
  eventName: string
  awsRegion: string
  sourceIPAddress: string
  userAgent: string
  requestParameters: Record<string, unknown> | null
  responseElements: Record<string, unknown> | null
  requestID: string
  eventID: string
  readOnly: boolean
  resources?: { accountId: string; type: string; ARN: string }[]
  eventType: 'AwsApiCall'
  managementEvent: boolean
  recipientAccountId: string
  eventCategory: 'Management' | 'Data'
}

export interface EventResource {
  /** `AWS::DynamoDB::Table`, `AWS::S3::Object`… */
  type: string
  arn: string
}

/** What a selector looks at in an event. */
export interface EventFacts {
  category: 'Management' | 'Data'
  eventSource: string
  eventName: string
  readOnly: boolean
  resources: readonly EventResource[]
}

export interface CloudTrailPort {
  /** Whether some logging trail seen from the region records data events (cheap: asked on every data call). */
  recordsData(account: string, region: string): boolean
  /** Offers the record to the account's logging trails seen from the region; returns how many took it. */
  capture(account: string, region: string, record: EventRecord, facts: EventFacts): number
}
