// What identifies Kinesis Data Streams to the gateway before its code loads (services/lazy.ts).
import type { ServiceDescriptor } from '../service.ts'

export const kinesisDescriptor: ServiceDescriptor = {
  name: 'kinesis',
  signingName: 'kinesis',
  // awsJson 1.1 for the JS/Python/Go SDKs and the CLI; its CBOR flavour for the Java SDK and KCL.
  protocols: ['json', 'cbor'],
  targetPrefix: 'Kinesis_20131202',
  apiVersion: '2013-12-02',
}
