import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { AccountCredentials } from '../aws/accountCredentials';
import { ApiCallBudget } from '../aws/apiCallBudget';
import { bulkStreamTags } from '../aws/bulkStreamTags';
import { CallRateLimiter } from '../aws/callRateLimiter';
import { enabledRegions } from '../aws/enabledRegions';
import { listStreams } from '../aws/kinesisStreamLister';
import { type StreamWithArn, streamArnsOf } from '../aws/streamArnsOf';
import { streamPortsFor } from '../aws/streamPortsFor';
import { createAccountClient, createSweepClients, createSweepStsClient } from '../aws/sweepClients';
import type { KeyFacts } from '../domain/keyCheck';
import { partitionOf } from '../events/partitionOf';
import type { SweepTarget } from './checkStream';

/** Kinesis' own per-account limits (Kinesis API reference): ListStreams and ListTagsForStream 5/s. */
const LIST_STREAMS_PER_SECOND = 5;
const LIST_TAGS_PER_SECOND = 5;

/** What the targets of a run are built from. */
export interface TargetOptions {
  regions: readonly string[] | 'all';
  accounts?: readonly string[];
  roleName?: string;
  endpointUrl?: string;
  describeRate: number;
  tags: 'bulk' | 'stream';
  sweepId: string;
  credentials: AwsCredentialIdentityProvider;
  /** Region of the calls that are not regional (account:ListRegions, STS). */
  homeRegion: string;
  /** Calls of the run, by operation (shared by every account's budget). */
  counts: Record<string, number>;
  note: (text: string) => void;
  onListed: (count: number) => void;
}

/** A target with its streams, or the reason it could not be read. */
export type ListedTarget =
  | { target: SweepTarget; streams: StreamWithArn[]; budget: ApiCallBudget }
  | { account: string; region: string; error: string };

const accountOfArn = (arn: string): string => arn.split(':')[4] ?? 'unknown';

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

const listTarget = async (
  options: TargetOptions,
  account: string | undefined,
  region: string,
  credentials: AwsCredentialIdentityProvider,
  budget: ApiCallBudget
): Promise<ListedTarget> => {
  const where = { region, credentials, ...(options.endpointUrl !== undefined && { endpoint: options.endpointUrl }) };
  const clients = createSweepClients({ ...where, budget });
  const listed = [];
  for await (const page of listStreams(clients.kinesis)) {
    listed.push(...page);
    options.onListed(page.length);
  }
  const streams = await streamArnsOf(clients.kinesis, listed);
  const owner = account ?? (streams[0] === undefined ? 'unknown' : accountOfArn(streams[0].arn));
  const partition = partitionOf(region)?.name ?? 'aws';
  const ports = streamPortsFor(
    clients,
    { partition, region, account: owner },
    {
      ttlMs: 3_600_000,
      mode: 'enforce',
      onWarning: options.note,
    }
  );
  const keys = ports.keys;
  ports.keys = { describeKey: memoized((keyId) => keys.describeKey(keyId)) };
  let tags: Map<string, Record<string, string>> | undefined;
  if (options.tags === 'bulk' && streams.length > 0) {
    try {
      tags = await bulkStreamTags(clients.tagging);
    } catch (error) {
      options.note(
        `${owner}/${region}: tag:GetResources failed (${(error as Error).message.slice(0, 200)}); tags read per stream with ListTagsForStream`
      );
    }
  }
  return { target: { account: owner, region, partition, ports, ...(tags !== undefined && { tags }) }, streams, budget };
};

/**
 * Every account and region of a run with its streams listed (ListStreams within 5/s per account): the
 * credentials' own account, or each of `accounts` through `arn:<partition>:iam::<account>:role/<roleName>`;
 * `regions: 'all'` = the regions enabled for each account (account:ListRegions). One {@link ApiCallBudget} per
 * account, shared by its regions: DescribeStreamSummary at `describeRate`/s.
 */
export const sweepTargets = async (options: TargetOptions): Promise<ListedTarget[]> => {
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
  const accounts: (string | undefined)[] = options.accounts === undefined ? [undefined] : [...options.accounts];
  const perAccount = accounts.map(async (account): Promise<ListedTarget[]> => {
    const credentials: AwsCredentialIdentityProvider =
      account === undefined || roles === undefined
        ? options.credentials
        : () => roles.credentialsFor(account, `sweep-${options.sweepId}`);
    const budget = new ApiCallBudget(
      {
        DescribeStreamSummary: new CallRateLimiter(options.describeRate),
        ListStreams: new CallRateLimiter(LIST_STREAMS_PER_SECOND),
        ListTagsForStream: new CallRateLimiter(LIST_TAGS_PER_SECOND),
      },
      options.counts
    );
    const label = account ?? 'credentials';
    let regions: readonly string[];
    try {
      regions =
        options.regions === 'all'
          ? await enabledRegions(createAccountClient({ ...home, credentials }))
          : options.regions;
    } catch (error) {
      return [{ account: label, region: options.homeRegion, error: (error as Error).message }];
    }
    return Promise.all(
      regions.map((region) =>
        listTarget(options, account, region, credentials, budget).catch(
          (error: unknown): ListedTarget => ({ account: label, region, error: (error as Error).message })
        )
      )
    );
  });
  return (await Promise.all(perAccount)).flat();
};
