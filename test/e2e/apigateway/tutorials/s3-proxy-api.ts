// The developer guide's "OpenAPI definitions of the sample API as an Amazon S3 proxy" (OpenAPI 2.0): GET on `/`
// lists buckets; `/{folder}` GET/PUT/DELETE a bucket; `/{folder}/{item}` GET/HEAD/PUT/DELETE an object — AWS
// integrations by path override, every method AWS_IAM (`sigv4`), rebuilt here from the facts the guide prints.
const credentials = 'arn:aws:iam::123456789012:role/apigAwsProxyRole'
const path = (name: string) => ({ name, in: 'path', required: true, type: 'string' })
const contentType = { name: 'Content-Type', in: 'header', required: false, type: 'string' }
const folder = { 'integration.request.path.bucket': 'method.request.path.folder' }
const item = { 'integration.request.path.object': 'method.request.path.item', ...folder }
const upload = { 'integration.request.header.x-amz-acl': "'authenticated-read'", 'integration.request.header.Content-Type': 'method.request.header.Content-Type' }

/** `[method response header, integration response header]` pairs → responseParameters. */
const pass = (...pairs: [string, string][]) =>
  Object.fromEntries(pairs.map(([to, from]) => [`method.response.header.${to}`, `integration.response.header.${from}`]))

function method(parameters: unknown[] | undefined, headers: string[], httpMethod: string, uri: string,
  responseParameters: Record<string, string> | undefined, requestParameters?: Record<string, string>): Record<string, unknown> {
  return {
    produces: ['application/json'],
    ...(parameters !== undefined && { parameters }),
    responses: {
      200: { description: '200 response', schema: { $ref: '#/definitions/Empty' },
        ...(headers.length > 0 && { headers: Object.fromEntries(headers.map((h) => [h, { type: 'string' }])) }) },
      400: { description: '400 response' },
      500: { description: '500 response' },
    },
    security: [{ sigv4: [] }],
    'x-amazon-apigateway-integration': {
      credentials,
      responses: { '4\\d{2}': { statusCode: '400' }, default: { statusCode: '200', ...(responseParameters !== undefined && { responseParameters }) },
        '5\\d{2}': { statusCode: '500' } },
      ...(requestParameters !== undefined && { requestParameters }),
      uri: `arn:aws:apigateway:us-west-2:s3:path/${uri}`, passthroughBehavior: 'when_no_match', httpMethod, type: 'aws',
    },
  }
}

export const s3ProxyApi = {
  swagger: '2.0',
  info: { version: '2016-10-13T23:04:43Z', title: 'MyS3' },
  host: '9gn28ca086.execute-api.{region}.amazonaws.com',
  basePath: '/S3',
  schemes: ['https'],
  paths: {
    '/': {
      get: method(undefined, ['Content-Length', 'Timestamp', 'Content-Type'], 'GET', '/',
        pass(['Content-Type', 'Content-Type'], ['Content-Length', 'Content-Length'], ['Timestamp', 'Date'])),
    },
    '/{folder}': {
      get: method([path('folder')], ['Content-Length', 'Date', 'Content-Type'], 'GET', '{bucket}',
        pass(['Content-Type', 'Content-Type'], ['Date', 'Date'], ['Content-Length', 'content-length']), folder),
      put: method([contentType, path('folder')], ['Content-Length', 'Content-Type'], 'PUT', '{bucket}',
        pass(['Content-Type', 'Content-Type'], ['Content-Length', 'Content-Length']), { ...upload, ...folder }),
      delete: method([path('folder')], ['Date', 'Content-Type'], 'DELETE', '{bucket}', pass(['Content-Type', 'Content-Type'], ['Date', 'Date']), folder),
    },
    '/{folder}/{item}': {
      get: method([path('item'), path('folder')], ['content-type', 'Content-Type'], 'GET', '{bucket}/{object}',
        pass(['content-type', 'content-type'], ['Content-Type', 'Content-Type']), item),
      head: method([path('item'), path('folder')], ['Content-Length', 'Content-Type'], 'HEAD', '{bucket}/{object}',
        pass(['Content-Type', 'Content-Type'], ['Content-Length', 'Content-Length']), item),
      put: method([contentType, path('item'), path('folder')], ['Content-Length', 'Content-Type'], 'PUT', '{bucket}/{object}',
        pass(['Content-Type', 'Content-Type'], ['Content-Length', 'Content-Length']), { ...upload, ...item }),
      delete: method([path('item'), path('folder')], ['Content-Length', 'Content-Type'], 'DELETE', '{bucket}/{object}', undefined, item),
    },
  },
  securityDefinitions: { sigv4: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' } },
  definitions: { Empty: { type: 'object', title: 'Empty Schema' } },
}
