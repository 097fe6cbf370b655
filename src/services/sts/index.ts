// STS: awsQuery; who a key is (GetCallerIdentity, GetAccessKeyInfo) and temporary credentials
// (AssumeRole, AssumeRoleWithWebIdentity, GetSessionToken) that act in the role's account.
import type { AccessKeyDirectory } from '../../core/access-keys.ts'
import type { Clock } from '../../core/clock.ts'
import { ServiceModel } from '../../protocol/model.ts'
import type { Persistence } from '../../storage/persistence/persistence.ts'
import type { IamPort } from '../iam/port.ts'
import { defineService, type OperationTable, type ServiceDefinition } from '../service.ts'
import { stsDescriptor } from './descriptor.ts'
import { stsErrors } from './errors.ts'
import { model } from './generated/model.ts'
import type { stsOperations } from './generated/types.ts'
import { createStsPort } from './internal.ts'
import { credentialOperations } from './operations/credentials.ts'
import { identityOperations } from './operations/identity.ts'
import type { StsPort } from './port.ts'
import { Sessions } from './sessions.ts'

export interface StsDeps {
  clock: Clock
  /** Sessions' keys are listed here, so the gateway resolves them to their account. */
  accessKeys: AccessKeyDirectory
  iam: IamPort
  /** With a data dir, sessions are durable (table `sts_sessions`). */
  persistence?: Persistence
  /** `--enforce-iam`: AssumeRole checks the role's trust policy. */
  enforceIam?: boolean
}

export function createSts(deps: StsDeps): { definition: ServiceDefinition; port: StsPort } {
  const sessions = new Sessions(deps.accessKeys, deps.persistence)
  const operations = {
    ...identityOperations(deps.accessKeys),
    ...credentialOperations({ clock: deps.clock, sessions, keys: deps.accessKeys, iam: deps.iam, enforceTrust: deps.enforceIam === true }),
  } satisfies OperationTable<stsOperations>
  const definition = defineService({
    name: stsDescriptor.name,
    signingName: stsDescriptor.signingName,
    model: new ServiceModel(model),
    protocols: stsDescriptor.protocols,
    operations,
    errors: { missingParameter: stsErrors.missingParameter },
    // AWS serves AssumeRoleWithWebIdentity (and ...WithSAML) unsigned: the token is the credential.
    allowsAnonymous: (operation) => operation === 'AssumeRoleWithWebIdentity',
    reset: () => sessions.reset(),
    health: () => ({ status: 'running', sessions: sessions.size }),
  })
  return { definition, port: createStsPort(sessions) }
}
