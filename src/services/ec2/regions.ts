// The regions DescribeRegions lists and each region's Availability Zones (names and zone ids).
// Zone names map to zone ids per account in AWS; Nimbus uses one mapping: "<region>a" → "<short>-az1".

/** The commercial regions enabled by default (opt-in-not-required) and the opt-in ones, as of 2026. */
const defaultRegions = ['ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2',
  'ca-central-1', 'eu-central-1', 'eu-north-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'sa-east-1', 'us-east-1', 'us-east-2',
  'us-west-1', 'us-west-2']
const optInRegions = ['af-south-1', 'ap-east-1', 'ap-east-2', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5',
  'ap-southeast-7', 'ca-west-1', 'eu-central-2', 'eu-south-1', 'eu-south-2', 'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1']

/** Zone letters where a region has other than three (in a typical account). */
const zoneLetters: Record<string, string> = { 'us-east-1': 'abcdef', 'us-west-2': 'abcd', 'ap-northeast-2': 'abcd', 'us-west-1': 'ab' }

export interface RegionInfo {
  name: string
  optIn: 'opt-in-not-required' | 'not-opted-in'
}

export function listRegions(all: boolean): RegionInfo[] {
  const out: RegionInfo[] = defaultRegions.map((name) => ({ name, optIn: 'opt-in-not-required' }))
  if (all) for (const name of optInRegions) out.push({ name, optIn: 'not-opted-in' })
  return out.sort((a, b) => a.name.localeCompare(b.name))
}

const directions: Record<string, string> = { east: 'e', west: 'w', north: 'n', south: 's', central: 'c', northeast: 'ne',
  northwest: 'nw', southeast: 'se', southwest: 'sw' }

/** us-east-1 → use1, ap-southeast-2 → apse2, eu-central-1 → euc1 (AWS's zone-id prefixes). */
export function regionShortName(region: string): string {
  const [country = '', direction = '', number = ''] = region.split('-')
  return `${country}${directions[direction] ?? direction.charAt(0)}${number}`
}

export interface ZoneInfo {
  name: string
  id: string
  region: string
}

export function zonesOf(region: string): ZoneInfo[] {
  const letters = zoneLetters[region] ?? 'abc'
  return letters.split('').map((letter, i) => ({ name: `${region}${letter}`, id: `${regionShortName(region)}-az${i + 1}`, region }))
}
