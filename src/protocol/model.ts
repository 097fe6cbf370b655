// The trimmed AWS service model (botocore's service-2.json shape) and lookups over it.

export type ProtocolName = 'json' | 'cbor' | 'query' | 'rest-json' | 'rest-xml' | 'ec2' | 'rpc-v2-cbor'

export interface ServiceMetadata {
  apiVersion: string
  protocol: ProtocolName
  protocols?: ProtocolName[]
  jsonVersion?: string
  targetPrefix?: string
  xmlNamespace?: string
  awsQueryCompatible?: boolean
  endpointPrefix: string
  signingName?: string
  serviceId: string
  /** The Smithy namespace used in JSON error `__type` values, e.g. `com.amazonaws.sqs`. */
  namespace: string
}

export interface OperationModel {
  name: string
  http: { method: string; requestUri: string; responseCode?: number }
  input?: string
  output?: string
  /** Query protocol: the element wrapping the output (defaults to `<Op>Result`). */
  resultWrapper?: string
  errors?: string[]
}

export interface MemberRef {
  shape: string
  locationName?: string
  location?: 'header' | 'headers' | 'querystring' | 'uri' | 'statusCode'
  flattened?: boolean
  xmlAttribute?: boolean
  xmlNamespace?: { uri: string; prefix?: string }
  jsonvalue?: boolean
  timestampFormat?: TimestampFormat
  idempotencyToken?: boolean
  queryName?: string
  /** The element name on the query protocol where it differs from JSON (SQS, which moved from query to JSON). */
  queryLocationName?: string
  hostLabel?: boolean
  eventpayload?: boolean
  streaming?: boolean
}

export type TimestampFormat = 'iso8601' | 'unixTimestamp' | 'rfc822'

export type ShapeType =
  | 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'boolean'
  | 'timestamp' | 'blob' | 'double' | 'float'

export interface ShapeModel {
  type: ShapeType
  members?: Record<string, MemberRef>
  required?: string[]
  member?: MemberRef
  key?: MemberRef
  value?: MemberRef
  flattened?: boolean
  enum?: string[]
  min?: number
  max?: number
  pattern?: string
  payload?: string
  timestampFormat?: TimestampFormat
  streaming?: boolean
  requiresLength?: boolean
  locationName?: string
  queryLocationName?: string
  xmlNamespace?: { uri: string; prefix?: string }
  exception?: boolean
  fault?: boolean
  synthetic?: boolean
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean }
  document?: boolean
  union?: boolean
  event?: boolean
  eventstream?: boolean
}

export interface ServiceModelJson {
  metadata: ServiceMetadata
  operations: Record<string, OperationModel>
  shapes: Record<string, ShapeModel>
}

/**
 * Wire choices a service declares where AWS services differ on the same protocol. The model
 * can't say these, and burying them in a generic parser would hide a service quirk.
 */
export interface ProtocolQuirks {
  /**
   * restXml error envelope: S3 sends a bare `<Error>`; Route 53 and CloudFront wrap it in
   * `<ErrorResponse>`. Defaults to `Error` for S3 and `ErrorResponse` otherwise.
   */
  xmlErrorEnvelope?: 'Error' | 'ErrorResponse'
  /**
   * REST routing: operations that win when two share a method and URI and the request can't tell
   * them apart (S3's GetBucketLifecycle vs GetBucketLifecycleConfiguration). Else model order.
   */
  preferredOperations?: readonly string[]
  /**
   * restXml: the root element of an output document where the trimmed model doesn't name it
   * (S3's ListObjectsV2Output travels as `<ListBucketResult>`). SDKs ignore the root; people read it.
   */
  xmlRootNames?: Readonly<Record<string, string>>
  /**
   * restXml: output shapes sent as one element whose text is their single member — S3's
   * GetBucketLocation, `<LocationConstraint>eu-west-1</LocationConstraint>`, which botocore reads as the root's text.
   */
  xmlTextRoots?: readonly string[]
  /** restXml: the namespace output documents declare when the model's metadata names none (S3's 2006-03-01 one). */
  xmlNamespace?: string
  /**
   * JSON (and CBOR text) blobs must be canonical padded base64, else SerializationException while the
   * body is read (Coral's front end: Kinesis, Firehose). Without it, base64 is decoded leniently.
   */
  strictBase64?: boolean
  /**
   * A member of the wrong JSON type is worded as Coral words it ("class java.lang.Boolean can not be
   * converted to a Blob", `coralTypeError`) instead of "Value at 'x' must be …" (Kinesis, Firehose).
   */
  coralTypeErrors?: boolean
}

/** Read-only lookups over one service's model. */
export class ServiceModel {
  readonly metadata: ServiceMetadata
  private readonly memberCache = new Map<string, readonly (readonly [string, MemberRef])[]>()
  readonly quirks: Readonly<ProtocolQuirks>
  private readonly json: ServiceModelJson

  constructor(json: ServiceModelJson, quirks: ProtocolQuirks = {}) {
    this.json = json
    this.metadata = json.metadata
    this.quirks = quirks
  }
  get operationNames(): string[] {
    return Object.keys(this.json.operations)
  }
  get operations(): OperationModel[] {
    return Object.values(this.json.operations)
  }
  operation(name: string): OperationModel | undefined {
    return Object.hasOwn(this.json.operations, name) ? this.json.operations[name] : undefined
  }
  /** A structure's members as [name, ref] pairs, computed once per shape (hot path of every parse). */
  members(name: string): readonly (readonly [string, MemberRef])[] {
    let entries = this.memberCache.get(name)
    if (entries === undefined) {
      entries = Object.entries(this.shape(name).members ?? {})
      this.memberCache.set(name, entries)
    }
    return entries
  }
  shape(name: string): ShapeModel {
    const shape = this.json.shapes[name]
    if (shape === undefined) throw new Error(`model ${this.metadata.serviceId} has no shape ${name}`)
    return shape
  }
  /** The error shape for an AWS error code, when the model declares one. */
  errorShape(code: string): ShapeModel | undefined {
    const shape = this.json.shapes[code]
    return shape?.exception === true ? shape : undefined
  }
}

/** The name a member, list item or map key/value carries on the query protocol. */
export function queryElementName(ref: { locationName?: string; queryLocationName?: string } | undefined): string | undefined {
  return ref?.queryLocationName ?? ref?.locationName
}
