// ARNs: arn:partition:service:region:account:resource

export interface Arn {
  partition: string
  service: string
  region: string
  account: string
  resource: string
}

export function formatArn(arn: Omit<Arn, 'partition'> & { partition?: string }): string {
  return `arn:${arn.partition ?? 'aws'}:${arn.service}:${arn.region}:${arn.account}:${arn.resource}`
}

export function parseArn(text: string): Arn | undefined {
  const parts = text.split(':')
  if (parts.length < 6 || parts[0] !== 'arn') return undefined
  const [, partition, service, region, account] = parts as [string, string, string, string, string]
  if (partition === '' || service === '') return undefined
  return { partition, service, region, account, resource: parts.slice(5).join(':') }
}
