// S3 Control: the account-level Block Public Access and access points. Stateless itself: the
// settings and access points are S3's (durable with its rows), changed through S3's port, because
// S3 enforces them on every data-plane request.
import { AwsError } from '../../protocol/errors.ts'
import { ServiceModel } from '../../protocol/model.ts'
import type { S3Port } from '../s3/port.ts'
import { defineService, type ServiceDefinition } from '../service.ts'
import { s3ControlDescriptor } from './descriptor.ts'
import { model } from './generated/model.ts'
import { controlOperations } from './operations.ts'

export interface S3ControlDeps {
  s3: S3Port
}

const wireQuirks = {
  xmlRootNames: { GetAccessPointResult: 'GetAccessPointResult', ListAccessPointsResult: 'ListAccessPointsResult' },
  xmlNamespace: 'http://awss3control.amazonaws.com/doc/2018-08-20/',
}

export function createS3Control(deps: S3ControlDeps): { definition: ServiceDefinition; port: Record<string, never> } {
  const definition = defineService({
    name: s3ControlDescriptor.name,
    signingName: s3ControlDescriptor.signingName,
    model: new ServiceModel(model, wireQuirks),
    protocols: s3ControlDescriptor.protocols,
    pathPrefixes: s3ControlDescriptor.pathPrefixes,
    operations: controlOperations(deps.s3),
    // A required header or element missing (no SDK omits one) [R: AWS's code and wording].
    errors: { missingParameter: (name) => new AwsError('InvalidRequest', `Missing required parameter: ${name}`) },
    reset: () => {},
    stop: () => {},
    health: () => ({ status: 'running' }),
  })
  return { definition, port: {} }
}
