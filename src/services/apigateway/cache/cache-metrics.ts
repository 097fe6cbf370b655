// The stage cache's CloudWatch metrics: CacheHitCount and CacheMissCount in AWS/ApiGateway, per API
// and stage ({ApiName}, {ApiName, Stage}) and, with the method's detailed metrics on
// (`metrics/enabled`), per method ({ApiName, Method, Resource, Stage}), as AWS publishes them.
import type { CloudWatchPort, PublishedDatum } from '../../cloudwatch/port.ts'
import type { InvokeContext } from '../invoke/request-context.ts'
import { methodSettingKey } from '../invoke/stage-throttle.ts'

export function publishCacheCount(cloudwatch: CloudWatchPort, ctx: InvokeContext, hit: boolean): void {
  const { api, stage, route } = ctx
  const settings = stage.methodSettings ?? {}
  const detailed = (settings[methodSettingKey(route.resource.path, route.method.httpMethod)] ?? settings['*/*'])?.metricsEnabled === true
  const apiName = { Name: 'ApiName', Value: api.name }
  const stageName = { Name: 'Stage', Value: stage.stageName }
  const dimensionSets = [[apiName], [apiName, stageName]]
  if (detailed) {
    dimensionSets.push([apiName, { Name: 'Method', Value: ctx.request.method }, { Name: 'Resource', Value: route.resource.path }, stageName])
  }
  const data: PublishedDatum[] = []
  for (const dimensions of dimensionSets) {
    // Both counters get a datapoint, one of them 0, so a Sum over a period reads 0 rather than no data.
    data.push({ metricName: 'CacheHitCount', dimensions, value: hit ? 1 : 0, unit: 'Count', timestamp: ctx.now })
    data.push({ metricName: 'CacheMissCount', dimensions, value: hit ? 0 : 1, unit: 'Count', timestamp: ctx.now })
  }
  cloudwatch.publish(api.account, api.region, 'AWS/ApiGateway', data)
}
