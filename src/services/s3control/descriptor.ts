// What identifies S3 Control to the gateway before its code loads (services/lazy.ts). It signs as
// `s3` like S3 and is told apart by its `/v20180820/` paths, whatever the Host: the SDK sends
// `<account>.s3-control.<region>.amazonaws.com`, or `<account>.<endpoint host>` with a custom endpoint.
import type { ServiceDescriptor } from '../service.ts'

export const s3ControlDescriptor: ServiceDescriptor = {
  name: 's3control',
  signingName: 's3',
  protocols: ['rest-xml'],
  apiVersion: '2018-08-20',
  pathPrefixes: ['/v20180820/'],
}
