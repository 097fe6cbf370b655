// CIDR arithmetic and the filter language, without a server.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { cidrContains, cidrsOverlap, formatCidr, parseCidr, usableAddresses } from './cidr.ts'
import { compileFilters, paginate } from './filters.ts'

describe('EC2 CIDR blocks', () => {
  it('parses, masks host bits, and refuses what is not a CIDR', () => {
    assert.equal(formatCidr(parseCidr('10.0.0.1/16')!), '10.0.0.0/16')
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '256.0.0.0/8', '10.0.0/8', 'a.b.c.d/8', '10.0.0.0/-1']) assert.equal(parseCidr(bad), undefined, bad)
  })
  it('contains, overlaps and counts usable addresses as AWS reserves them', () => {
    const vpc = parseCidr('10.0.0.0/16')!
    assert.ok(cidrContains(vpc, parseCidr('10.0.255.0/24')!))
    assert.ok(!cidrContains(vpc, parseCidr('10.1.0.0/24')!))
    assert.ok(cidrsOverlap(parseCidr('10.0.1.0/24')!, parseCidr('10.0.1.128/25')!))
    assert.ok(!cidrsOverlap(parseCidr('10.0.1.0/24')!, parseCidr('10.0.2.0/24')!))
    assert.equal(usableAddresses(parseCidr('10.0.0.0/24')!), 251)
    assert.equal(usableAddresses(parseCidr('172.31.0.0/20')!), 4091)
  })
})

describe('EC2 filters and pages', () => {
  const rows = [{ id: 'a', state: 'running', tags: [{ Key: 'env', Value: 'prod' }] }, { id: 'b', state: 'stopped', tags: [] }]
  const table = { 'instance-state-name': (r: (typeof rows)[number]) => [r.state] }
  it('ORs values with wildcards, ANDs filters, reads tags, and refuses unknown names', () => {
    assert.deepEqual(rows.filter(compileFilters([{ Name: 'instance-state-name', Values: ['run*', 'x'] }], table)).map((r) => r.id), ['a'])
    assert.deepEqual(rows.filter(compileFilters([{ Name: 'tag:env', Values: ['p?od'] }, { Name: 'instance-state-name', Values: ['stopped'] }], table)), [])
    assert.deepEqual(rows.filter(compileFilters([{ Name: 'tag-key', Values: ['env'] }], table)).map((r) => r.id), ['a'])
    assert.throws(() => compileFilters([{ Name: 'colour', Values: ['x'] }], table), /The filter 'colour' is invalid/)
  })
  it('pages with opaque tokens and checks MaxResults', () => {
    const all = Array.from({ length: 12 }, (_, k) => k)
    const first = paginate(all, 5, undefined)
    const second = paginate(all, 5, first.nextToken)
    const third = paginate(all, 5, second.nextToken)
    assert.deepEqual([first.items, second.items, third.items, third.nextToken], [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11], undefined])
    assert.throws(() => paginate(all, 4, undefined), /Expecting a value greater than 5/)
    assert.throws(() => paginate(all, 5, '!!'), /The token '!!' is invalid/)
  })
})
