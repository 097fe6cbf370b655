// EC2 errors, named after AWS's codes, with AWS's wording (those marked [R] in the README are recalled).
import { AwsError } from '../../protocol/errors.ts'

const e = (code: string, message: string, status = 400) => new AwsError(code, message, { status })
const quoteList = (ids: readonly string[]) => ids.join(', ')

/** "The instance ID 'i-1' does not exist" / "The instance IDs 'i-1, i-2' do not exist". */
const notFound = (code: string, noun: string, ids: readonly string[]) => ids.length === 1
  ? e(code, `The ${noun} ID '${ids[0]}' does not exist`)
  : e(code, `The ${noun} IDs '${quoteList(ids)}' do not exist`)

export const ec2Errors = {
  missingParameter: (name: string) => e('MissingParameter', `The request must contain the parameter ${name}`),
  invalidParameterValue: (message: string) => e('InvalidParameterValue', message),
  invalidParameterCombination: (message: string) => e('InvalidParameterCombination', message),
  invalidParameter: (message: string) => e('InvalidParameter', message),
  dryRun: () => e('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412),
  // Instances are named without the expected shape (`Invalid id: "ma1"`); AMIs and the rest with it.
  malformed: (code: string, id: string, prefix: string) =>
    e(code, prefix === 'i' ? `Invalid id: "${id}"` : `Invalid id: "${id}" (expecting "${prefix}-...")`),
  neverRan: (id: string) => e('IncorrectInstanceState', `Instance '${id}' cannot be stopped as it has never reached the 'running' state.`),
  invalidId: (id: string) => e('InvalidID', `The ID '${id}' is not valid`),
  invalidFilter: (name: string) => e('InvalidParameterValue', `The filter '${name}' is invalid`),
  invalidNextToken: (token: string) => e('InvalidNextToken', `The token '${token}' is invalid.`) ,
  instanceNotFound: (ids: readonly string[]) => notFound('InvalidInstanceID.NotFound', 'instance', ids),
  vpcNotFound: (ids: readonly string[]) => notFound('InvalidVpcID.NotFound', 'vpc', ids),
  subnetNotFound: (ids: readonly string[]) => notFound('InvalidSubnetID.NotFound', 'subnet', ids),
  allocationNotFound: (id: string) => e('InvalidAllocationID.NotFound', `The allocation ID '${id}' does not exist`),
  associationNotFound: (id: string) => e('InvalidAssociationID.NotFound', `The association ID '${id}' does not exist`),
  addressNotFound: (ip: string) => e('InvalidAddress.NotFound', `The address '${ip}' does not belong to you.`),
  groupNotFound: (id: string) => e('InvalidGroup.NotFound', `The security group '${id}' does not exist`),
  groupNameNotFound: (name: string, vpcId: string) =>
    e('InvalidGroup.NotFound', `The security group '${name}' does not exist in default VPC '${vpcId}'`),
  groupDuplicate: (name: string, vpcId: string) => e('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpcId}'`),
  groupReserved: () => e('InvalidGroup.Reserved', 'The security group \'default\' is reserved'),
  cannotDeleteDefaultGroup: () => e('CannotDelete', 'the specified group: "default" name cannot be deleted by a user'),
  permissionDuplicate: (rule: string) => e('InvalidPermission.Duplicate', `the specified rule "${rule}" already exists`),
  permissionNotFound: () => e('InvalidPermission.NotFound',
    'The specified rule does not exist in this security group.'),
  dependencyViolation: (message: string) => e('DependencyViolation', message),
  imageNotFound: (id: string) => e('InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`),
  imagesNotFound: (ids: readonly string[]) => e('InvalidAMIID.NotFound', `The image ids '[${quoteList(ids)}]' do not exist`),
  vpcRange: (cidr: string) => e('InvalidVpc.Range', `The CIDR '${cidr}' is invalid.`),
  subnetRange: (cidr: string) => e('InvalidSubnet.Range', `The CIDR '${cidr}' is invalid.`),
  subnetConflict: (cidr: string) => e('InvalidSubnet.Conflict', `The CIDR '${cidr}' conflicts with another subnet`),
  invalidCidr: (cidr: string, parameter: string) =>
    e('InvalidParameterValue', `Value (${cidr}) for parameter ${parameter} is invalid. This is not a valid CIDR block.`),
  invalidAz: (az: string) => e('InvalidParameterValue',
    `Value (${az}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: `),
  unknownInstanceTypes: (types: readonly string[]) => e('InvalidInstanceType', `The following supplied instance types do not exist: [${types.join(', ')}]`),
  invalidInstanceType: (type: string) => e('InvalidParameterValue', `Invalid value '${type}' for InstanceType.`),
  incorrectState: (id: string, verb: string) => e('IncorrectInstanceState', `The instance '${id}' is not in a state from which it can be ${verb}.`),
  incorrectStateFor: (id: string, state: string) =>
    e('IncorrectInstanceState', `The instance '${id}' is not in the 'stopped' state. Current state: ${state}.`),
  incorrectStateAssociate: (id: string, state: string) =>
    e('IncorrectInstanceState', `The instance '${id}' is not in a valid state for this operation. Current state: ${state}.`),
  terminationProtected: (id: string) => e('OperationNotPermitted',
    `The instance '${id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`),
  idempotentMismatch: () => e('IdempotentParameterMismatch', 'Arguments on this idempotent request are inconsistent with arguments used in previous request(s).'),
  modificationInProgress: (volumeId: string, state: string) =>
    e('IncorrectModificationState', `Volume ${volumeId} cannot be modified in modification state ${state.toUpperCase()}`),
  modificationRate: () => e('VolumeModificationRateExceeded',
    'You\'ve reached the maximum modification rate per volume limit. Wait at least 6 hours between modifications per EBS volume.'),
  modificationNotFound: (volumeId: string) => e('InvalidVolumeModification.NotFound', `Modification for volume '${volumeId}' does not exist.`),
  kmsKeyWithoutEncrypted: () => e('InvalidParameterDependency', 'The parameter KmsKeyId requires the parameter Encrypted to be set.'),
  creditsNotSupported: (type: string) => e('InstanceCreditSpecification.NotSupported', `The ${type} instance type does not support T2 Unlimited.`),
  stopProtected: (id: string) => e('OperationNotPermitted',
    `The instance '${id}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.`),
  noDeviceMapped: (device: string) => e('InvalidInstanceAttributeValue', `No device is currently mapped at ${device}`),
  alreadyAssociated: (allocationId: string, associationId: string) =>
    e('Resource.AlreadyAssociated', `resource ${allocationId} is already associated with associate-id ${associationId}`),
  noDefaultVpc: () => e('VPCIdNotSpecified', 'No default VPC for this user'),
  privateAddressInUse: (ip: string) => e('InvalidIPAddress.InUse', `Address ${ip} is in use.`),
  addressInUse: () => e('InvalidIPAddress.InUse', 'Address is in use.'),
  insufficientAddresses: (cidr: string) => e('InsufficientFreeAddressesInSubnet', `There are not enough free addresses in subnet '${cidr}' to satisfy the requested number of instances.`),
  keyPairDuplicate: (name: string) => e('InvalidKeyPair.Duplicate', `The keypair '${name}' already exists.`),
  keyPairNotFound: (name: string) => e('InvalidKeyPair.NotFound', `The key pair '${name}' does not exist`),
  keyPairIdNotFound: (id: string) => e('InvalidKeyPair.NotFound', `The key pair ID '${id}' does not exist`),
  invalidKeyFormat: () => e('InvalidKey.Format', 'Key is not in valid OpenSSH public key format'),
  volumeNotFound: (id: string) => e('InvalidVolume.NotFound', `The volume '${id}' does not exist.`),
  volumeZoneMismatch: (volumeId: string, instanceId: string) =>
    e('InvalidVolume.ZoneMismatch', `The volume '${volumeId}' is not in the same availability zone as instance '${instanceId}'`),
  volumeInUse: (volumeId: string, instanceId: string) => e('VolumeInUse', `Volume ${volumeId} is currently attached to ${instanceId}`),
  volumeNotAvailable: (volumeId: string, state: string) => e('IncorrectState', `${volumeId} is not 'available'. Current state: ${state}`),
  volumeNotAttached: (volumeId: string, state: string) => e('IncorrectState', `Volume '${volumeId}' is in the '${state}' state.`),
  rootVolumeAttached: (volumeId: string, instanceId: string) => e('IncorrectState', `Unable to detach root volume '${volumeId}' from instance '${instanceId}'`),
  deviceInUse: (device: string) => e('InvalidParameterValue', `Invalid value '${device}' for unixDevice. Attachment point ${device} is already in use`),
  snapshotNotFound: (id: string) => e('InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`),
  snapshotPending: (id: string) => e('IncorrectState', `Snapshot '${id}' is not in the 'completed' state.`),
  snapshotInUse: (id: string, volumeId: string) => e('InvalidSnapshot.InUse', `The snapshot ${id} is currently in use by ${volumeId}`),
  placementGroupDuplicate: (name: string) => e('InvalidPlacementGroup.Duplicate', `The Placement Group '${name}' already exists.`),
  placementGroupUnknown: (name: string) => e('InvalidPlacementGroup.Unknown', `The Placement Group '${name}' is unknown.`),
  placementGroupInUse: (name: string) => e('InvalidPlacementGroup.InUse', `The placement group '${name}' is in use and may not be deleted.`),
  placementGroupOtherZone: (name: string, zone: string) =>
    e('InvalidPlacementGroup.InUse', `The placement group '${name}' is in use in another availability zone: ${zone}`),
  templateNameDuplicate: () => e('InvalidLaunchTemplateName.AlreadyExistsException', 'Launch template name already in use.'),
  templateNameMalformed: () => e('InvalidLaunchTemplateName.MalformedException',
    'The specified launch template name is invalid. A launch template name must be between 3 and 125 characters, and may contain letters, numbers, and the following characters: ()./_.'),
  templateIdNotFound: (id: string) => e('InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${id}, does not exist.`),
  templateNameNotFound: (name: string) => e('InvalidLaunchTemplateName.NotFoundException', `The specified launch template, with template name ${name}, does not exist.`),
  templatesNotFound: () => e('InvalidLaunchTemplateName.NotFoundException', 'At least one of the launch templates specified in the request does not exist.'),
  templateIdMalformed: (id: string) => e('InvalidLaunchTemplateId.Malformed', `The specified ID for the launch template (${id}) is malformed.`),
  templateVersionNotFound: (version: string, id: string) =>
    e('InvalidLaunchTemplateId.VersionNotFound', `Could not find the specified version ${version} for the launch template with ID ${id}.`),
  templateIdAndName: () => e('InvalidParameterCombination', 'You must specify either the launch template ID or the launch template name, but not both.'),
  templateIdOrName: () => e('MissingParameter', 'The request must include either the launch template ID or the launch template name.'),
  templateDataMissing: () => e('MissingParameter', 'No launch template data was provided. Launch template data is required to create a launch template.'),
  spotRequestMalformed: (id: string) => e('InvalidSpotInstanceRequestID.Malformed', `Invalid id: "${id}" (expecting "sir-...")`),
  spotRequestNotFound: (id: string) => e('InvalidSpotInstanceRequestID.NotFound', `The spot instance request ID '${id}' does not exist`),
  fleetNotFound: (id: string) => e('InvalidFleetId.NotFound', `The fleet ID '${id}' does not exist`),
  spotFleetNotFound: (id: string) => e('InvalidSpotFleetRequestId.NotFound', `The spot fleet request ID '${id}' does not exist`),
  profileAssociationExists: (instanceId: string) => e('IncorrectState', `There is an existing association for instance ${instanceId}`),
  associationNotActive: (id: string) => e('IncorrectState', `The association ${id} is not the active association`),
  associationIdInvalid: () => e('InvalidParameterValue', 'Invalid value for associationId.'),
  tagLimit: (id: string) => e('TagLimitExceeded', `The maximum number of Tags for a resource has been reached. Resource: ${id}`),
}
