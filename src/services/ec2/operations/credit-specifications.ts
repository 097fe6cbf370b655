// DescribeInstanceCreditSpecifications (the instances named, or every live one that is unlimited, as
// AWS lists them) and ModifyInstanceCreditSpecification (per instance: done, or its error in
// UnsuccessfulInstanceCreditSpecifications).
import type { OperationTable } from '../../service.ts'
import { checkCredits, creditsOf, isBurstable } from '../credit-specification.ts'
import { compileFilters, paginate } from '../filters.ts'
import type { Ec2Operations, UnsuccessfulInstanceCreditSpecificationErrorCode } from '../generated/types.ts'
import { isWellFormedId } from '../ids.ts'
import type { InstanceRecord } from '../resources.ts'
import type { Ec2State } from '../store.ts'
import { ec2Errors } from '../errors.ts'
import { regionOf } from './common.ts'
import { namedInstances } from './instances.ts'

export function creditSpecificationOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    DescribeInstanceCreditSpecifications: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const named = input.InstanceIds ?? []
      if (named.length > 0 && input.MaxResults !== undefined) {
        throw ec2Errors.invalidParameterCombination('The parameter instancesSet cannot be used with the parameter maxResults')
      }
      // Without ids AWS lists the instances that are unlimited (now or as configured before a resize).
      const all = named.length > 0 ? namedInstances(region, named)
        : region.allInstances().filter((i) => i.state !== 'terminated' && creditsOf(i) === 'unlimited')
      const match = compileFilters<InstanceRecord>(input.Filters, { 'instance-id': (i) => [i.id] })
      const page = paginate(all.filter(match), input.MaxResults, input.NextToken)
      return { InstanceCreditSpecifications: page.items.map((i) => ({ InstanceId: i.id, CpuCredits: creditsOf(i) })), NextToken: page.nextToken }
    },

    ModifyInstanceCreditSpecification: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const successful: { InstanceId: string }[] = []
      const unsuccessful: { InstanceId: string; Error: { Code: UnsuccessfulInstanceCreditSpecificationErrorCode; Message: string } }[] = []
      const fail = (id: string, code: UnsuccessfulInstanceCreditSpecificationErrorCode, message: string) => unsuccessful.push({ InstanceId: id, Error: { Code: code, Message: message } })
      // A bad value refuses the whole request; each instance then succeeds or fails on its own [R].
      for (const spec of input.InstanceCreditSpecifications) checkCredits(spec.CpuCredits ?? '')
      for (const spec of input.InstanceCreditSpecifications) {
        const id = spec.InstanceId
        if (!isWellFormedId(id, 'i')) {
          fail(id, 'InvalidInstanceID.Malformed', `Invalid id: "${id}"`)
          continue
        }
        const i = region.instance(id)
        if (i === undefined) fail(id, 'InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`)
        else if (i.state === 'terminated' || i.state === 'shutting-down') fail(id, 'IncorrectInstanceState', `The instance '${id}' is not in a valid state for this operation.`)
        else if (!isBurstable(i.type)) fail(id, 'InstanceCreditSpecification.NotSupported', `The ${i.type} instance type does not support T2 Unlimited.`)
        else {
          i.cpuCredits = checkCredits(spec.CpuCredits!)
          region.save(i)
          successful.push({ InstanceId: id })
        }
      }
      return { SuccessfulInstanceCreditSpecifications: successful, UnsuccessfulInstanceCreditSpecifications: unsuccessful }
    },
  }
}
