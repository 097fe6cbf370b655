// The custom domain store on a data dir: private domains kept by `{name}+{id}` (their own namespace), and a private
// domain's row from before that — kept by its name alone — moved to its own key at start, beside a public domain
// of the same name.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { openSqlitePersistence } from '../../../storage/persistence/sqlite-store.ts'
import { type DomainNameData, DomainState } from './store.ts'

const dir = mkdtempSync(join(tmpdir(), 'nimbus-apigw-domain-store-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const domain = (extra: Partial<DomainNameData>): DomainNameData => ({
  account: '000000000000', region: 'us-east-1', domainName: 'api.example.com', regionalDomainName: 'd-abcdefghij.execute-api.us-east-1.amazonaws.com',
  endpointConfiguration: { types: ['REGIONAL'] }, tags: {}, createdDate: 1, mappings: {}, ...extra,
})

describe('apigateway domain store', () => {
  it('moves a private domain kept by its name alone to {name}+{id}, and keeps a public domain of the name beside it', async () => {
    const first = openSqlitePersistence(dir)
    // The row a private domain had before private names got their own namespace: keyed by its name.
    first.table<DomainNameData>('apigateway_domain_names').put('api.example.com',
      domain({ endpointConfiguration: { types: ['PRIVATE'] }, domainNameId: 'abcd1234', certificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/x' }))
    await first.flushed()
    first.close()

    const moved = openSqlitePersistence(dir)
    assert.equal(new DomainState(moved).privates.size, 1)
    await moved.flushed()
    moved.close()
    const second = openSqlitePersistence(dir)
    assert.deepEqual(second.table<DomainNameData>('apigateway_domain_names').load().map(([key]) => key), ['api.example.com+abcd1234'])
    const state = new DomainState(second)
    assert.equal(state.domains.size, 0)
    assert.equal(state.privateDomain('000000000000', 'us-east-1', 'API.example.com', 'abcd1234')?.domainNameId, 'abcd1234')
    assert.equal(state.privateDomain('111111111111', 'us-east-1', 'api.example.com', 'abcd1234'), undefined)
    // A public domain of the same name, and a second private one, now have rows of their own.
    state.save(domain({}))
    state.save(domain({ endpointConfiguration: { types: ['PRIVATE'] }, domainNameId: 'efgh5678', createdDate: 2 }))
    await second.flushed()
    second.close()

    const third = openSqlitePersistence(dir)
    const keys = third.table<DomainNameData>('apigateway_domain_names').load().map(([key]) => key).sort()
    assert.deepEqual(keys, ['api.example.com', 'api.example.com+abcd1234', 'api.example.com+efgh5678'])
    const reloaded = new DomainState(third)
    assert.deepEqual([reloaded.domains.size, reloaded.privates.size], [1, 2])
    // The Host names the public domain first; with none, the oldest private one.
    assert.equal(reloaded.byHost('api.example.com:4566')?.domainNameId, undefined)
    reloaded.remove(reloaded.domains.get('api.example.com')!)
    assert.equal(reloaded.byHost('API.example.com')?.domainNameId, 'abcd1234')
    assert.deepEqual(reloaded.list('000000000000', 'us-east-1').map((d) => d.domainNameId), ['abcd1234', 'efgh5678'])
    third.close()
  })
})
