// IAM: awsQuery, global (no region in ARNs or state); users, groups, roles, managed and inline
// policies, access keys, instance profiles, OIDC providers, account aliases. Nothing is enforced
// yet: policies are stored and checked for grammar, and src/policy/ can evaluate them.
import type { AccessKeyDirectory } from '../../core/access-keys.ts'
import type { Clock } from '../../core/clock.ts'
import { ServiceModel } from '../../protocol/model.ts'
import type { Persistence } from '../../storage/persistence/persistence.ts'
import { defineService, type OperationTable, type ServiceDefinition } from '../service.ts'
import { iamConsole } from './console.ts'
import { iamDescriptor } from './descriptor.ts'
import { iamErrors } from './errors.ts'
import { model } from './generated/model.ts'
import type { iamOperations } from './generated/types.ts'
import { createIamPort } from './internal.ts'
import { accountOperations } from './operations/account.ts'
import { attachmentOperations } from './operations/attachments.ts'
import { policyOperations } from './operations/policies.ts'
import { roleOperations } from './operations/roles.ts'
import { userOperations } from './operations/users.ts'
import type { IamPort } from './port.ts'
import { IamState } from './store.ts'

export interface IamDeps {
  clock: Clock
  /** Users' access keys are listed here, so the gateway resolves them to their account. */
  accessKeys: AccessKeyDirectory
  /** With a data dir, every entity is durable (tables `iam_*`). */
  persistence?: Persistence
}

export function createIam(deps: IamDeps): { definition: ServiceDefinition; port: IamPort; state: IamState } {
  const state = new IamState(deps.clock, deps.accessKeys, deps.persistence)
  const operations = {
    ...userOperations(state),
    ...roleOperations(state),
    ...policyOperations(state),
    ...attachmentOperations(state),
    ...accountOperations(state),
  } satisfies OperationTable<iamOperations>
  const definition = defineService({
    name: iamDescriptor.name,
    signingName: iamDescriptor.signingName,
    model: new ServiceModel(model),
    protocols: iamDescriptor.protocols,
    operations,
    errors: { missingParameter: iamErrors.missingParameter },
    reset: () => state.reset(),
    health: () => ({ status: 'running', users: state.users.size, roles: state.roles.size, policies: state.policies.size }),
    console: iamConsole(state),
  })
  return { definition, port: createIamPort(state), state }
}
