// What identifies IAM to the gateway before its code loads (services/lazy.ts): query requests
// signed for `iam` or carrying Version 2010-05-08. IAM is global: clients sign for us-east-1.
import type { ConsoleCatalog } from '../console-view.ts'
import type { ServiceDescriptor } from '../service.ts'

/** What the web console lists of it (services/console-view.ts): known before the service loads. */
export const iamConsoleCatalog: ConsoleCatalog = {
  label: 'IAM',
  resourceTypes: [
    { type: 'user', label: 'Users', columns: [{ key: 'path', label: 'Path' }, { key: 'inlinePolicies', label: 'Inline policies' },
      { key: 'attachedPolicies', label: 'Attached policies' }, { key: 'created', label: 'Created' }] },
    { type: 'role', label: 'Roles', columns: [{ key: 'path', label: 'Path' }, { key: 'inlinePolicies', label: 'Inline policies' },
      { key: 'attachedPolicies', label: 'Attached policies' }, { key: 'created', label: 'Created' }] },
  ],
}

export const iamDescriptor: ServiceDescriptor = {
  name: 'iam',
  signingName: 'iam',
  protocols: ['query'],
  apiVersion: '2010-05-08',
  consoleCatalog: iamConsoleCatalog,
}
