import { KeyCheck, type KeyFacts } from '../../src/domain/keyCheck';
import type { ReconcileDependencies } from '../../src/domain/reconcile';
import type { Policy } from '../../src/domain/streamPolicy';
import type { StreamRequest } from '../../src/domain/streamRequest';
import type { WriteGuard } from '../../src/domain/writeGuard';
import { FakeConfirmations } from './fakeConfirmations';
import { FakeKeyApplications } from './fakeKeyApplications';
import { FakeKeyIdSource } from './fakeKeyIdSource';
import { FakeKeys, usableKeyFacts } from './fakeKeys';
import { FakeLedger } from './fakeLedger';
import { FakeReports } from './fakeReports';
import type { FakeStreams } from './fakeStreams';

/** The organisation's default key, as the key source names it, and its ARN. */
export const KEY = 'alias/org-kinesis';
export const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
/** A team's own key (`alias/team`), usable, not the desired one. */
export const TEAM_KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-12345678ffff';

/** A CreateStream trigger for the stream `orders`. */
export const ORDERS_REQUEST: StreamRequest = {
  eventId: 'e-1',
  eventTime: '2026-12-01T08:00:00Z',
  trigger: 'CreateStream',
  account: '123456789012',
  region: 'eu-west-1',
  partition: 'aws',
  streamName: 'orders',
  streamArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders',
};

/** The deployment's defaults: enforce, a team's key left alone, exemptions and key tags allowed. */
const ENFORCE_POLICY: Policy = {
  mode: 'enforce',
  overrideForeignKeys: false,
  iacGraceSeconds: 120,
  allowExemptions: true,
  allowKeyTags: true,
  keyBudgetReserve: 2,
  maxDriftRepairsPerDay: 3,
};

/** What a test changes in the reconcile's world; everything else is the defaults above. */
export interface FakeReconcileOptions {
  policy?: Partial<Policy>;
  writeGuard?: WriteGuard;
  /** Keys added to (or replacing) the default key, its ARN and `alias/team`. */
  keys?: Record<string, KeyFacts | Error>;
  /** What the default key source answers (default {@link KEY}). */
  defaultKey?: string | Error;
  /** Seconds a reconcile may wait on a busy stream (default 30). */
  maxWaitSeconds?: number;
  /** How long KeyCheck keeps a verdict (default 60 s). */
  keyTtlMs?: number;
}

/** Every port of one reconcile as an in-memory fake, around the given streams. */
export const fakeReconcileWorld = (streams: FakeStreams, options: FakeReconcileOptions = {}) => {
  const keys = new FakeKeys({
    [KEY]: usableKeyFacts(KEY_ARN),
    [KEY_ARN]: usableKeyFacts(KEY_ARN),
    'alias/team': usableKeyFacts(TEAM_KEY_ARN),
    ...options.keys,
  });
  const ledger = new FakeLedger();
  const applications = new FakeKeyApplications();
  const confirmations = new FakeConfirmations();
  const reports = new FakeReports();
  const deps: ReconcileDependencies = {
    streams,
    keys,
    keyCheck: new KeyCheck(keys, { ttlMs: options.keyTtlMs ?? 60_000 }),
    keyIdSource: new FakeKeyIdSource(options.defaultKey ?? KEY),
    ledger,
    applications,
    confirmations,
    reports,
    policy: { ...ENFORCE_POLICY, ...options.policy },
    eventBusName: 'governance',
    probeAfterConfirm: false,
    maxWaitSeconds: options.maxWaitSeconds ?? 30,
    now: () => new Date('2026-12-01T08:00:02.000Z'),
    ...(options.writeGuard !== undefined && { writeGuard: options.writeGuard }),
  };
  return { deps, streams, keys, ledger, applications, confirmations, reports };
};
