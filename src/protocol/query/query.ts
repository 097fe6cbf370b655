// awsQuery: form-encoded Action=<Op>&Version=… requests, XML responses and ErrorResponse envelopes.
import { type AwsError, protocolErrors } from '../errors.ts'
import type { HttpRequest, HttpResponse } from '../http.ts'
import type { OperationModel, ServiceModel } from '../model.ts'
import type { ParsedRequest, ResponseContext, WireProtocol } from '../wire-protocol.ts'
import { XmlWriter } from '../xml.ts'
import { awsQueryDialect, buildQueryTree, type QueryDialect, readQueryShape } from './query-input.ts'
import { writeMembers } from './query-output.ts'

const envelopeKeys = new Set(['Action', 'Version', 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date',
  'X-Amz-Security-Token', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Expires', 'AWSAccessKeyId',
  'Signature', 'SignatureMethod', 'SignatureVersion', 'Timestamp', 'Expires'])

/** The form parameters of a query request: the URL's query string, then the form body. */
export function queryParams(request: HttpRequest): URLSearchParams {
  const params = new URLSearchParams(request.query)
  const type = request.headers['content-type'] ?? ''
  if (request.body.length > 0 && (type === '' || type.startsWith('application/x-www-form-urlencoded'))) {
    for (const [k, v] of new URLSearchParams(request.body.toString('utf8'))) params.append(k, v)
  }
  return params
}

/** Action → operation, the form parameters → its input, read with `dialect`'s member names (awsQuery's or EC2's). */
export function parseQueryRequest(request: HttpRequest, model: ServiceModel, dialect: QueryDialect): ParsedRequest {
  const params = queryParams(request)
  const action = params.get('Action')
  if (action === null || action === '') throw protocolErrors.missingAction()
  const operation = model.operation(action)
  if (operation === undefined) throw protocolErrors.invalidAction(action)
  const tree = buildQueryTree(params, envelopeKeys)
  const input = operation.input === undefined ? {} : readQueryShape(model, operation.input, tree, '', dialect)
  return { operation, input: (input ?? {}) as Record<string, unknown> }
}

const parseRequest = (request: HttpRequest, model: ServiceModel): ParsedRequest => parseQueryRequest(request, model, awsQueryDialect)

function namespace(model: ServiceModel): Record<string, string> {
  const ns = model.metadata.xmlNamespace
  return ns === undefined ? {} : { xmlns: ns }
}

function serializeOutput(model: ServiceModel, operation: OperationModel, output: object, ctx: ResponseContext): HttpResponse {
  const w = new XmlWriter().open(`${operation.name}Response`, namespace(model))
  if (operation.output !== undefined) {
    const wrapper = operation.resultWrapper ?? `${operation.name}Result`
    w.open(wrapper)
    writeMembers(model, operation.output, output as Record<string, unknown>, w)
    w.close(wrapper)
  }
  w.open('ResponseMetadata').leaf('RequestId', ctx.requestId).close('ResponseMetadata')
  w.close(`${operation.name}Response`)
  return { status: 200, headers: xmlHeaders(ctx), body: w.toString() }
}

function serializeError(model: ServiceModel, error: AwsError, ctx: ResponseContext): HttpResponse {
  const trait = model.errorShape(error.code)?.error
  const w = new XmlWriter().open('ErrorResponse', namespace(model)).open('Error')
  w.leaf('Type', error.fault).leaf('Code', trait?.code ?? error.code).leaf('Message', error.queryMessage ?? error.message)
  for (const [k, v] of Object.entries(error.fields)) if (v !== undefined) w.leaf(k, String(v))
  w.empty('Detail').close('Error').leaf('RequestId', ctx.requestId).close('ErrorResponse')
  return { status: trait?.httpStatusCode ?? error.status, headers: xmlHeaders(ctx), body: w.toString() }
}

function xmlHeaders(ctx: ResponseContext): Record<string, string> {
  return { 'content-type': 'text/xml', 'x-amzn-requestid': ctx.requestId }
}

export const awsQuery: WireProtocol = { name: 'query', parseRequest, serializeOutput, serializeError }
