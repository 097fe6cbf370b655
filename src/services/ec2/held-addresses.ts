// The private addresses instances hold, per subnet, kept by RegionState on every instance save and
// removal: a launch (launch.ts) reads them instead of walking the subnet's instances.
import { ipToNumber } from './cidr.ts'
import type { InstanceRecord } from './resources.ts'

/**
 * Address → how many instances hold it, per subnet. A terminated instance holds none (only settle()
 * makes one terminated, and its caller saves it); an address is parsed once per instance.
 */
export class HeldAddresses {
  private readonly bySubnet = new Map<string, Map<number | undefined, number>>()
  /** What each instance holds (its subnet and parsed address), by instance id. */
  private readonly holding = new Map<string, { subnetId: string; ip: number | undefined }>()

  saved(i: InstanceRecord): void {
    const held = this.holding.get(i.id)
    if (i.state === 'terminated') {
      this.released(i.id)
    } else if (held === undefined || held.subnetId !== i.subnetId) {
      this.released(i.id)
      const ip = ipToNumber(i.privateIp)
      this.holding.set(i.id, { subnetId: i.subnetId, ip })
      let ips = this.bySubnet.get(i.subnetId)
      if (ips === undefined) this.bySubnet.set(i.subnetId, (ips = new Map()))
      ips.set(ip, (ips.get(ip) ?? 0) + 1)
    }
  }

  released(instanceId: string): void {
    const held = this.holding.get(instanceId)
    if (held === undefined) return
    this.holding.delete(instanceId)
    const ips = this.bySubnet.get(held.subnetId)!
    const count = ips.get(held.ip)! - 1
    if (count === 0) ips.delete(held.ip)
    else ips.set(held.ip, count)
  }

  /** The addresses the subnet's instances hold (not settled: settleChanging() first). */
  of(subnetId: string): ReadonlyMap<number | undefined, number> {
    return this.bySubnet.get(subnetId) ?? new Map()
  }
}
