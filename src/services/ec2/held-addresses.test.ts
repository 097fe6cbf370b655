// The indexes launches and terminations read instead of scanning the region: held private addresses
// per subnet and volumes per attached instance, kept through saves, state changes and removals.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AttachedVolumes } from './attached-volumes.ts'
import { ipToNumber } from './cidr.ts'
import { HeldAddresses } from './held-addresses.ts'
import type { InstanceRecord, VolumeRecord } from './resources.ts'

const instance = (id: string, subnetId: string, privateIp: string, state: InstanceRecord['state']) =>
  ({ id, subnetId, privateIp, state }) as InstanceRecord

describe('EC2 held addresses', () => {
  it('holds an address until the instance is terminated or removed, counted per holder', () => {
    const held = new HeldAddresses()
    const a = instance('i-a', 'subnet-1', '10.0.0.4', 'pending')
    held.saved(a)
    held.saved(instance('i-b', 'subnet-1', '10.0.0.5', 'running'))
    held.saved(instance('i-c', 'subnet-2', '10.0.1.4', 'running'))
    assert.deepEqual([...held.of('subnet-1').keys()], [ipToNumber('10.0.0.4'), ipToNumber('10.0.0.5')])
    a.state = 'running'
    held.saved(a)
    assert.equal(held.of('subnet-1').get(ipToNumber('10.0.0.4')), 1)
    a.state = 'terminated'
    held.saved(a)
    assert.equal(held.of('subnet-1').has(ipToNumber('10.0.0.4')), false)
    held.released('i-b')
    assert.equal(held.of('subnet-1').size, 0)
    assert.equal(held.of('subnet-2').size, 1)
    assert.equal(held.of('subnet-9').size, 0)
  })
})

describe('EC2 attached volumes', () => {
  it('files a volume under the instance it is attached to, and moves it as it is detached or reattached', () => {
    const index = new AttachedVolumes()
    const v = { id: 'vol-1', attachment: { instanceId: 'i-a' } } as VolumeRecord
    index.saved(v)
    assert.deepEqual(index.of('i-a'), [v])
    v.attachment = undefined
    index.saved(v)
    assert.deepEqual(index.of('i-a'), [])
    v.attachment = { instanceId: 'i-b' } as VolumeRecord['attachment']
    index.saved(v)
    assert.deepEqual(index.of('i-b'), [v])
    index.removed(v)
    assert.deepEqual(index.of('i-b'), [])
  })
})
