import { DescribeStreamSummaryCommand, type KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { ExposureLedger } from './exposureLedger';

/** Options of {@link startStreamProducer}. */
export interface StreamProducerOptions {
  /** Records produced per second (one write call per record interval at most); default 10. */
  recordsPerSecond?: number;
  /** DescribeStreamSummary interval until the stream is seen ACTIVE with KMS; default 250 ms. */
  pollMs?: number;
  /** Milliseconds clock; default `Date.now`. */
  now?: () => number;
}

/** A running producer: `stop()` ends its writes and its polling. */
export interface StreamProducer {
  stop(): Promise<void>;
}

/** Records one PutRecords call may carry (PutRecords, https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html). */
const MAX_BATCH = 500;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A producer on a new stream, from the moment its CreateStream returned: `recordsPerSecond` records a second, sent
 * with PutRecords, oldest first; a write refused by the write guard (AccessDeniedException) is counted and retried
 * with the next call, as are records the stream did not take (CREATING: ResourceNotFoundException, throttling, a
 * record's ErrorCode). Every accepted record goes to `ledger` with the response's EncryptionType; a poller tells it
 * when the stream is first seen ACTIVE with KMS.
 */
export const startStreamProducer = (
  client: KinesisClient,
  stream: { key: string; name: string },
  ledger: ExposureLedger,
  options: StreamProducerOptions = {}
): StreamProducer => {
  const intervalMs = 1000 / (options.recordsPerSecond ?? 10);
  const pollMs = options.pollMs ?? 250;
  const now = options.now ?? Date.now;
  let running = true;
  let produced = 0;
  const pending: number[] = [];
  const started = now();

  const write = async (): Promise<void> => {
    while (running) {
      const due = Math.floor((now() - started) / intervalMs) + 1;
      for (; produced < due; produced++) pending.push(produced);
      const batch = pending.slice(0, MAX_BATCH);
      try {
        const response = await client.send(
          new PutRecordsCommand({
            StreamName: stream.name,
            Records: batch.map((n) => ({ PartitionKey: `p${n % 8}`, Data: Buffer.from(`record ${n}`) })),
          })
        );
        const at = now();
        const taken = new Set(batch.filter((_, index) => response.Records?.[index]?.ErrorCode === undefined));
        if (taken.size > 0) ledger.accepted(stream.key, at, response.EncryptionType ?? 'NONE', taken.size);
        pending.splice(0, pending.length, ...pending.filter((n) => !taken.has(n)));
      } catch (error) {
        if ((error as Error).name === 'AccessDeniedException') ledger.refused(stream.key);
      }
      await sleep(Math.max(0, started + (produced + 1) * intervalMs - now()));
    }
  };

  const poll = async (): Promise<void> => {
    while (running && !ledger.hasSeenKmsActive(stream.key)) {
      try {
        const { StreamDescriptionSummary: summary } = await client.send(
          new DescribeStreamSummaryCommand({ StreamName: stream.name })
        );
        if (summary?.StreamStatus === 'ACTIVE' && summary.EncryptionType === 'KMS') {
          ledger.sawKmsActive(stream.key, now());
        }
      } catch {
        // CREATING streams and throttling: the next poll tells
      }
      await sleep(pollMs);
    }
  };

  const done = Promise.all([write(), poll()]);
  return {
    stop: async () => {
      running = false;
      await done;
    },
  };
};
