// The developer guide's "Swagger definitions of a sample API as a Kinesis proxy" (the Kinesis proxy tutorial's
// API): every method an AWS integration by action, its body built by a mapping template, rebuilt here from the
// facts the guide prints (paths, actions, templates, selection patterns).
const credentials = 'arn:aws:iam::123456789012:role/apigAwsProxyRole'
const jsonContentType = { 'integration.request.header.Content-Type': "'application/x-amz-json-1.1'" }
const streamName = { name: 'stream-name', in: 'path', required: true, type: 'string' }
const ok = { 200: { description: '200 response', schema: { $ref: '#/definitions/Empty' } } }
const json = { consumes: ['application/json'], produces: ['application/json'] }

function integration(action: string, templates: Record<string, string>, params: Record<string, string> | undefined = jsonContentType,
  responses: Record<string, unknown> = { default: { statusCode: '200' } }): Record<string, unknown> {
  return {
    credentials, responses, requestTemplates: templates, uri: `arn:aws:apigateway:us-east-1:kinesis:action/${action}`,
    httpMethod: 'POST', type: 'aws', ...(params !== undefined && { requestParameters: params }),
  }
}

const named = '{\n    "StreamName": "$input.params(\'stream-name\')"\n}'
const passContentType = { 'method.response.header.Content-Type': 'integration.response.header.Content-Type' }
const header = { 'Content-Type': { type: 'string' } }

export const kinesisProxyApi = {
  swagger: '2.0',
  info: { version: '2016-03-31T18:25:32Z', title: 'KinesisProxy' },
  host: 'wd4zclrobb.execute-api.us-east-1.amazonaws.com',
  basePath: '/test',
  schemes: ['https'],
  paths: {
    '/streams': {
      get: { ...json, responses: ok, 'x-amazon-apigateway-integration': integration('ListStreams', { 'application/json': '{\n}' }) },
    },
    '/streams/{stream-name}': {
      get: { ...json, parameters: [streamName], responses: ok,
        'x-amazon-apigateway-integration': integration('DescribeStream', { 'application/json': named }, undefined) },
      post: { ...json, parameters: [streamName], responses: ok,
        'x-amazon-apigateway-integration': integration('CreateStream', {
          'application/json': '{\n    "ShardCount": 5,\n    "StreamName": "$input.params(\'stream-name\')"\n}' }) },
      delete: {
        ...json, parameters: [streamName],
        responses: {
          200: { description: '200 response', schema: { $ref: '#/definitions/Empty' }, headers: header },
          400: { description: '400 response', headers: header },
          500: { description: '500 response', headers: header },
        },
        'x-amazon-apigateway-integration': integration('DeleteStream', { 'application/json': named }, jsonContentType, {
          '4\\d{2}': { statusCode: '400', responseParameters: passContentType },
          default: { statusCode: '200', responseParameters: passContentType },
          '5\\d{2}': { statusCode: '500', responseParameters: passContentType },
        }),
      },
    },
    '/streams/{stream-name}/record': {
      put: { ...json, parameters: [streamName], responses: ok,
        'x-amazon-apigateway-integration': integration('PutRecord', { 'application/json': '{\n    "StreamName": "$input.params(\'stream-name\')",\n' +
          '    "Data": "$util.base64Encode($input.json(\'$.Data\'))",\n    "PartitionKey": "$input.path(\'$.PartitionKey\')"\n}' }) },
    },
    '/streams/{stream-name}/records': {
      get: { ...json, parameters: [streamName, { name: 'Shard-Iterator', in: 'header', required: false, type: 'string' }], responses: ok,
        'x-amazon-apigateway-integration': integration('GetRecords', {
          'application/json': '{\n    "ShardIterator": "$input.params(\'Shard-Iterator\')"\n}' }) },
      put: {
        consumes: ['application/json', 'application/x-amz-json-1.1'], produces: ['application/json'],
        parameters: [{ name: 'Content-Type', in: 'header', required: false, type: 'string' }, streamName,
          { in: 'body', name: 'PutRecordsMethodRequestPayload', required: true, schema: { $ref: '#/definitions/PutRecordsMethodRequestPayload' } }],
        responses: ok,
        'x-amazon-apigateway-integration': integration('PutRecords', {
          'application/json': '{\n    "StreamName": "$input.params(\'stream-name\')",\n    "Records": [\n' +
            '       #foreach($elem in $input.path(\'$.records\'))\n          {\n            "Data": "$util.base64Encode($elem.data)",\n' +
            '            "PartitionKey": "$elem.partition-key"\n          }#if($foreach.hasNext),#end\n        #end\n    ]\n}',
          'application/x-amz-json-1.1': '#set($inputRoot = $input.path(\'$\'))\n{\n  "StreamName": "$input.params(\'stream-name\')",\n' +
            '  "records" : [\n    #foreach($elem in $inputRoot.records)\n    {\n        "Data" : "$elem.data",\n' +
            '        "PartitionKey" : "$elem.partition-key"\n    }#if($foreach.hasNext),#end\n    #end\n  ]\n}',
        }),
      },
    },
    '/streams/{stream-name}/sharditerator': {
      get: { ...json, parameters: [streamName, { name: 'shard-id', in: 'query', required: false, type: 'string' }], responses: ok,
        'x-amazon-apigateway-integration': integration('GetShardIterator', { 'application/json': '{\n    "ShardId": "$input.params(\'shard-id\')",\n' +
          '    "ShardIteratorType": "TRIM_HORIZON",\n    "StreamName": "$input.params(\'stream-name\')"\n}' }) },
    },
  },
  definitions: {
    PutRecordsMethodRequestPayload: { type: 'object', properties: { records: { type: 'array',
      items: { type: 'object', properties: { data: { type: 'string' }, 'partition-key': { type: 'string' } } } } } },
    Empty: { type: 'object' },
  },
}
