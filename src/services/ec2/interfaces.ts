// Network interfaces, standalone or an instance's primary one (which lives on its instance record,
// so launches make no extra rows): finding them by id, settling attachments of ended instances.
import { networkErrors } from './network-errors.ts'
import type { NetworkInterfaceRecord } from './network-resources.ts'
import { checkId } from './operations/common.ts'
import type { InstanceRecord, Tag } from './resources.ts'
import type { RegionState } from './store.ts'

/** `tags` are there for the filter language's tag filters (a primary interface has none of its own). */
export type Interface = { kind: 'eni'; record: NetworkInterfaceRecord; tags: Tag[] } | { kind: 'primary'; instance: InstanceRecord; tags: Tag[] }

export const standalone = (record: NetworkInterfaceRecord): Interface => ({ kind: 'eni', record, tags: record.tags })
const primary = (instance: InstanceRecord): Interface => ({ kind: 'primary', instance, tags: [] })

/**
 * A standalone interface, its attachment settled: when the instance it was attached to has terminated
 * (or is gone), AWS detaches it — or deletes it with the instance when DeleteOnTermination is set.
 */
export function settledInterface(region: RegionState, eni: NetworkInterfaceRecord): NetworkInterfaceRecord | undefined {
  const attachment = eni.attachment
  if (attachment === undefined) return eni
  const instance = region.instance(attachment.instanceId)
  if (instance !== undefined && instance.state !== 'terminated') return eni
  if (attachment.deleteOnTermination) {
    region.remove(eni)
    return undefined
  }
  eni.attachment = undefined
  region.save(eni)
  return eni
}

/** Every interface the region holds: standalone ones and live instances' primary ones. */
export function allInterfaces(region: RegionState): Interface[] {
  const out: Interface[] = []
  for (const eni of [...region.networkInterfaces.values()]) {
    const settled = settledInterface(region, eni)
    if (settled !== undefined) out.push(standalone(settled))
  }
  for (const instance of region.allInstances()) if (instance.state !== 'terminated') out.push(primary(instance))
  return out
}

/** An interface by id, or undefined. */
export function lookupInterface(region: RegionState, id: string): Interface | undefined {
  const eni = region.networkInterfaces.get(id)
  if (eni !== undefined) {
    const settled = settledInterface(region, eni)
    return settled === undefined ? undefined : standalone(settled)
  }
  for (const instance of region.instances.values()) {
    if (instance.eniId === id) {
      const live = region.instance(instance.id)
      return live === undefined || live.state === 'terminated' ? undefined : primary(live)
    }
  }
  return undefined
}

export function findInterface(region: RegionState, id: string | undefined): Interface {
  if (id === undefined) throw networkErrors.networkInterfaceNotFound('')
  checkId(id, 'eni', 'InvalidNetworkInterfaceID.Malformed')
  const found = lookupInterface(region, id)
  if (found === undefined) throw networkErrors.networkInterfaceNotFound(id)
  return found
}

/** The standalone interfaces attached to an instance (device index 1 and up). */
export function attachedInterfaces(region: RegionState, instanceId: string): NetworkInterfaceRecord[] {
  const out: NetworkInterfaceRecord[] = []
  for (const eni of region.networkInterfaces.values()) if (eni.attachment?.instanceId === instanceId) out.push(eni)
  return out.sort((a, b) => a.attachment!.deviceIndex - b.attachment!.deviceIndex)
}

export const interfaceVpc = (i: Interface): string => (i.kind === 'eni' ? i.record.vpcId : i.instance.vpcId)
export const interfaceSubnet = (i: Interface): string => (i.kind === 'eni' ? i.record.subnetId : i.instance.subnetId)
