// SNS's numeric limits, named, so a profile can change them (aws-behaviour.md §0.2: SNS stays at 256 KB).
export const limits = {
  /** Message plus attributes, in UTF-8 bytes (Publish) and the whole batch (PublishBatch). */
  maxMessageBytes: 262_144,
  maxBatchEntries: 10,
  maxSubjectLength: 99,
  /** ListTopics / ListSubscriptions page size. */
  pageSize: 100,
  maxTags: 50,
  /** "A subscription owner can subscribe up to five Firehose delivery streams to an Amazon SNS topic." */
  maxFirehoseSubscriptionsPerOwner: 5,
  fifoDedupWindowMs: 5 * 60_000,
  /** Topic policy quotas: 30 KB. The depth bound is Nimbus's (IAM's grammar never nests past ~6). */
  maxPolicyBytes: 30_720,
  maxPolicyDepth: 32,
}

/** The principal SNS sends to SQS as (SenderId of delivered messages) [R]. */
export const snsSenderId = 'AIDAIT2UOQQY3AUEKVGXU'
