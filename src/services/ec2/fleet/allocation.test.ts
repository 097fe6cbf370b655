// Allocation strategies over pools: which pools each picks and how evenly.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { allocate, strategyOf, type PoolOption } from './allocation.ts'

const pools: PoolOption[] = [
  { price: 0.04, room: 10, weight: 1 },
  { price: 0.03, room: 3, weight: 1 },
  { price: 0.05, room: 50, weight: 1 },
  { price: 0.035, room: 40, weight: 1 },
]

describe('fleet allocation', () => {
  it('lowest-price: the cheapest pool, or the N cheapest evenly; room caps a pool', () => {
    assert.deepEqual(allocate(pools, 2, 'lowest-price'), [0, 2, 0, 0])
    assert.deepEqual(allocate(pools, 6, 'lowest-price', 2), [0, 3, 0, 3])
    assert.deepEqual(allocate(pools, 5, 'lowest-price', 1), [0, 3, 0, 0]) // the pool is full: what it can
  })
  it('diversified spreads evenly; capacity-optimized fills the deepest; price-capacity-optimized the cheapest deep pool', () => {
    assert.deepEqual(allocate(pools, 8, 'diversified'), [2, 2, 2, 2])
    assert.deepEqual(allocate(pools, 4, 'capacity-optimized'), [0, 0, 4, 0])
    assert.deepEqual(allocate(pools, 4, 'price-capacity-optimized'), [0, 0, 0, 4])
  })
  it('weights count units; prioritized follows priorities', () => {
    // Price per unit decides: 0.06 for 4 units (0.015 each) beats 0.02 for one; 0.1 for 4 (0.025 each) does not.
    assert.deepEqual(allocate([{ price: 0.06, room: 10, weight: 4 }, { price: 0.02, room: 10, weight: 1 }], 8, 'lowest-price'), [2, 0])
    assert.deepEqual(allocate([{ price: 0.1, room: 10, weight: 4 }, { price: 0.02, room: 10, weight: 1 }], 8, 'lowest-price'), [0, 8])
    assert.deepEqual(allocate([{ price: 1, room: 9, weight: 1, priority: 2 }, { price: 2, room: 9, weight: 1, priority: 1 }], 3, 'prioritized'), [0, 3])
    assert.equal(strategyOf('capacityOptimized', 'lowest-price'), 'capacity-optimized')
    assert.equal(strategyOf('lowestPrice', 'diversified'), 'lowest-price')
  })
})
