// The VPC networking resources' errors, with AWS's codes and wording (marked [R] in the README where recalled).
import { AwsError } from '../../protocol/errors.ts'

const e = (code: string, message: string) => new AwsError(code, message, { status: 400 })

/** "The routeTable ID 'rtb-1' does not exist": AWS names the resource type in camel case. */
const notFound = (code: string, noun: string) => (id: string) => e(code, `The ${noun} ID '${id}' does not exist`)

export const networkErrors = {
  routeTableNotFound: notFound('InvalidRouteTableID.NotFound', 'routeTable'),
  internetGatewayNotFound: notFound('InvalidInternetGatewayID.NotFound', 'internetGateway'),
  egressOnlyGatewayNotFound: notFound('InvalidGatewayID.NotFound', 'egressOnlyInternetGateway'),
  gatewayNotFound: notFound('InvalidGatewayID.NotFound', 'gateway'),
  networkAclNotFound: notFound('InvalidNetworkAclID.NotFound', 'networkAcl'),
  networkInterfaceNotFound: notFound('InvalidNetworkInterfaceID.NotFound', 'networkInterface'),
  peeringNotFound: notFound('InvalidVpcPeeringConnectionID.NotFound', 'vpcPeeringConnection'),
  natGatewayNotFound: (id: string) => e('NatGatewayNotFound', `NAT gateway ${id} was not found`),
  natGatewayMalformed: (id: string) => e('NatGatewayMalformed', `The NAT gateway ID '${id}' is malformed`),
  routeTableAssociationNotFound: (id: string) => e('InvalidAssociationID.NotFound', `The association ID '${id}' does not exist`),
  networkAclAssociationNotFound: (id: string) => e('InvalidAssociationID.NotFound', `The association ID '${id}' does not exist`),
  routeExists: (destination: string) => e('RouteAlreadyExists', `The route identified by ${destination} already exists.`),
  routeNotFound: (destination: string, table: string) =>
    e('InvalidRoute.NotFound', `no route with destination-cidr-block ${destination} in route table ${table}`),
  localRoute: (destination: string, table: string) =>
    e('InvalidParameterValue', `cannot remove local route ${destination} in route table ${table}`),
  gatewayAttached: (igw: string, vpc: string) => e('Resource.AlreadyAssociated', `resource ${igw} is already attached to network ${vpc}`),
  vpcHasGateway: (vpc: string) => e('Resource.AlreadyAssociated', `Network ${vpc} already has an internet gateway attached`),
  gatewayNotAttached: (igw: string, vpc: string) => e('Gateway.NotAttached', `resource ${igw} is not attached to network ${vpc}`),
  subnetAssociated: (subnet: string, association: string) =>
    e('Resource.AlreadyAssociated', `the specified association for route table ${association} conflicts with an existing association for subnet ${subnet}`),
  dependency: (noun: string, id: string) => e('DependencyViolation', `The ${noun} '${id}' has dependencies and cannot be deleted.`),
  aclEntryExists: (rule: number) => e('NetworkAclEntryAlreadyExists', `The network acl entry identified by ${rule} already exists.`),
  aclEntryNotFound: (rule: number, egress: boolean, acl: string) =>
    e('InvalidNetworkAclEntry.NotFound', `The network acl entry identified by rule number ${rule} (${egress ? 'egress' : 'ingress'}) does not exist in ${acl}.`),
  defaultAcl: (id: string) => e('InvalidParameterValue', `cannot delete default network ACL ${id}`),
  interfaceInUse: (id: string) => e('InvalidNetworkInterface.InUse', `The network interface '${id}' is currently in use.`),
  interfaceNotAttached: (id: string) => e('InvalidAttachmentID.NotFound', `The attachment ID '${id}' does not exist`),
  deviceIndexInUse: (instance: string, index: number) =>
    e('InvalidParameterValue', `Instance '${instance}' already has an interface attached at device index '${index}'.`),
  wrongNetwork: (what: string, vpc: string) => e('InvalidParameterValue', `${what} does not belong to network ${vpc}`),
}
