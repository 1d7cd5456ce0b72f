import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { SweepTarget } from '../../src/audit/checkStream';
import type { ListedTarget } from '../../src/audit/sweepTargets';
import { ApiCallBudget } from '../../src/aws/apiCallBudget';
import { CallRateLimiter, type LimiterClock } from '../../src/aws/callRateLimiter';
import type { StreamWithArn } from '../../src/aws/streamArnsOf';
import type { SweepClients } from '../../src/aws/sweepClients';
import { KeyProblem, KeyUnusableError } from '../../src/domain/failures';
import { KeyCheck, type KeyFacts } from '../../src/domain/keyCheck';
import type { StreamPort } from '../../src/domain/ports';
import type { StreamState } from '../../src/domain/streamState';
import type { SweepAccountRegion } from '../../src/sweep/sweepAccountRegion';
import { FakeKeys, usableKeyFacts } from './fakeKeys';

/** A clock whose time passes only when someone sleeps on it (the rate limiters do). */
export class FakeClock implements LimiterClock {
  public time = Date.parse('2026-12-01T00:00:00Z');

  public now = (): number => this.time;

  public sleep = async (ms: number): Promise<void> => {
    this.time += Math.max(0, ms);
  };
}

/** Streams per ListStreams page. */
const PAGE = 100;

/**
 * Many streams of one account and region, in memory, behind Kinesis' per-account limits on a {@link FakeClock}:
 * DescribeStreamSummary at `describePerSecond`, ListStreams pages at 5/s. Records every describe's start time.
 */
export class FakeSweepAccount implements StreamPort {
  public readonly describeStarts: number[] = [];
  public readonly applied: string[] = [];
  /** The KeyId of each StartStreamEncryption, in order. */
  public readonly appliedKeys: string[] = [];
  /** Tag calls (AddTagsToStream, RemoveTagsFromStream) by stream ARN. */
  public readonly tagged: string[] = [];
  public listPages = 0;
  /** Times the sweep engine opened this account-region, and listed it (every ListStreams page of it). */
  public opens = 0;
  public lists = 0;
  readonly #states = new Map<string, StreamState>();
  readonly #describe: CallRateLimiter;
  readonly #list: CallRateLimiter;
  readonly #clock: FakeClock;
  readonly #keyCheck: KeyCheck;

  public constructor(
    public readonly account: string,
    public readonly region: string,
    count: number,
    options: {
      clock: FakeClock;
      describePerSecond: number;
      encrypted?: (index: number) => boolean;
      /** The account's keys by KeyId (default: the AWS managed key); DescribeKey of another answers NotFound. */
      keys?: Record<string, KeyFacts>;
      /** When each stream was created (default 2026-01-01). */
      createdAt?: (index: number) => string;
    }
  ) {
    this.#clock = options.clock;
    this.#describe = new CallRateLimiter(options.describePerSecond, { clock: options.clock });
    this.#list = new CallRateLimiter(5, { clock: options.clock });
    const known = options.keys ?? {
      'alias/aws/kinesis': usableKeyFacts(`arn:aws:kms:${region}:${account}:key/aws-kinesis`),
    };
    const keys = new FakeKeys({
      ...known,
      ...Object.fromEntries(Object.values(known).map((facts) => [facts.keyArn, facts])),
    });
    const describeKey = keys.describeKey.bind(keys);
    // KMS answers NotFoundException for a key the account does not have (KmsKeyPort: KeyUnusableError NotFound).
    keys.describeKey = async (keyId) =>
      describeKey(keyId).catch(() => {
        throw new KeyUnusableError(keyId, KeyProblem.NotFound, `KMS key ${keyId} does not exist in ${account}`);
      });
    this.#keyCheck = new KeyCheck(keys, { ttlMs: 3_600_000, now: options.clock.now });
    for (let index = 0; index < count; index++) {
      const encrypted = options.encrypted?.(index) ?? false;
      this.#states.set(this.arnOf(`stream-${String(index).padStart(5, '0')}`), {
        status: 'ACTIVE',
        encryptionType: encrypted ? 'KMS' : 'NONE',
        keyId: encrypted ? 'alias/aws/kinesis' : undefined,
        createdAt: options.createdAt?.(index) ?? '2026-01-01T00:00:00.000Z',
      });
    }
    this.keys = keys;
  }

  public readonly keys: FakeKeys;

  public arnOf(name: string): string {
    return `arn:aws:kinesis:${this.region}:${this.account}:stream/${name}`;
  }

  /** Every stream, listed page by page within 5/s. */
  public async list(): Promise<StreamWithArn[]> {
    const streams = [...this.#states.keys()].map((arn) => ({ name: arn.split('/')[1] ?? '', arn }));
    for (let page = 0; page < Math.ceil(streams.length / PAGE); page++) {
      await this.#list.acquire();
      this.listPages++;
    }
    return streams;
  }

  /** This account-region as a listed target of the sweep engine (tags read in bulk: none). */
  public async listed(): Promise<ListedTarget & { target: SweepTarget }> {
    const streams = await this.list();
    const ports = { streams: this as StreamPort, keys: this.keys, keyCheck: this.#keyCheck };
    const target = { account: this.account, region: this.region, partition: 'aws', ports, tags: new Map() };
    return {
      target,
      streams,
      budget: new ApiCallBudget({}),
      // The sweep engine lists and checks with the ports; only the CLI builds readers on these clients.
      clients: {} as SweepClients,
    };
  }

  /**
   * CloudWatch and CloudTrail clients of this account-region, for the sweep's activity reads; a test answers them
   * with aws-sdk-client-mock (unanswered, a read fails and its field stays empty with a note).
   */
  public activityClients(): Pick<SweepClients, 'cloudwatch' | 'cloudtrail'> {
    const config = {
      region: this.region,
      credentials: { accessKeyId: this.account, secretAccessKey: 'fake' },
      endpoint: 'http://127.0.0.1:9',
      maxAttempts: 1,
    };
    return { cloudwatch: new CloudWatchClient(config), cloudtrail: new CloudTrailClient(config) };
  }

  /** How many of its streams have no row in `rows`. */
  public arnsNotIn(rows: readonly { streamArn: string }[]): number {
    const checked = new Set(rows.map(({ streamArn }) => streamArn));
    return [...this.#states.keys()].filter((arn) => !checked.has(arn)).length;
  }

  /** This account-region as the deployed sweep takes it: opened (ports), then listed (tags read in bulk: none). */
  public accountRegion(): SweepAccountRegion {
    return {
      account: this.account,
      region: this.region,
      open: () => {
        this.opens++;
        const ports = { streams: this as StreamPort, keys: this.keys, keyCheck: this.#keyCheck };
        return {
          target: { account: this.account, region: this.region, partition: 'aws', ports },
          budget: new ApiCallBudget({}),
          clients: this.activityClients(),
          list: async () => {
            const streams = await this.list();
            this.lists++;
            return { streams, tags: new Map() };
          },
        };
      },
    };
  }

  /** The most describes that started within any 1000 ms. */
  public peakDescribePerSecond(): number {
    let peak = 0;
    for (let first = 0, last = 0; last < this.describeStarts.length; last++) {
      while ((this.describeStarts[last] as number) - (this.describeStarts[first] as number) >= 1000) first++;
      peak = Math.max(peak, last - first + 1);
    }
    return peak;
  }

  public async describe(streamArn: string): Promise<StreamState | undefined> {
    await this.#describe.acquire();
    this.describeStarts.push(this.#clock.now());
    const state = this.#states.get(streamArn);
    return state === undefined ? undefined : { ...state };
  }

  public async waitUntilSettled(streamArn: string): Promise<StreamState | undefined | 'Timeout'> {
    return this.describe(streamArn);
  }

  public async tags(): Promise<Record<string, string>> {
    return {};
  }

  public async startEncryption(streamArn: string, keyId: string): Promise<void> {
    this.applied.push(streamArn);
    this.appliedKeys.push(keyId);
    this.#states.set(streamArn, { ...(this.#states.get(streamArn) as StreamState), encryptionType: 'KMS', keyId });
  }

  public async tag(streamArn: string, tags: Record<string, string>): Promise<void> {
    this.tagged.push(`tag ${streamArn} ${JSON.stringify(tags)}`);
  }

  public async untag(streamArn: string, keys: readonly string[]): Promise<void> {
    this.tagged.push(`untag ${streamArn} ${JSON.stringify(keys)}`);
  }
}
