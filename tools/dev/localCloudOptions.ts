import type { OrgOptions } from './orgCloud';

/** Options of `startLocalCloud` (tools/dev/localCloud.ts). */
export interface LocalCloudOptions {
  /** Accounts given a default and a team key in every region of `regions`. */
  accounts?: readonly string[];
  /** Default `['us-east-1']`. */
  regions?: readonly string[];
  /** CREATING → ACTIVE; default 1500 ms. */
  createDurationMs?: number;
  /** UPDATING → ACTIVE after StartStreamEncryption; default 2000 ms. */
  updateDurationMs?: number;
  /** EventBridge delivers each matching event this many times; default 1. */
  duplicateDeliveries?: number;
  /** CloudTrail delivery delay; default 0. */
  cloudTrailDelayMs?: number;
  /** Milliseconds per state machine backoff wait instead of its schedule (real seconds when omitted). */
  waitOverrideMs?: number;
  /** Milliseconds between state machine retries (the ASL's own when omitted). */
  retryIntervalMs?: number;
  /** Lambda async retry delay; default 3000 ms (Lambda: about a minute). */
  lambdaRetryDelayMs?: number;
  /** Function timeout; default 120000 ms. Powertools keeps a crashed invocation in progress this long. */
  lambdaTimeoutMs?: number;
  /** Concurrent execution environments per account/region (one invocation each); default 2. */
  lambdaMaxInstances?: number;
  /** Extra or overridden function environment variables. */
  environment?: Record<string, string>;
  /** Handler module; default `handlers/encrypt-stream.ts`. */
  handlerPath?: string;
  /** serverless.yml the rule pattern is read from; default the repository's. */
  serverlessPath?: string;
  /** Directory for logs and the failure destination; default `.local-cloud/<timestamp>`. */
  stateDir?: string;
  /** Gateway port; a free port when omitted. */
  port?: number;
  /** Start the Lambda worker of every account/region up front (default true). */
  warm?: boolean;
  /** Connect the pipeline's rule to the bus (default true); `false`: streams stay as created (account mode). */
  pipeline?: boolean;
  /**
   * Organisation deployment (`deployment=org`): one hub function and state machine, members forwarding to
   * the hub bus, a local STS with the member roles. `accounts`, `regions` and `pipeline` are then ignored.
   */
  org?: OrgOptions;
  /** Shards per account and region kinesis-local allows (default 50; the sweep bench needs more). */
  shardLimit?: number;
  /**
   * Write guard (`npm start -- --write-guard`): the gateway decides every Kinesis call with the SCP of
   * `kinesis-auto-encrypt guard-policy` (tools/dev/writeGuardScp.ts) and the function runs with WRITE_GUARD=enforce.
   * Needs `org` (writeGuard=enforce needs deployment=org: the SCP exempts the pipeline's roles by their fixed names).
   */
  writeGuard?: boolean;
}
