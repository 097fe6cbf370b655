// What REST APIs (apigateway) offer other services: HTTP APIs (apigatewayv2) share the namespace of
// their custom domain names, as on AWS; CloudWatch reads their request metrics. Types only.

export interface ApiGatewayPort {
  /** True when a REST API custom domain has this name (any account: names are global). */
  hasDomain(name: string): boolean
  /** REST APIs' AWS/ApiGateway request metrics (Count, 4XXError, 5XXError, Latency, IntegrationLatency). */
  metrics: import('../cloudwatch/port.ts').MetricSource
}
