// The scale-in order: the fullest zone first, then the group's termination policies, Default last;
// protected instances never; ties to the instance launched first.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Group, GroupInstance, LaunchConfiguration } from './group.ts'
import { chooseForTermination } from './termination.ts'

const group = (policies: string[], extra: Partial<Group> = {}) =>
  ({ zones: ['a', 'b'], terminationPolicies: policies, launchConfigurationName: 'new', ...extra }) as Group
const instance = (id: string, zone: string, launchTime: number, extra: Partial<GroupInstance> = {}) =>
  ({ id, zone, launchTime, state: 'InService', health: 'Healthy', protectedFromScaleIn: false, instanceType: 't3.micro', launchConfigurationName: 'new', ...extra }) as GroupInstance
const configs = new Map<string, LaunchConfiguration>([
  ['old', { createdTime: 1 } as LaunchConfiguration], ['new', { createdTime: 2 } as LaunchConfiguration],
])
const ids = (list: GroupInstance[]) => list.map((i) => i.id)

describe('termination order', () => {
  const pool = [instance('a1', 'a', 1_000), instance('a2', 'a', 2_000), instance('a3', 'a', 3_000, { launchConfigurationName: 'old' }),
    instance('b1', 'b', 500)]
  it('Default: fullest zone, then the oldest launch configuration', () => {
    assert.deepEqual(ids(chooseForTermination(group(['Default']), pool, 1, { now: 10_000, launchConfigurations: configs })), ['a3'])
  })
  it('OldestInstance and NewestInstance within the fullest zone; zones tied: the one listed first', () => {
    assert.deepEqual(ids(chooseForTermination(group(['OldestInstance']), pool, 2, { now: 10_000, launchConfigurations: configs })), ['a1', 'a2'])
    assert.deepEqual(ids(chooseForTermination(group(['NewestInstance']), pool, 3, { now: 10_000, launchConfigurations: configs })), ['a3', 'a2', 'a1'])
  })
  it('never a protected instance', () => {
    const guarded = pool.map((i) => (i.zone === 'a' ? { ...i, protectedFromScaleIn: true } : i))
    assert.deepEqual(ids(chooseForTermination(group(['Default']), guarded, 2, { now: 10_000, launchConfigurations: configs })), ['b1'])
  })
  it('ClosestToNextInstanceHour', () => {
    const hour = 3_600_000
    const list = [instance('x', 'a', 0), instance('y', 'a', hour / 2)]
    // At 50 min: x has 10 min to its hour, y 40 min.
    assert.deepEqual(ids(chooseForTermination(group(['ClosestToNextInstanceHour']), list, 1, { now: hour * 5 / 6, launchConfigurations: configs })), ['x'])
  })
})
