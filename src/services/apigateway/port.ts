// What REST APIs (apigateway) offer other services: HTTP APIs (apigatewayv2) share the namespace of
// their custom domain names, as on AWS. Types only.

export interface ApiGatewayPort {
  /** True when a REST API custom domain has this name (any account: names are global). */
  hasDomain(name: string): boolean
}
