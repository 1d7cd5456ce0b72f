import { setTimeout } from 'node:timers/promises';
import {
  AddTagsToStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
  ListTagsForStreamCommand,
  RemoveTagsFromStreamCommand,
  StartStreamEncryptionCommand,
} from '@aws-sdk/client-kinesis';
import { createWaiter, WaiterState } from '@smithy/core/client';
import { StreamNotFoundError } from '../domain/failures';
import type { StreamPort } from '../domain/ports';
import type { StreamState } from '../domain/streamState';
import { kinesisFailure } from './kinesisFailure';

/** Poll interval bounds (seconds) while a stream is CREATING or UPDATING. The default polls every second: at most 5 streams CREATE at once per account, so ≤ 5 calls/s of the 20/s account limit. */
export interface SettleWaitOptions {
  minDelay: number;
  maxDelay: number;
}

/** {@link StreamPort} on the Kinesis API. `applyClient` carries the StartStreamEncryption retry strategy. */
export class KinesisStreamPort implements StreamPort {
  readonly #client: KinesisClient;
  readonly #applyClient: KinesisClient;
  readonly #wait: SettleWaitOptions;

  public constructor(
    client: KinesisClient,
    applyClient: KinesisClient,
    wait: SettleWaitOptions = { minDelay: 1, maxDelay: 1 }
  ) {
    this.#client = client;
    this.#applyClient = applyClient;
    this.#wait = wait;
  }

  public async describe(streamArn: string): Promise<StreamState | undefined> {
    try {
      const { StreamDescriptionSummary: summary } = await this.#client.send(
        new DescribeStreamSummaryCommand({ StreamARN: streamArn })
      );
      if (summary === undefined) return undefined;
      return {
        status: summary.StreamStatus ?? 'UNKNOWN',
        encryptionType: summary.EncryptionType ?? 'NONE',
        keyId: summary.KeyId,
        createdAt: summary.StreamCreationTimestamp?.toISOString(),
      };
    } catch (error) {
      const failure = kinesisFailure(error, 'DescribeStreamSummary', streamArn);
      if (failure instanceof StreamNotFoundError) return undefined;
      throw failure;
    }
  }

  public async waitUntilSettled(
    streamArn: string,
    maxWaitSeconds: number
  ): Promise<StreamState | undefined | 'Timeout'> {
    // The caller has just read the stream: the smithy waiter checks at once, so wait one interval first.
    if (maxWaitSeconds <= 2 * this.#wait.minDelay) return 'Timeout';
    await setTimeout(this.#wait.minDelay * 1000);
    let last: StreamState | undefined;
    const result = await createWaiter(
      {
        client: this.#client,
        maxWaitTime: maxWaitSeconds - this.#wait.minDelay,
        minDelay: this.#wait.minDelay,
        maxDelay: this.#wait.maxDelay,
      },
      streamArn,
      async (_client: KinesisClient, arn: string) => {
        last = await this.describe(arn);
        const busy = last?.status === 'CREATING' || last?.status === 'UPDATING';
        return { state: busy ? WaiterState.RETRY : WaiterState.SUCCESS, reason: last };
      }
    );
    return result.state === WaiterState.SUCCESS ? last : 'Timeout';
  }

  public async tags(streamArn: string): Promise<Record<string, string>> {
    const tags: Record<string, string> = {};
    let start: string | undefined;
    try {
      for (let page = 0; page < 50; page++) {
        const output = await this.#client.send(
          new ListTagsForStreamCommand({ StreamARN: streamArn, ExclusiveStartTagKey: start })
        );
        for (const { Key, Value } of output?.Tags ?? []) if (Key !== undefined) tags[Key] = Value ?? '';
        start = output?.Tags?.at(-1)?.Key;
        if (output?.HasMoreTags !== true || start === undefined) break;
      }
    } catch (error) {
      throw kinesisFailure(error, 'ListTagsForStream', streamArn);
    }
    return tags;
  }

  public async startEncryption(streamArn: string, keyId: string): Promise<void> {
    try {
      await this.#applyClient.send(
        new StartStreamEncryptionCommand({ StreamARN: streamArn, EncryptionType: 'KMS', KeyId: keyId })
      );
    } catch (error) {
      throw kinesisFailure(error, 'StartStreamEncryption', streamArn, keyId);
    }
  }

  /** AddTagsToStream (5 calls/s per account; throttling is retried by the client's standard retry strategy). */
  public async tag(streamArn: string, tags: Record<string, string>): Promise<void> {
    try {
      await this.#client.send(new AddTagsToStreamCommand({ StreamARN: streamArn, Tags: tags }));
    } catch (error) {
      throw kinesisFailure(error, 'AddTagsToStream', streamArn);
    }
  }

  /** RemoveTagsFromStream (5 calls/s per account); removing a key the stream lacks is no error. */
  public async untag(streamArn: string, keys: readonly string[]): Promise<void> {
    try {
      await this.#client.send(new RemoveTagsFromStreamCommand({ StreamARN: streamArn, TagKeys: [...keys] }));
    } catch (error) {
      throw kinesisFailure(error, 'RemoveTagsFromStream', streamArn);
    }
  }
}
