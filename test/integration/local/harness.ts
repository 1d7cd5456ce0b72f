import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { CreateStreamCommand, DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import type { CompletionDetail } from '../../../src/completion/completionDetail';
import type { BusEvent, LocalCloud, LocalCloudOptions } from '../../../tools/dev';
import { isCompletionEvent, localKinesisClients, startLocalCloud, streamNameOf } from '../../../tools/dev';

/** Short durations for integration tests. */
const FAST: LocalCloudOptions = {
  createDurationMs: 300,
  updateDurationMs: 300,
  waitOverrideMs: 100,
  retryIntervalMs: 50,
  // Longer than one invocation: a duplicate retried too soon finds the first still in progress.
  lambdaRetryDelayMs: 1500,
  environment: { POWERTOOLS_LOG_LEVEL: 'WARN' },
};

/** A local cloud plus every bus event it saw. */
export interface Harness {
  cloud: LocalCloud;
  events: BusEvent[];
  client(account: string, region: string): KinesisClient;
  createStream(account: string, region: string, name: string): Promise<void>;
  completionFor(
    account: string,
    region: string,
    name: string,
    timeoutMs?: number
  ): Promise<BusEvent & { detail: CompletionDetail }>;
  completionsFor(name: string): (BusEvent & { detail: CompletionDetail })[];
  /** CloudTrail events of `eventName` for a stream (by name or ARN in requestParameters). */
  cloudTrailFor(name: string, eventName: string): BusEvent[];
  streamSummary(account: string, region: string, name: string): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** Starts a local cloud with {@link FAST} durations (plus `options`). */
export const startHarness = async (options: LocalCloudOptions = {}): Promise<Harness> => {
  const cloud = await startLocalCloud({ ...FAST, ...options });
  const events: BusEvent[] = [];
  cloud.bus.on('event', (event: BusEvent) => events.push(event));
  const clients = localKinesisClients(cloud.endpoint);
  const { client } = clients;
  const completions = (): (BusEvent & { detail: CompletionDetail })[] =>
    events.filter(isCompletionEvent) as (BusEvent & { detail: CompletionDetail })[];
  return {
    cloud,
    events,
    client,
    createStream: async (account, region, name) => {
      // Like an operator: wait out the limit of 5 streams CREATING (kinesis-mock counts it across all accounts).
      // A bound for a hang, not a schedule: the loop ends as soon as the call is accepted.
      const deadline = Date.now() + 300_000;
      for (;;) {
        try {
          await client(account, region).send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
          return;
        } catch (error) {
          const { name: errorName, $metadata } = error as Error & { $metadata?: { attempts?: number } };
          // An SDK retry of a CreateStream the emulator already accepted (reply lost under load) finds the stream.
          if (errorName === 'ResourceInUseException' && ($metadata?.attempts ?? 1) >= 2) return;
          if (errorName !== 'LimitExceededException' || Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 300));
        }
      }
    },
    completionFor: async (account, region, name, timeoutMs = 240_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = completions().find(
          ({ detail }) => detail.account === account && detail.region === region && detail.streamName === name
        );
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`No completion event for ${account}/${region}/${name}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    completionsFor: (name) => completions().filter(({ detail }) => detail.streamName === name),
    cloudTrailFor: (name, eventName) =>
      events.filter(
        (event) =>
          event.source === 'aws.kinesis' &&
          event.detail.eventName === eventName &&
          streamNameOf(event.detail.requestParameters) === name
      ),
    streamSummary: async (account, region, name) => {
      const { StreamDescriptionSummary } = await client(account, region).send(
        new DescribeStreamSummaryCommand({ StreamName: name })
      );
      return { ...StreamDescriptionSummary };
    },
    stop: async () => {
      clients.destroy();
      await cloud.stop();
    },
  };
};
