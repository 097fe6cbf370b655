// restXml (S3, Route 53, CloudFront): operations routed by method + URI, members bound to labels,
// query and headers, the rest as an XML document; errors as S3's <Error> or <ErrorResponse>.
import { AwsError } from '../errors.ts'
import type { HttpRequest, HttpResponse } from '../http.ts'
import type { OperationModel, ServiceModel } from '../model.ts'
import { errorStatus, isHead, parseRestRequest, type RestBodyCodec, routeOperation, serializeRestOutput } from '../rest-operation.ts'
import type { ParsedRequest, ResponseContext, WireProtocol } from '../wire-protocol.ts'
import { XmlWriter } from '../xml.ts'
import { parseXml, XmlSyntaxError, type XmlElement } from '../xml-parser.ts'
import { readXmlStructure } from './xml-input.ts'
import { namespaceAttribute, writeXmlStructure } from './xml-output.ts'

// S3's words for a body that isn't XML, or a value that doesn't fit its member.
const malformedXml = () => new AwsError('MalformedXML',
  'The XML you provided was not well-formed or did not validate against our published schema')
const invalidArgument = (detail: string) => new AwsError('InvalidArgument', detail)

function parseBody(body: Buffer): XmlElement {
  try {
    return parseXml(body.toString('utf8'))
  } catch (error) {
    if (error instanceof XmlSyntaxError) throw malformedXml()
    throw error
  }
}

const xmlCodec: RestBodyCodec = {
  contentType: 'application/xml',
  // The root element's name isn't checked: AWS's parsers read the members whatever the root says.
  readStructure: (model, shapeName, body, member) => readXmlStructure(model, shapeName, parseBody(body), member?.name ?? '', invalidArgument),
  writeStructure(model, shapeName, value, root) {
    const ns = root.ref?.xmlNamespace ?? model.shape(shapeName).xmlNamespace ?? namespaceOf(model)
    const w = new XmlWriter()
    if (model.quirks.xmlTextRoots?.includes(shapeName)) {
      const text = Object.values(value).find((v) => v !== undefined && v !== null)
      w.open(root.name, namespaceAttribute(ns))
      if (text !== undefined) w.text(String(text))
      return w.close(root.name).toString()
    }
    writeXmlStructure(model, shapeName, value, root.name, w, namespaceAttribute(ns))
    return w.toString()
  },
  invalid: invalidArgument,
}

function namespaceOf(model: ServiceModel): { uri: string } | undefined {
  const uri = model.metadata.xmlNamespace ?? model.quirks.xmlNamespace
  return uri === undefined ? undefined : { uri }
}

/** S3 names the request id `x-amz-request-id` (what its SDKs read); other services `x-amzn-requestid`. */
function requestIdHeaders(ctx: ResponseContext): Record<string, string> {
  return { 'x-amz-request-id': ctx.requestId, 'x-amzn-requestid': ctx.requestId }
}

function parseRequest(request: HttpRequest, model: ServiceModel): ParsedRequest {
  return parseRestRequest(request, model, xmlCodec)
}

function serializeOutput(model: ServiceModel, operation: OperationModel, output: object, ctx: ResponseContext): HttpResponse {
  return serializeRestOutput(model, operation, output as Record<string, unknown>, ctx, xmlCodec, requestIdHeaders(ctx))
}

/**
 * S3: `<Error><Code/><Message/>…<RequestId/></Error>`, extra members (BucketName, Key) beside the
 * message. Route 53 / CloudFront: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>`.
 * Which one is the service's choice (`quirks.xmlErrorEnvelope`); S3's form is the default for S3.
 */
function serializeError(model: ServiceModel, error: AwsError, ctx: ResponseContext): HttpResponse {
  const status = errorStatus(model, error)
  const headers = { ...error.headers, ...requestIdHeaders(ctx), 'content-type': 'application/xml' }
  // HEAD answers and 304 Not Modified carry no body; SDKs name those errors from the status.
  if (isHead(ctx) || status === 304) return { status, headers, body: '' }
  const code = model.errorShape(error.code)?.error?.code ?? error.code
  const envelope = model.quirks.xmlErrorEnvelope ?? (model.metadata.serviceId === 'S3' ? 'Error' : 'ErrorResponse')
  const w = new XmlWriter()
  if (envelope === 'ErrorResponse') {
    w.open('ErrorResponse', namespaceAttribute(namespaceOf(model))).open('Error').leaf('Type', error.fault)
  } else {
    w.open('Error')
  }
  w.leaf('Code', code).leaf('Message', error.message)
  for (const [k, v] of Object.entries(error.fields)) if (v !== undefined && v !== null) w.leaf(k, fieldText(v))
  if (envelope === 'ErrorResponse') w.close('Error').leaf('RequestId', ctx.requestId).close('ErrorResponse')
  else w.leaf('RequestId', ctx.requestId).close('Error')
  return { status, headers, body: w.toString() }
}

function fieldText(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value)
}

export const restXml: WireProtocol = { name: 'rest-xml', parseRequest, operationOf: routeOperation, serializeOutput, serializeError }
