import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { AccountCredentials } from '../aws/accountCredentials';
import { ApiCallBudget } from '../aws/apiCallBudget';
import { bulkStreamTags } from '../aws/bulkStreamTags';
import { CallRateLimiter } from '../aws/callRateLimiter';
import { enabledRegions } from '../aws/enabledRegions';
import { listStreams } from '../aws/kinesisStreamLister';
import { type StreamWithArn, streamArnsOf } from '../aws/streamArnsOf';
import { streamPortsFor } from '../aws/streamPortsFor';
import { createAccountClient, createSweepClients, createSweepStsClient, type SweepClients } from '../aws/sweepClients';
import type { KeyCheckCache, KeyFacts, KeyPolicyMode } from '../domain/keyCheck';
import { partitionOf } from '../events/partitionOf';
import type { SweepTarget } from './checkStream';
import { inPool } from './inPool';
import { selectedStreams } from './streamSelection';

/** Kinesis' own per-account limits (Kinesis API reference): ListStreams and ListTagsForStream 5/s. */
const LIST_STREAMS_PER_SECOND = 5;
const LIST_TAGS_PER_SECOND = 5;
/**
 * CloudTrail LookupEvents: "The rate of lookup requests is limited to two per second, per account, per Region"
 * (CloudTrail API reference, LookupEvents): one limiter per region of the account.
 */
const LOOKUP_EVENTS_PER_SECOND = 2;

/** What the targets of a run are built from. */
export interface TargetOptions {
  regions: readonly string[] | 'all';
  /** Accounts reached through `roleName`; without them, the credentials' own account (`ownAccount`). */
  accounts?: readonly string[];
  roleName?: string;
  /** The account the credentials belong to (the deployed sweep's own; the CLI asks sts:GetCallerIdentity). */
  ownAccount: string;
  endpointUrl?: string;
  describeRate: number;
  tags: 'bulk' | 'stream';
  /** The key policy pre-flight of every key this run checks: the deployment's `keyPolicyCheck`. */
  keyPolicyCheck: KeyPolicyMode;
  sweepId: string;
  credentials: AwsCredentialIdentityProvider;
  /** Region of the calls that are not regional (account:ListRegions, STS). */
  homeRegion: string;
  /** Calls of the run, by operation (shared by every account's budget). */
  counts: Record<string, number>;
  note: (text: string) => void;
  onListed: (count: number) => void;
  /** `--stream`: only the streams of these names or ARNs. */
  streams?: readonly string[];
}

/** One account-region of a run before its streams are listed: its ports (the key pre-flight's too) and clients. */
export interface PlannedTarget {
  target: SweepTarget;
  clients: SweepClients;
  budget: ApiCallBudget;
}

/** A planned account-region, or why it cannot be reached. */
export type Planned = PlannedTarget | { account: string; region: string; error: string };

/** A target with its streams, or the reason it could not be read. */
export type ListedTarget =
  | {
      target: SweepTarget;
      streams: StreamWithArn[];
      budget: ApiCallBudget;
      /** The account-region's clients (the CLI reads CloudWatch and CloudTrail with them; the deployed sweep does not). */
      clients: SweepClients;
    }
  | { account: string; region: string; error: string };

/** KMS DescribeKey once per KeyId per run (CompareKeys asks for both names of a key for every stream). */
const memoized = (describeKey: (keyId: string) => Promise<KeyFacts>) => {
  const known = new Map<string, Promise<KeyFacts>>();
  return (keyId: string): Promise<KeyFacts> => {
    const found = known.get(keyId) ?? describeKey(keyId);
    known.set(keyId, found);
    found.catch(() => known.delete(keyId));
    return found;
  };
};

/**
 * The API call budget of one account, shared by its regions: DescribeStreamSummary at `describeRate`/s and Kinesis'
 * own per-account limits; CloudTrail's LookupEvents limit in each region; every call counted in `counts`.
 */
export const accountBudget = (options: Pick<TargetOptions, 'describeRate' | 'counts'>): ApiCallBudget =>
  new ApiCallBudget(
    {
      DescribeStreamSummary: new CallRateLimiter(options.describeRate),
      ListStreams: new CallRateLimiter(LIST_STREAMS_PER_SECOND),
      ListTagsForStream: new CallRateLimiter(LIST_TAGS_PER_SECOND),
    },
    options.counts,
    { LookupEvents: () => new CallRateLimiter(LOOKUP_EVENTS_PER_SECOND) }
  );

/** The clients and ports of one account-region (no call made). */
export const planTarget = (
  options: TargetOptions,
  account: string,
  region: string,
  credentials: AwsCredentialIdentityProvider,
  budget: ApiCallBudget,
  keyCache?: KeyCheckCache
): PlannedTarget => {
  const where = { region, credentials, ...(options.endpointUrl !== undefined && { endpoint: options.endpointUrl }) };
  const clients = createSweepClients({ ...where, budget });
  const partition = partitionOf(region)?.name ?? 'aws';
  const ports = streamPortsFor(
    clients,
    { partition, region, account },
    {
      ttlMs: 3_600_000,
      mode: options.keyPolicyCheck,
      onWarning: options.note,
      ...(keyCache !== undefined && { cache: keyCache }),
    }
  );
  const keys = ports.keys;
  ports.keys = { describeKey: memoized((keyId) => keys.describeKey(keyId)) };
  return { target: { account, region, partition, ports }, clients, budget };
};

/**
 * Every account and region of a run, ready to list but not listed: the credentials' own account, or each of
 * `accounts` through `arn:<partition>:iam::<account>:role/<roleName>`; `regions: 'all'` = the regions enabled for
 * each account (account:ListRegions). One {@link ApiCallBudget} per account, shared by its regions:
 * DescribeStreamSummary at `describeRate`/s.
 */
export const planTargets = async (options: TargetOptions): Promise<Planned[]> => {
  const home = {
    region: options.homeRegion,
    ...(options.endpointUrl !== undefined && { endpoint: options.endpointUrl }),
  };
  const roles =
    options.accounts === undefined
      ? undefined
      : new AccountCredentials(createSweepStsClient({ ...home, credentials: options.credentials }), {
          partition: partitionOf(options.homeRegion)?.name ?? 'aws',
          roleName: options.roleName ?? '',
        });
  const accounts = options.accounts ?? [options.ownAccount];
  const perAccount = accounts.map(async (account): Promise<Planned[]> => {
    const credentials: AwsCredentialIdentityProvider =
      roles === undefined ? options.credentials : () => roles.credentialsFor(account, `sweep-${options.sweepId}`);
    const budget = accountBudget(options);
    let regions: readonly string[];
    try {
      regions =
        options.regions === 'all'
          ? await enabledRegions(createAccountClient({ ...home, credentials }))
          : options.regions;
    } catch (error) {
      return [{ account, region: options.homeRegion, error: (error as Error).message }];
    }
    return regions.map((region) => planTarget(options, account, region, credentials, budget));
  });
  return (await Promise.all(perAccount)).flat();
};

/** Lists one planned account-region's streams (and their tags in bulk when asked). */
export const listTarget = async (
  planned: PlannedTarget,
  options: TargetOptions
): Promise<Exclude<ListedTarget, { error: string }>> => {
  const { target, clients, budget } = planned;
  const listed = [];
  for await (const page of listStreams(clients.kinesis)) {
    listed.push(...page);
    options.onListed(page.length);
  }
  const streams = selectedStreams(streamArnsOf(listed, target), options.streams);
  let tags: Map<string, Record<string, string>> | undefined;
  if (options.tags === 'bulk' && streams.length > 0) {
    try {
      tags = await bulkStreamTags(clients.tagging);
    } catch (error) {
      options.note(
        `${target.account}/${target.region}: tag:GetResources failed (${(error as Error).message.slice(0, 200)}); tags read per stream with ListTagsForStream`
      );
    }
  }
  return {
    target: { ...target, ...(tags !== undefined && { tags }) },
    streams,
    budget,
    clients,
  };
};

/** Account-regions the CLI lists at once (each lists its pages within its account's 5/s). */
const LISTED_AT_ONCE = 16;

/**
 * Lists the streams of every planned account-region, {@link LISTED_AT_ONCE} at a time (ListStreams within 5/s per
 * account, tags in bulk when asked); the answers in the order planned.
 */
export const listTargets = async (planned: readonly Planned[], options: TargetOptions): Promise<ListedTarget[]> => {
  const listed: ListedTarget[] = new Array(planned.length);
  await inPool(planned, LISTED_AT_ONCE, async (entry, index) => {
    listed[index] =
      'error' in entry
        ? entry
        : await listTarget(entry, options).catch(
            (error: unknown): ListedTarget => ({
              account: entry.target.account,
              region: entry.target.region,
              error: (error as Error).message,
            })
          );
  });
  return listed;
};
