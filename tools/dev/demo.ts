import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
  StartStreamEncryptionCommand,
  StopStreamEncryptionCommand,
} from '@aws-sdk/client-kinesis';
import { type BusEvent, type CloudTrailEnvelope, localKinesisClients } from '@kinesis-auto-encrypt/local-cloud';
import { Outcome } from '../../src/domain/outcome';
import { Mode, PolicyTag } from '../../src/domain/streamPolicy';
import { DEFAULT_KEY_ALIAS, TEAM_KEY_ALIAS } from './accountKeys';
import { isStreamCompletion } from './completionEvents';
import { ExposureLedger, type ExposureSummary } from './exposureLedger';
import type { LocalCloud } from './localCloud';
import type { SummaryRow } from './progress';
import { type StreamProducer, startStreamProducer } from './streamProducer';
import type { CompletionEvent, StreamWatcher } from './streamWatcher';
import { approverAccessKeyId } from './writeGuardScp';

/** How a demo stream is created. */
export const DemoKind = {
  /** CreateStream, nothing else. */
  Plain: 'plain',
  /** Encrypted by its owner with the default key before CloudTrail delivers the event. */
  OwnerUsesDefaultKey: 'owner-default-key',
  /** Encrypted by its owner with the team key before CloudTrail delivers the event. */
  OwnerUsesTeamKey: 'owner-team-key',
  /** Encrypted by the pipeline, then decrypted by its owner (StopStreamEncryption): repaired. */
  OwnerDecrypts: 'owner-decrypts',
} as const;

type DemoKind = (typeof DemoKind)[keyof typeof DemoKind];

/** One stream of the demo. */
export interface DemoStream {
  account: string;
  region: string;
  name: string;
  kind: DemoKind;
  expected: Outcome;
  /** Created once this stream (same account) has been created, while it is still CREATING. */
  after?: string;
  /** Tags given to CreateStream. */
  tags?: Record<string, string>;
}

/** The streams `npm start` creates; never more than 2 CREATING per account. */
export const demoStreams = (
  accounts: readonly string[],
  mode: Mode = Mode.Enforce,
  region = 'us-east-1'
): DemoStream[] => {
  const [a = '111111111111', b = '222222222222', c = '333333333333'] = accounts;
  // In audit mode nothing is changed: what enforce would encrypt ends NonCompliant.
  const encrypted = mode === Mode.Audit ? Outcome.NonCompliant : Outcome.Encrypted;
  return [
    { account: a, region, name: 'orders', kind: DemoKind.Plain, expected: encrypted },
    { account: a, region, name: 'payments', kind: DemoKind.Plain, expected: encrypted, after: 'orders' },
    { account: b, region, name: 'clickstream', kind: DemoKind.OwnerUsesDefaultKey, expected: Outcome.AlreadyCompliant },
    { account: c, region, name: 'audit-log', kind: DemoKind.Plain, expected: encrypted },
    { account: c, region, name: 'team-analytics', kind: DemoKind.OwnerUsesTeamKey, expected: Outcome.Skipped },
    {
      account: b,
      region,
      name: 'legacy-feed',
      kind: DemoKind.Plain,
      expected: Outcome.Exempt,
      after: 'clickstream',
      tags: { [PolicyTag.Exempt]: 'true', [PolicyTag.ExemptReason]: 'decommissioned in Q1' },
    },
    {
      account: a,
      region,
      name: 'analytics-events',
      kind: DemoKind.Plain,
      expected: encrypted,
      after: 'payments',
      tags: { [PolicyTag.Key]: TEAM_KEY_ALIAS },
    },
    // Audit mode changes nothing, so there is nothing to decrypt: the drift stream is an enforce-mode case.
    ...(mode === Mode.Audit
      ? []
      : [
          {
            account: c,
            region,
            name: 'inventory',
            kind: DemoKind.OwnerDecrypts,
            expected: Outcome.Encrypted,
            after: 'audit-log',
          },
        ]),
  ];
};

/** What the demo ended with. */
export interface DemoResult {
  rows: SummaryRow[];
  /** Every stream ended with its expected outcome and no invocation failed for good. */
  ok: boolean;
  /** EMF metric totals at the end (tools/dev/metricTotals.ts). */
  metrics: Record<string, number>;
  /** What the producers met (tools/dev/exposureLedger.ts). */
  exposure: ExposureSummary;
}

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** The write guard's SCP is on the gateway (`--write-guard`): tags are set by the approver, Stop is refused. */
  writeGuard?: boolean;
  /** Records per second a producer writes to each new stream (`npm start`: 10); default 0, no producers. */
  recordsPerSecond?: number;
  timeoutMs?: number;
}

/** Resolves with the completion event of the drift repair (trigger StopStreamEncryption) of a demo stream. */
const repairOf = (cloud: LocalCloud, stream: DemoStream): Promise<CompletionEvent> =>
  new Promise((resolve) => {
    const listener = (event: BusEvent): void => {
      if (!isStreamCompletion(event)) return;
      const { detail } = event;
      if (detail.account !== stream.account || detail.streamName !== stream.name) return;
      if (detail.trigger !== 'StopStreamEncryption') return;
      cloud.bus.off('event', listener);
      resolve(event);
    };
    cloud.bus.on('event', listener);
  });

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until the stream is ACTIVE (every 100 ms). */
export const waitForActive = async (client: KinesisClient, name: string, timeoutMs = 60_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { StreamDescriptionSummary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    if (Date.now() > deadline) throw new Error(`Stream ${name} not ACTIVE after ${timeoutMs} ms`);
    await sleep(100);
  }
};

const isCreateOf =
  (stream: DemoStream) =>
  (event: CloudTrailEnvelope): boolean =>
    event.account === stream.account &&
    event.region === stream.region &&
    event.detail.eventName === 'CreateStream' &&
    event.detail.requestParameters?.streamName === stream.name;

/**
 * Runs the demo on a local cloud: creates the streams the way real accounts would, shows their
 * progress through `watcher`, and resolves with one summary row per stream.
 */
export const runDemo = async (
  cloud: LocalCloud,
  watcher: StreamWatcher,
  streams: DemoStream[] = demoStreams(cloud.accounts.map(({ account }) => account)),
  options: DemoOptions = {}
): Promise<DemoResult> => {
  const { writeGuard = false, timeoutMs = 180_000 } = options;
  const clients = localKinesisClients(cloud.endpoint);
  const clientFor = clients.client;
  const ledger = new ExposureLedger();
  const producers: StreamProducer[] = [];
  // Resolved once a stream's CreateStream call returned.
  const created = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  for (const stream of streams) {
    let resolve: () => void = () => undefined;
    const promise = new Promise<void>((r) => {
      resolve = r;
    });
    created.set(`${stream.account}/${stream.name}`, { promise, resolve });
  }

  const run = async (stream: DemoStream): Promise<CompletionEvent> => {
    const client = clientFor(stream.account, stream.region);
    if (stream.after !== undefined) {
      await created.get(`${stream.account}/${stream.after}`)?.promise;
      watcher.note(stream.account, stream.region, stream.name, `created while ${stream.after} is still CREATING`);
    }
    // The owner acts before CloudTrail delivers the CreateStream event: hold it back.
    const ownerEncrypts = stream.kind === DemoKind.OwnerUsesDefaultKey || stream.kind === DemoKind.OwnerUsesTeamKey;
    const held = ownerEncrypts ? cloud.holdCloudTrail(isCreateOf(stream)) : undefined;
    const completion = watcher.watch(stream.account, stream.region, stream.name);
    // Under the write guard only an exemption approver may set the policy tags (SCP statement ExemptionTags).
    const creator =
      writeGuard && stream.tags !== undefined
        ? clients.client(approverAccessKeyId(stream.account), stream.region)
        : client;
    try {
      await creator.send(new CreateStreamCommand({ StreamName: stream.name, ShardCount: 1, Tags: stream.tags }));
    } finally {
      created.get(`${stream.account}/${stream.name}`)?.resolve();
    }
    // A producer from the moment CreateStream returns; an exempt stream is unencrypted by an approver's decision.
    const recordsPerSecond = options.recordsPerSecond ?? 0;
    if (recordsPerSecond > 0 && stream.expected !== Outcome.Exempt) {
      const key = `${stream.account}/${stream.region}/${stream.name}`;
      ledger.created(key, Date.now());
      producers.push(startStreamProducer(client, { key, name: stream.name }, ledger, { recordsPerSecond }));
      void completion.then(
        (event) => ledger.confirmed(key, event.detail),
        () => undefined
      );
    }
    if (held !== undefined) {
      const event = await held;
      const keyId = stream.kind === DemoKind.OwnerUsesDefaultKey ? DEFAULT_KEY_ALIAS : TEAM_KEY_ALIAS;
      watcher.note(
        stream.account,
        stream.region,
        stream.name,
        `CloudTrail delivery is late; meanwhile the owner encrypts it with ${keyId} once ACTIVE`
      );
      await waitForActive(client, stream.name);
      await client.send(
        new StartStreamEncryptionCommand({ StreamName: stream.name, EncryptionType: 'KMS', KeyId: keyId })
      );
      await sleep(200);
      await waitForActive(client, stream.name);
      watcher.note(stream.account, stream.region, stream.name, 'CloudTrail delivers the CreateStream event now');
      cloud.bus.publish(event);
    }
    if (stream.kind !== DemoKind.OwnerDecrypts) return completion;
    const first = await completion;
    watcher.note(stream.account, stream.region, stream.name, 'its owner decrypts it (StopStreamEncryption)');
    const repaired = repairOf(cloud, stream);
    const stop = new StopStreamEncryptionCommand({
      StreamName: stream.name,
      EncryptionType: 'KMS',
      KeyId: String(first.detail.keyId),
    });
    const refused = await client.send(stop).then(
      () => false,
      (error: Error) => {
        if (!writeGuard || error.name !== 'AccessDeniedException') throw error;
        return true;
      }
    );
    if (!refused) return repaired;
    watcher.note(
      stream.account,
      stream.region,
      stream.name,
      'StopStreamEncryption refused by the write guard: stays encrypted'
    );
    return first;
  };

  const timer = new Promise<never>((_, reject) => {
    const handle = setTimeout(() => reject(new Error(`Demo not finished after ${timeoutMs} ms`)), timeoutMs);
    handle.unref();
  });
  try {
    const results = await Promise.race([Promise.all(streams.map(run)), timer]);
    await cloud.idle();
    const rows = streams.map((stream, index): SummaryRow => {
      const detail = results[index]?.detail;
      return {
        account: stream.account,
        region: stream.region,
        stream: stream.name,
        expected: stream.expected,
        outcome: detail?.outcome ?? 'none',
        timeToEncryptedMs: detail?.timeToEncryptedMs ?? null,
        keyId: detail?.streamKeyId ?? null,
        trigger: detail?.trigger ?? null,
        exposureMs: detail?.exposureMs ?? null,
      };
    });
    const ok = rows.every((row) => row.outcome === row.expected) && cloud.failures.length === 0;
    await Promise.all(producers.map((producer) => producer.stop()));
    return { rows, ok, metrics: cloud.metricTotals(), exposure: ledger.summary() };
  } finally {
    await Promise.all(producers.map((producer) => producer.stop()));
    clients.destroy();
  }
};
