// `DryRun` on the data plane (PutRecord, PutRecords, GetRecords, GetShardIterator, SubscribeToShard),
// as AWS's developer guide ("Test your permissions and request inputs with dry run") documents it:
// permissions, the request's parameters and the resource are checked exactly as the real call checks
// them, then nothing runs — no record is written or read, no iterator issued, no subscription made,
// no throughput budget or metric touched — and a call that passed every check answers HTTP 400
// DryRunOperationException. Dry runs have their own limit, 1 a second per stream shared by the five
// operations (separate from the shard limits); past it: ThrottlingException.
import { AwsError } from '../../protocol/errors.ts'
import type { Stream } from './stream.ts'

/** Per stream, the second of the clock its last dry run was counted in. */
export class DryRuns {
  private readonly lastSecond = new WeakMap<Stream, number>()

  /**
   * Called where the real call would start to act, every check passed: always throws — ThrottlingException
   * for a second dry run on the stream within one second of the clock, else DryRunOperationException.
   */
  answer(stream: Stream, now: number): never {
    const second = Math.floor(now / 1000)
    if (this.lastSecond.get(stream) === second) {
      // [R] wording: AWS documents the code, not the message.
      throw new AwsError('ThrottlingException', `Rate exceeded for DryRun requests on stream ${stream.name} under account ${stream.meta.account}.`)
    }
    this.lastSecond.set(stream, second)
    // [R] wording (the model's shape has only `message`; EC2's dry-run sentence).
    throw new AwsError('DryRunOperationException', 'Request would have succeeded, but DryRun flag is set.')
  }
}
