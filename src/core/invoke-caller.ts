// Who signed a request to an API Gateway invoke URL (AWS_IAM methods and routes), as the gateway
// verified its SigV4 signature: shared by the gateway (which checks), API Gateway's services and
// apigatewayv2's port (which only read the answer). Types only.

export type InvokeCaller =
  /** No signature at all. */
  | { kind: 'anonymous' }
  /** AWS's front-end error for a bad signature, an unknown or expired key (an AwsError). */
  | { kind: 'refused'; error: { code: string; message: string } }
  /** The caller; `denied` when `--enforce-iam` finds no identity policy allowing the `execute-api` action. */
  | { kind: 'signed'; accessKeyId: string; account: string; arn: string; userId: string; denied?: 'explicit' | 'implicit' }

/** The `execute-api` actions a caller may need: `Invoke`, or `InvalidateCache` (a stage cache's `Cache-Control: max-age=0`). */
export type InvokeAction = 'Invoke' | 'InvalidateCache'
