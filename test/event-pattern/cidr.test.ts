// cidr: IPv4 and IPv6 ranges; IP-literal values match every spelling of the address.
import { c, matchTable } from './table.ts'

const ip = (cidr: string, value: unknown, match: boolean, name?: string) =>
  c(name ?? `${cidr} vs ${JSON.stringify(value)}`, { sourceIPAddress: [{ cidr }] }, { sourceIPAddress: value }, match)

const cases = [
  ip('10.0.0.0/24', '10.0.0.0', true), ip('10.0.0.0/24', '10.0.0.255', true), ip('10.0.0.0/24', '10.0.1.0', false),
  ip('10.0.0.0/24', '9.255.255.255', false), ip('10.0.0.0/8', '10.200.3.4', true), ip('10.0.0.0/8', '11.0.0.0', false),
  ip('0.0.0.0/0', '255.255.255.255', true), ip('192.168.1.0/31', '192.168.1.1', true), ip('192.168.1.0/31', '192.168.1.2', false),
  ip('10.0.0.0/24', 'not-an-ip', false), ip('10.0.0.0/24', '10.0.0', false), ip('10.0.0.0/24', 10, false),
  ip('10.0.0.0/24', null, false), ip('10.0.0.0/24', ['1.1.1.1', '10.0.0.7'], true),
  ip('10.0.0.0/24', '2001:db8::1', false, 'IPv6 value never in an IPv4 range'),
  ip('2001:db8:1234:1a00::/64', '2001:db8:1234:1a00::1', true),
  ip('2001:db8:1234:1a00::/64', '2001:0db8:1234:1a00:0000:0000:0000:0001', true, 'the long IPv6 form'),
  ip('2001:db8:1234:1a00::/64', '2001:db8:1234:1a01::1', false),
  ip('2001:db8::/32', '2001:DB8:FFFF::', true, 'IPv6 hex is case-insensitive'),
  ip('::/0', '::1', true), ip('2001:db8::/32', '10.0.0.1', false, 'IPv4 value never in an IPv6 range'),
  ip('10.0.0.5/24', '10.0.0.4', false, 'the range starts at the address as written (Event Ruler)'),
  ip('10.0.0.5/24', '10.0.0.200', true, 'and ends at the block end'),
  c('an IP-literal value matches the same address spelled differently', { ip: ['2001:db8::1'] }, { ip: '2001:0db8:0:0:0:0:0:1' }, true),
  c('an IP-literal value matches itself', { ip: ['10.0.0.1'] }, { ip: '10.0.0.1' }, true),
  c('an IP-literal value mismatch', { ip: ['10.0.0.1'] }, { ip: '10.0.0.2' }, false),
  c('cidr ORed with exact', { ip: [{ cidr: '10.0.0.0/24' }, 'localhost'] }, { ip: 'localhost' }, true),
]

matchTable('cidr', cases, ['eventbridge', 'sns-body', 'lambda-filter'])
