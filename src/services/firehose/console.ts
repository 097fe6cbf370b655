// What the web console shows of Amazon Data Firehose (services/console-view.ts): delivery streams with
// their buffer and destination bucket, and when each buffer is due to flush on the clock.
import { arnLink, type ConsoleDetail, type ConsoleItem, type ConsoleView, isoTime } from '../console-view.ts'
import type { DeliveryStream } from './delivery-stream.ts'
import type { FirehoseState } from './store.ts'

export function firehoseConsole(state: FirehoseState): ConsoleView {
  const find = (id: string) => state.all().find((s) => s.arn === id || s.name === id)
  return {
    list: (type) => (type === 'delivery-stream' ? state.all().map((s) => item(s, state.clock.now())) : []),
    detail: (type, id) => {
      const stream = type === 'delivery-stream' ? find(id) : undefined
      return stream === undefined ? undefined : detail(stream, state.clock.now())
    },
    due: (limit) => state.all().flatMap((s) => {
      const at = s.dueAt()
      return at === undefined ? [] : [{ at, what: `delivery stream ${s.name}: its buffer flushes to S3 (interval)` }]
    }).sort((a, b) => a.at - b.at).slice(0, limit),
  }
}

function item(s: DeliveryStream, now: number): ConsoleItem {
  return { id: s.arn, name: s.name, arn: s.arn, account: s.account, region: s.region,
    fields: { status: s.status(now), type: s.type, buffered: s.pendingRecords(), bucket: s.settings.BucketARN.slice('arn:aws:s3:::'.length),
      created: isoTime(s.createdAt) } }
}

function detail(s: DeliveryStream, now: number): ConsoleDetail {
  return {
    item: item(s, now),
    sections: [
      s.http === undefined ? { title: 'Destination (S3)', kind: 'json', data: s.settings }
        // The endpoint's access key is a secret: never shown (DescribeDeliveryStream leaves it out too).
        : { title: 'Destination (HTTP endpoint)', kind: 'json', data: { ...s.http, EndpointConfiguration: { Url: s.http.EndpointConfiguration.Url, Name: s.http.EndpointConfiguration.Name } } },
      { title: 'Buffer', kind: 'kv', data: { Records: s.buffer.length, PendingRecords: s.pendingRecords(), DueAt: isoTime(s.dueAt()),
        SizeInMBs: s.settings.BufferingHints.SizeInMBs, IntervalInSeconds: s.settings.BufferingHints.IntervalInSeconds } },
      { title: 'Tags', kind: 'kv', data: Object.fromEntries(s.tags) },
    ],
    links: [...arnLink('Destination bucket', s.settings.BucketARN), ...(s.source === undefined ? [] : arnLink('Source stream', s.source.KinesisStreamARN ?? ''))],
  }
}
