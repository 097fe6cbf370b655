// EC2's port methods for where Auto Scaling may place instances: a subnet's zone and VPC
// (VPCZoneIdentifier) and a region's Availability Zones.
import type { Ec2Port } from './port.ts'
import { zonesOf } from './regions.ts'
import type { Ec2State } from './store.ts'

export function placementPort(state: Ec2State): Pick<Ec2Port, 'subnet' | 'zones'> {
  return {
    subnet: (account, region, subnetId) => {
      const subnet = state.region(account, region).subnets.get(subnetId)
      return subnet === undefined ? undefined : { subnetId: subnet.id, availabilityZone: subnet.zone, vpcId: subnet.vpcId }
    },
    zones: (region) => zonesOf(region).map((z) => z.name),
  }
}
