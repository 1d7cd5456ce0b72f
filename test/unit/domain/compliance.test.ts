import { completionFor } from '../../../src/completion/completionFor';
import { ConfigurationError } from '../../../src/domain/errors';
import { AccessDeniedError, KeyProblem, KeyUnusableError } from '../../../src/domain/failures';
import type { KeyFacts } from '../../../src/domain/keyCheck';
import { reconcile } from '../../../src/domain/reconcile';
import type { Policy } from '../../../src/domain/streamPolicy';
import type { StreamState } from '../../../src/domain/streamState';
import { usableKeyFacts } from '../../fakes/fakeKeys';
import { fakeReconcileWorld, ORDERS_REQUEST } from '../../fakes/fakeReconcileWorld';
import { FakeStreams } from '../../fakes/fakeStreams';

const KEY = 'alias/org-kinesis';
const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const TEAM_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/ffffffff-12ab-34cd-56ef-1234567890ab';
const request = ORDERS_REQUEST;
const POLICY: Partial<Policy> = { iacGraceSeconds: 0 };
const NONE: StreamState = { status: 'ACTIVE', encryptionType: 'NONE', keyId: undefined };
const ON_KEY: StreamState = { status: 'ACTIVE', encryptionType: 'KMS', keyId: KEY };
const ON_TEAM_KEY: StreamState = { status: 'ACTIVE', encryptionType: 'KMS', keyId: 'alias/team' };
const disabled: KeyFacts = { ...usableKeyFacts(KEY_ARN), keyState: 'Disabled', enabled: false };
const missing = new KeyUnusableError(KEY, KeyProblem.NotFound, `Alias ${KEY} is not found`);
const EXEMPT = { 'kinesis-auto-encrypt:exempt': 'true' };

interface Case {
  read: StreamState | undefined | Error;
  desiredKey?: KeyFacts | Error;
  keyIdSource?: Error;
  policy?: Partial<Policy>;
  tags?: Record<string, string>;
}

/** Ports of one reconcile of `orders`, every one an in-memory fake. */
const world = ({ read, desiredKey = usableKeyFacts(KEY_ARN), keyIdSource, policy, tags }: Case) =>
  fakeReconcileWorld(new FakeStreams([read], [], tags ?? {}), {
    keys: { [KEY]: desiredKey, 'alias/team': usableKeyFacts(TEAM_ARN) },
    defaultKey: keyIdSource ?? KEY,
    policy: { ...POLICY, ...policy },
    maxWaitSeconds: 0,
    keyTtlMs: 0,
  });

/** One reconcile of `orders` on fakes; returns its report and the completion detail it published. */
const reconciled = async (situation: Case) => {
  const { deps, reports } = world(situation);
  await reconcile(request, deps);
  const [report] = reports.reports;
  if (report === undefined) throw new Error('no report');
  return { report, detail: completionFor(report) };
};

describe('compliance: a fact about the stream, apart from the outcome', () => {
  // Issue 20, item 6: a key problem never turns an unencrypted stream into anything but NonCompliant + Failed.
  it.each<[string, Case]>([
    ['is disabled', { read: NONE, desiredKey: disabled }],
    ['does not exist', { read: NONE, desiredKey: missing }],
    [
      'cannot be resolved (no default key)',
      { read: NONE, keyIdSource: new ConfigurationError('SSM parameter /org/key not found') },
    ],
  ])(
    'an unencrypted stream whose desired key %s: compliance NonCompliant, outcome Failed',
    async (_label, situation) => {
      // Act
      const { report, detail } = await reconciled(situation);

      // Assess
      expect(report).toMatchObject({ outcome: 'Failed', compliance: 'NonCompliant' });
      expect(detail).toMatchObject({ outcome: 'Failed', compliance: 'NonCompliant' });
    }
  );

  const CASES: { label: string; situation: Case; outcome: string; compliance: string }[] = [
    { label: 'on the desired key', situation: { read: ON_KEY }, outcome: 'AlreadyCompliant', compliance: 'Compliant' },
    {
      label: "on a team's own key, left alone",
      situation: { read: ON_TEAM_KEY },
      outcome: 'Skipped',
      compliance: 'Compliant',
    },
    {
      label: "on a team's own key, the desired key disabled",
      situation: { read: ON_TEAM_KEY, desiredKey: disabled },
      outcome: 'Failed',
      compliance: 'Compliant',
    },
    {
      label: "on a team's own key, foreign keys overridden (audit)",
      situation: { read: ON_TEAM_KEY, policy: { mode: 'audit', overrideForeignKeys: true } },
      outcome: 'NonCompliant',
      compliance: 'NonCompliant',
    },
    {
      label: 'unencrypted (audit)',
      situation: { read: NONE, policy: { mode: 'audit' } },
      outcome: 'NonCompliant',
      compliance: 'NonCompliant',
    },
    {
      label: 'unencrypted, exempt by tag',
      situation: { read: NONE, tags: EXEMPT },
      outcome: 'Exempt',
      compliance: 'Exempt',
    },
    { label: 'gone', situation: { read: undefined }, outcome: 'Skipped', compliance: 'NotChecked' },
    {
      label: 'being deleted',
      situation: { read: { status: 'DELETING', encryptionType: 'NONE', keyId: undefined } },
      outcome: 'Skipped',
      compliance: 'NotChecked',
    },
    {
      label: 'not readable',
      situation: { read: new AccessDeniedError('kinesis:DescribeStreamSummary', request.streamArn) },
      outcome: 'Failed',
      compliance: 'NotChecked',
    },
  ];
  it.each(CASES)(
    'a stream $label: outcome $outcome, compliance $compliance',
    async ({ situation, outcome, compliance }) => {
      // Act
      const { report, detail } = await reconciled(situation);

      // Assess
      expect(report).toMatchObject({ outcome, compliance });
      expect(detail).toMatchObject({ outcome, compliance });
    }
  );

  // The state machine publishes Skipped when the stream's owner applies another key after ours: the Lambda tells it
  // whether the policy accepts that key.
  it.each<[string, Partial<Policy>, Record<string, string>, string]>([
    ['default key, foreign keys left alone', {}, {}, 'Compliant'],
    ['default key, foreign keys overridden', { overrideForeignKeys: true }, {}, 'NonCompliant'],
    ['key from the key tag', {}, { 'kinesis-auto-encrypt:key': 'alias/team' }, 'NonCompliant'],
  ])('hands the confirmation what another key would be: %s → %s', async (_label, policy, tags, expected) => {
    // Prepare
    const { deps, confirmations } = world({ read: NONE, policy, tags });

    // Act
    const result = await reconcile(request, deps);

    // Assess
    expect(result).toMatchObject({ outcome: 'Confirming', compliance: 'NonCompliant' });
    expect(confirmations.started.get(request.eventId)).toMatchObject({ otherKeyCompliance: expected });
  });
});
