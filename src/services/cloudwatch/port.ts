// The narrow port other services use to reach CloudWatch: publish their AWS/<service> metrics. Types only.

export interface PublishedDatum {
  metricName: string
  dimensions: { Name: string; Value: string }[]
  value: number
  unit?: string
  /** Epoch ms; default now. */
  timestamp?: number
}

export interface CloudWatchPort {
  /** Stores datapoints as PutMetricData would, without its checks (AWS/ namespaces allowed). */
  publish(account: string, region: string, namespace: string, data: readonly PublishedDatum[]): void
}
