import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { AccountClient } from '@aws-sdk/client-account';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { KMSClient } from '@aws-sdk/client-kms';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { ApiCallBudget } from './apiCallBudget';
import { ApplyRetryStrategy } from './applyRetryStrategy';
import type { AccountClients } from './clients';

/** Where the clients of one account and region send their calls. */
export interface SweepClientOptions {
  region: string;
  credentials: AwsCredentialIdentityProvider;
  /** One endpoint for every service (`--endpoint-url`: the local cloud, LocalStack); AWS's own when absent. */
  endpoint?: string;
  /** Rate limits and call counts of the account (shared by its regions). */
  budget: ApiCallBudget;
}

/** The clients a sweep uses in one account and region. */
export interface SweepClients extends AccountClients {
  tagging: ResourceGroupsTaggingAPIClient;
  /** GetMetricData (IncomingRecords of the last 24 h: the report's receivingWrites). */
  cloudwatch: CloudWatchClient;
  /** LookupEvents (CreateStream callers: the report's createdBy). */
  cloudtrail: CloudTrailClient;
}

/**
 * TCP connections every sweep client of this process shares at most. Lambda gives a function 1,024 file
 * descriptors ("Lambda quotas", https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html): a
 * keep-alive agent per client (the SDK's default) holds a socket per client and host, so 1,000 accounts × 17
 * regions × several clients would exhaust them. One agent with `maxTotalSockets` ("Maximum number of sockets
 * allowed for all hosts in total", Node.js http.Agent) queues requests beyond the bound instead.
 */
export const SWEEP_MAX_SOCKETS = 64;

const agentOptions = { keepAlive: true, maxSockets: SWEEP_MAX_SOCKETS, maxTotalSockets: SWEEP_MAX_SOCKETS } as const;

let shared: NodeHttpHandler | undefined;

/**
 * The one HTTP/1.1 handler of every sweep client of this process (http and https keep-alive agents bounded by
 * {@link SWEEP_MAX_SOCKETS}); created on first use. A sweep client is never destroyed: that would end it for all.
 */
const sweepRequestHandler = (): NodeHttpHandler => {
  shared ??= new NodeHttpHandler({
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    httpAgent: new HttpAgent(agentOptions),
    httpsAgent: new HttpsAgent(agentOptions),
  });
  return shared;
};

const baseOf = (options: Omit<SweepClientOptions, 'budget'>) => ({
  region: options.region,
  credentials: options.credentials,
  requestHandler: sweepRequestHandler(),
  ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
});

/**
 * Kinesis (reads; StartStreamEncryption with the pipeline's retry strategy), KMS and Resource Groups Tagging
 * clients of one account and region, each behind the account's {@link ApiCallBudget}.
 */
export const createSweepClients = (options: SweepClientOptions): SweepClients => {
  const base = () => baseOf(options);
  const { budget, region } = options;
  return {
    kinesis: budget.install(new KinesisClient({ ...base(), maxAttempts: 5 }), region),
    kinesisApply: budget.install(
      new KinesisClient({ ...base(), retryStrategy: new ApplyRetryStrategy(async () => 4) }),
      region
    ),
    kms: budget.install(new KMSClient({ ...base(), maxAttempts: 4 }), region),
    tagging: budget.install(new ResourceGroupsTaggingAPIClient({ ...base(), maxAttempts: 4 }), region),
    cloudwatch: budget.install(new CloudWatchClient({ ...base(), maxAttempts: 3 }), region),
    cloudtrail: budget.install(new CloudTrailClient({ ...base(), maxAttempts: 3 }), region),
  };
};

/** account:ListRegions client (for `--region all`). */
export const createAccountClient = (options: Omit<SweepClientOptions, 'budget'>): AccountClient =>
  new AccountClient({ ...baseOf(options), maxAttempts: 4 });

/** STS client that assumes the per-account roles (`--accounts` with `--role-name`), regional endpoint. */
export const createSweepStsClient = (options: Omit<SweepClientOptions, 'budget'>): STSClient =>
  new STSClient({ ...baseOf(options), maxAttempts: 4, useGlobalEndpoint: false });
