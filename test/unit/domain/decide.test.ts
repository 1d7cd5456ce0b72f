import { type Action, decide, MAX_APPLY_ATTEMPTS, type Situation } from '../../../src/domain/decide';
import { InvalidKeyIdError, RetryableError } from '../../../src/domain/errors';
import {
  AccessDeniedError,
  KeyProblem,
  KeyUnusableError,
  LimitExceededError,
  RequestRejectedError,
  StreamBusyError,
  StreamNotFoundError,
  ThrottledError,
} from '../../../src/domain/failures';
import { KeyCheck, type KeyVerdict } from '../../../src/domain/keyCheck';
import { asDeploymentParameter, reasonText } from '../../../src/domain/reason';
import type { Policy } from '../../../src/domain/streamPolicy';
import type { StreamState } from '../../../src/domain/streamState';
import { asCliFlag } from '../../../src/report/cliSettingNames';
import { FakeKeys, usableKeyFacts } from '../../fakes/fakeKeys';
import { environmentNamesIn } from '../../helpers/environmentNames';

const KEY = 'alias/org-kinesis';
const ARN = 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders';
const usable: KeyVerdict = {
  usable: true,
  facts: usableKeyFacts('arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'),
};
const stream = (status: string, encryptionType = 'NONE', keyId?: string): StreamState => ({
  status,
  encryptionType,
  keyId,
});
const record = { eventId: 'e-1', streamArn: ARN, keyId: 'alias/rotated-from', appliedAt: '2026-12-01T08:00:00.000Z' };
/** A situation where the key is resolved and usable; each case adds what it is about. */
const known = (extra: Partial<Situation>): Situation => ({
  policy: POLICY,
  defaultKeyId: KEY,
  tags: {},
  applications: [],
  key: usable,
  canWait: true,
  applyAttempts: 0,
  ...extra,
});
/** Enforce, with exemption and key tags honoured (the defaults). */
const POLICY: Policy = {
  mode: 'enforce',
  overrideForeignKeys: false,
  iacGraceSeconds: 120,
  allowExemptions: true,
  allowKeyTags: true,
  keyBudgetReserve: 2,
  maxDriftRepairsPerDay: 3,
};
const cause = { cause: new Error('from the service') };
/** The SSM parameter names no KeyId: the default key cannot be resolved. */
const NO_DEFAULT_KEY = new InvalidKeyIdError('not a key', 'SSM parameter /org/key');

describe('decide', () => {
  /** Every situation of the tables below, for the reasons scan at the end. */
  const scanned: Situation[] = [];

  // docs/pipeline.md "What happens to a new stream": every row, plus the steps that read before deciding.
  const STEPS: [string, Situation, Partial<Action>][] = [
    ['nothing known yet', { policy: POLICY, canWait: true, applyAttempts: 0 }, { kind: 'ResolveKey' }],
    // No default key could be resolved: the stream is read all the same, and failed only if it needs a key.
    [
      'no default key, stream not read',
      known({ defaultKeyId: undefined, defaultKeyFailure: NO_DEFAULT_KEY, key: undefined }),
      { kind: 'ReadStream' },
    ],
    [
      'no default key, ACTIVE, NONE',
      known({ stream: stream('ACTIVE'), defaultKeyId: undefined, defaultKeyFailure: NO_DEFAULT_KEY, key: undefined }),
      {
        kind: 'Finish',
        outcome: 'Failed',
        reason: expect.stringMatching(/^No usable default KMS key: SSM parameter \/org\/key is not a valid KMS KeyId/),
        error: expect.objectContaining({ name: 'InvalidKeyIdError' }),
      },
    ],
    [
      'no default key, ACTIVE, exempt: none needed',
      known({
        stream: stream('ACTIVE'),
        tags: { 'kinesis-auto-encrypt:exempt': 'true' },
        defaultKeyId: undefined,
        defaultKeyFailure: NO_DEFAULT_KEY,
      }),
      { kind: 'Finish', outcome: 'Exempt' },
    ],
    [
      'no default key, DELETING: none needed',
      known({ stream: stream('DELETING'), defaultKeyId: undefined, defaultKeyFailure: NO_DEFAULT_KEY }),
      { kind: 'Finish', outcome: 'Skipped' },
    ],
    ['default key resolved, stream not read', known({ key: undefined }), { kind: 'ReadStream' }],
    ['ACTIVE, tags not read', known({ stream: stream('ACTIVE'), tags: undefined }), { kind: 'ReadTags' }],
    ['ACTIVE, key not checked', known({ stream: stream('ACTIVE'), key: undefined }), { kind: 'CheckKey', keyId: KEY }],
    ['CREATING with time left', known({ stream: stream('CREATING') }), { kind: 'Settle', status: 'CREATING' }],
    ['UPDATING with time left', known({ stream: stream('UPDATING') }), { kind: 'Settle', status: 'UPDATING' }],
    ['ACTIVE, NONE', known({ stream: stream('ACTIVE') }), { kind: 'Apply', keyId: KEY }],
    [
      'ACTIVE, KMS, keys not compared',
      known({ stream: stream('ACTIVE', 'KMS', 'alias/x') }),
      { kind: 'CompareKeys', streamKeyId: 'alias/x', keyId: KEY },
    ],
    [
      'ACTIVE, KMS, same key, ledger unread',
      known({ stream: stream('ACTIVE', 'KMS', KEY), keyMatches: true }),
      { kind: 'ReadLedger' },
    ],
    [
      'ACTIVE, KMS with the same key and no apply record',
      known({ stream: stream('ACTIVE', 'KMS', KEY), keyMatches: true, applied: null }),
      { kind: 'Finish', outcome: 'AlreadyCompliant', reason: `Stream already encrypted with ${KEY}; no call made` },
    ],
    [
      'ACTIVE, KMS with our key and an apply record (crash after apply): confirms the recorded key',
      known({ stream: stream('ACTIVE', 'KMS', KEY), keyMatches: true, applied: record }),
      { kind: 'Confirm', keyId: 'alias/rotated-from', appliedAt: record.appliedAt },
    ],
    [
      'ACTIVE, KMS with another key',
      known({ stream: stream('ACTIVE', 'KMS', 'alias/team'), keyMatches: false }),
      { kind: 'Finish', outcome: 'Skipped', reason: expect.stringContaining('another KMS key (alias/team)') },
    ],
    [
      'ACTIVE, KMS with another key, override configured',
      known({
        stream: stream('ACTIVE', 'KMS', 'alias/team'),
        keyMatches: false,
        policy: { ...POLICY, overrideForeignKeys: true },
      }),
      { kind: 'Apply', keyId: KEY },
    ],
    [
      'DELETING',
      known({ stream: stream('DELETING') }),
      { kind: 'Finish', outcome: 'Skipped', reason: 'Stream is being deleted' },
    ],
    [
      'not found',
      known({ stream: null }),
      { kind: 'Finish', outcome: 'Skipped', reason: expect.stringMatching(/^Stream not found/) },
    ],
    [
      'just applied',
      known({ stream: stream('ACTIVE'), appliedNow: { ...record, keyId: KEY } }),
      { kind: 'Confirm', keyId: KEY },
    ],
  ];
  scanned.push(...STEPS.map(([, situation]) => situation));
  it.each(STEPS)('%s', (_label, situation, expected) => {
    // Act
    const action = decide(situation);

    // Assess
    expect(action).toMatchObject(expected);
  });

  it.each([['CREATING'], ['UPDATING']])('never skips a %s stream: retries when no time is left', (status) => {
    // Act
    const action = decide(known({ stream: stream(status), canWait: false }));

    // Assess
    expect(action).toEqual({
      kind: 'Retry',
      reason: `Stream still ${status} after waiting; the event will be retried`,
    });
  });

  it('retries a stream in a status Kinesis does not document', () => {
    expect(decide(known({ stream: stream('MIGRATING') }))).toMatchObject({ kind: 'Retry' });
  });

  it(`stops applying after ${MAX_APPLY_ATTEMPTS} attempts in one invocation`, () => {
    // Act
    const action = decide(known({ stream: stream('ACTIVE'), applyAttempts: MAX_APPLY_ATTEMPTS }));

    // Assess
    expect(action).toMatchObject({ kind: 'Retry', reason: expect.stringMatching(/stayed busy/) });
  });

  it('fails without applying when the key is unusable', () => {
    // Prepare
    const key: KeyVerdict = {
      usable: false,
      reason: 'KMS key alias/org-kinesis is disabled',
      error: { name: 'KeyNotUsable', message: 'x' },
    };

    // Act
    const action = decide(known({ key, stream: stream('ACTIVE') }));

    // Assess
    expect(action).toEqual({
      kind: 'Finish',
      outcome: 'Failed',
      reason: key.reason,
      error: key.error,
      invalidateKey: false,
    });
  });

  // docs/pipeline.md "Failure outcomes": what each failure of the last step leads to.
  const FAILURES: [string, Error, Partial<Action>][] = [
    ['stream busy (ResourceInUse)', new StreamBusyError(ARN, cause), { kind: 'ReadStream' }],
    ['stream gone during apply', new StreamNotFoundError(ARN, cause), { kind: 'Finish', outcome: 'Skipped' }],
    [
      'key disabled during apply',
      new KeyUnusableError(KEY, KeyProblem.Disabled, 'KMS key is disabled', { code: 'KMSDisabledException' }),
      {
        kind: 'Finish',
        outcome: 'Failed',
        invalidateKey: true,
        error: { name: 'KMSDisabledException', message: 'KMS key is disabled' },
      },
    ],
    [
      'invalid argument',
      new RequestRejectedError('Kinesis rejected StartStreamEncryption'),
      { kind: 'Finish', outcome: 'Failed', invalidateKey: false },
    ],
    [
      'limit exceeded',
      new LimitExceededError('Kinesis limit reached'),
      { kind: 'Finish', outcome: 'Failed', reason: 'Kinesis limit reached' },
    ],
    [
      'access denied',
      new AccessDeniedError('kinesis:StartStreamEncryption', ARN),
      { kind: 'Finish', outcome: 'Failed', reason: expect.stringContaining('kinesis:StartStreamEncryption') },
    ],
    ['throttled', new ThrottledError('StartStreamEncryption'), { kind: 'Retry' }],
    ['service error', new RetryableError('5xx'), { kind: 'Retry', reason: '5xx' }],
  ];
  scanned.push(
    ...FAILURES.map(([, failure]) =>
      known({ stream: stream('ACTIVE'), applyAttempts: 1, failure: failure as KeyUnusableError })
    )
  );
  it.each(FAILURES)('after a failed step: %s', (_label, failure, expected) => {
    // Act
    const action = decide(known({ stream: stream('ACTIVE'), applyAttempts: 1, failure: failure as KeyUnusableError }));

    // Assess
    expect(action).toMatchObject(expected);
  });

  it.each<[string, Partial<Situation>, Partial<Action>]>([
    ['before the stream is read: reads it all the same', {}, { kind: 'ReadStream' }],
    [
      'once the stream is read: fails with the cause',
      { stream: stream('ACTIVE') },
      { kind: 'Finish', outcome: 'Failed', reason: expect.stringMatching(/^No usable default KMS key: SSM parameter/) },
    ],
  ])('when no default key can be resolved, %s', (_label, extra, expected) => {
    // Act
    const action = decide({
      policy: POLICY,
      canWait: true,
      applyAttempts: 0,
      failure: NO_DEFAULT_KEY,
      failedStep: 'ResolveKey',
      ...extra,
    });

    // Assess
    expect(action).toMatchObject(expected);
  });

  // Terraform's aws_kinesis_stream, CloudFormation's AWS::Kinesis::Stream StreamEncryption and CDK create the
  // stream, wait for ACTIVE, then call StartStreamEncryption themselves (issue 10, item 3).
  const IAC: [string, Partial<Situation>, Partial<Action>][] = [
    [
      'IaC-created, ACTIVE, NONE: leaves it to the engine first',
      { stream: stream('ACTIVE'), iacEngine: 'Terraform' },
      { kind: 'Grace', seconds: 120, engine: 'Terraform' },
    ],
    [
      'IaC-created, still NONE after the grace: applies',
      { stream: stream('ACTIVE'), iacEngine: 'Terraform', graceWaited: true },
      { kind: 'Apply', keyId: KEY },
    ],
    [
      'IaC-created, the engine applied its own key',
      {
        stream: stream('ACTIVE', 'KMS', 'alias/team-analytics'),
        iacEngine: 'Terraform',
        graceWaited: true,
        keyMatches: false,
      },
      {
        kind: 'Finish',
        outcome: 'Skipped',
        reason: expect.stringMatching(
          /^Its owner \(Terraform\) encrypted the stream with its own KMS key \(alias\/team-analytics\)/
        ),
      },
    ],
    [
      'IaC-created, the engine applied the desired key',
      {
        stream: stream('ACTIVE', 'KMS', KEY),
        iacEngine: 'CloudFormation',
        graceWaited: true,
        keyMatches: true,
        applied: null,
      },
      { kind: 'Finish', outcome: 'AlreadyCompliant', reason: expect.stringContaining('by its owner (CloudFormation)') },
    ],
    [
      'IaC-created, grace disabled',
      { stream: stream('ACTIVE'), iacEngine: 'Terraform', policy: { ...POLICY, iacGraceSeconds: 0 } },
      { kind: 'Apply' },
    ],
    ['created by a person: applies at once', { stream: stream('ACTIVE') }, { kind: 'Apply' }],
  ];
  scanned.push(...IAC.map(([, extra]) => known(extra)));
  it.each(IAC)('%s', (_label, extra, expected) => {
    expect(decide(known(extra))).toMatchObject(expected);
  });

  it.each([
    ['the same stream (created 0.4 s after the whole-second eventTime)', '2026-12-01T08:00:00.400Z', 'Apply'],
    ['the same stream, slow creation', '2026-12-01T08:00:09.000Z', 'Apply'],
    ['a stream created again later', '2026-12-01T08:05:00.000Z', 'Finish'],
  ])('compares the trigger with the stream read: %s', (_label, createdAt, kind) => {
    // Act
    const action = decide(known({ stream: { ...stream('ACTIVE'), createdAt }, triggerTime: '2026-12-01T08:00:00Z' }));

    // Assess
    expect(action.kind).toBe(kind);
  });

  // Issue 11 policy: tags and mode, each with its reason.
  const EXEMPT = { 'kinesis-auto-encrypt:exempt': 'true', 'kinesis-auto-encrypt:exempt-reason': 'legacy' };
  const TEAM = { 'kinesis-auto-encrypt:key': 'alias/team' };
  const POLICIES: [string, Partial<Situation>, Partial<Action>][] = [
    [
      'exempt by tag',
      { stream: stream('ACTIVE'), tags: EXEMPT },
      {
        kind: 'Finish',
        outcome: 'Exempt',
        reason: expect.stringContaining('(kinesis-auto-encrypt:exempt-reason: legacy)'),
      },
    ],
    [
      'exempt tag, exemptions not allowed',
      { stream: stream('ACTIVE'), tags: EXEMPT, policy: { ...POLICY, allowExemptions: false } },
      { kind: 'Apply', keyId: KEY },
    ],
    [
      'exempt tag "TRUE"',
      { stream: stream('ACTIVE'), tags: { 'kinesis-auto-encrypt:exempt': 'TRUE' } },
      { kind: 'Finish', outcome: 'Exempt' },
    ],
    [
      'exempt tag "false"',
      { stream: stream('ACTIVE'), tags: { 'kinesis-auto-encrypt:exempt': 'false' } },
      { kind: 'Apply' },
    ],
    [
      'key tag, key not checked',
      { stream: stream('ACTIVE'), tags: TEAM, key: undefined },
      { kind: 'CheckKey', keyId: 'alias/team' },
    ],
    ['key tag, unencrypted', { stream: stream('ACTIVE'), tags: TEAM }, { kind: 'Apply', keyId: 'alias/team' }],
    [
      'key tag, on another key: re-keyed without override',
      { stream: stream('ACTIVE', 'KMS', 'alias/old'), tags: TEAM, keyMatches: false },
      { kind: 'Apply', keyId: 'alias/team' },
    ],
    [
      'key tag, already on it',
      { stream: stream('ACTIVE', 'KMS', 'alias/team'), tags: TEAM, keyMatches: true, applied: null },
      { kind: 'Finish', outcome: 'AlreadyCompliant' },
    ],
    [
      'key tags not allowed',
      { stream: stream('ACTIVE'), tags: TEAM, policy: { ...POLICY, allowKeyTags: false } },
      { kind: 'Apply', keyId: KEY },
    ],
    [
      'key tag that is no KeyId',
      { stream: stream('ACTIVE'), tags: { 'kinesis-auto-encrypt:key': 'my key' } },
      {
        kind: 'Finish',
        outcome: 'Failed',
        reason: expect.stringMatching(/^Tag kinesis-auto-encrypt:key is not a valid KMS KeyId: "my key"/),
        error: expect.objectContaining({ name: 'InvalidKeyTag' }),
      },
    ],
    [
      'key tag naming an unusable key',
      {
        stream: stream('ACTIVE'),
        tags: TEAM,
        key: {
          usable: false,
          reason: 'KMS key alias/team does not exist; not applied',
          error: { name: 'NotFoundException', message: 'x' },
        },
      },
      {
        kind: 'Finish',
        outcome: 'Failed',
        reason: 'Tag kinesis-auto-encrypt:key: KMS key alias/team does not exist; not applied',
      },
    ],
    [
      'audit, unencrypted',
      { stream: stream('ACTIVE'), policy: { ...POLICY, mode: 'audit' } },
      {
        kind: 'Finish',
        outcome: 'NonCompliant',
        reason: 'Stream is EncryptionType NONE; alias/org-kinesis would be applied; nothing changed',
        decidedBy: { setting: 'mode', value: 'audit' },
      },
    ],
    [
      'audit, key tag',
      { stream: stream('ACTIVE'), tags: TEAM, policy: { ...POLICY, mode: 'audit' } },
      {
        kind: 'Finish',
        outcome: 'NonCompliant',
        reason: expect.stringContaining('alias/team (from tag kinesis-auto-encrypt:key) would be applied'),
      },
    ],
    [
      'audit, another key with override',
      {
        stream: stream('ACTIVE', 'KMS', 'alias/old'),
        keyMatches: false,
        policy: { ...POLICY, mode: 'audit', overrideForeignKeys: true },
      },
      { kind: 'Finish', outcome: 'NonCompliant' },
    ],
    [
      'audit, compliant',
      { stream: stream('ACTIVE', 'KMS', KEY), keyMatches: true, applied: null, policy: { ...POLICY, mode: 'audit' } },
      { kind: 'Finish', outcome: 'AlreadyCompliant' },
    ],
    [
      'audit, exempt',
      { stream: stream('ACTIVE'), tags: EXEMPT, policy: { ...POLICY, mode: 'audit' } },
      { kind: 'Finish', outcome: 'Exempt' },
    ],
  ];
  scanned.push(...POLICIES.map(([, extra]) => known(extra)));
  it.each(POLICIES)('policy: %s', (_label, extra, expected) => {
    expect(decide(known(extra))).toMatchObject(expected);
  });

  // Kinesis: 25 new keys per stream per rolling 24 h (StartStreamEncryption "API Limits"); reserve 2.
  const NOW = new Date('2026-12-01T12:00:00.000Z');
  const applied = (count: number, hoursAgo = 1) =>
    Array.from({ length: count }, (_, index) => ({
      at: new Date(NOW.getTime() - hoursAgo * 3_600_000 - index * 1000).toISOString(),
      keyId: KEY,
      eventId: `e-${index}`,
      by: 'pipeline',
    }));
  const BUDGETS: [string, Partial<Situation>, string][] = [
    ['applications not read', { applications: undefined }, 'ReadApplications'],
    ['22 used: 3 left, more than the reserve', { applications: applied(22) }, 'Apply'],
    ['23 used: 2 left, only the reserve', { applications: applied(23) }, 'Finish'],
    ['24 used', { applications: applied(24) }, 'Finish'],
    ['25 used', { applications: applied(25) }, 'Finish'],
    ['25 used, all older than 24 h', { applications: applied(25, 25) }, 'Apply'],
    ['the same event counted once', { applications: [...applied(22), ...applied(1)] }, 'Apply'],
    [
      'reserve 0: the last one may be spent',
      { applications: applied(24), policy: { ...POLICY, keyBudgetReserve: 0 } },
      'Apply',
    ],
  ];
  scanned.push(...BUDGETS.map(([, extra]) => known({ stream: stream('ACTIVE'), now: NOW, ...extra })));
  it.each(BUDGETS)('key budget: %s', (_label, extra, kind) => {
    // Act
    const action = decide(known({ stream: stream('ACTIVE'), now: NOW, ...extra }));

    // Assess
    expect(action.kind).toBe(kind);
    if (kind === 'Finish') {
      expect(action).toMatchObject({
        outcome: 'Failed',
        error: { name: 'KeyBudgetReserved' },
        reason: expect.stringContaining('frees up at 2026-12-02T10:59'),
      });
    }
  });

  // The flapping breaker (issue 11): a stream decrypted again and again is repaired a bounded number of times.
  const repairs = (count: number) =>
    Array.from({ length: count }, (_, index) => ({
      at: new Date(NOW.getTime() - (index + 1) * 600_000).toISOString(),
      keyId: KEY,
      eventId: `stop-${index}`,
      by: 'pipeline',
      trigger: 'StopStreamEncryption',
      actor: 'arn:aws:iam::123456789012:user/mallory',
    }));
  const FLAPPING: [string, Partial<Situation>, string][] = [
    ['2 repairs, decrypted again', { applications: repairs(2), trigger: 'StopStreamEncryption' }, 'Apply'],
    ['3 repairs, decrypted again', { applications: repairs(3), trigger: 'StopStreamEncryption' }, 'Finish'],
    ['3 repairs, but a CreateStream', { applications: repairs(3), trigger: 'CreateStream' }, 'Apply'],
    [
      '3 repairs, the breaker at 4',
      { applications: repairs(3), trigger: 'StopStreamEncryption', policy: { ...POLICY, maxDriftRepairsPerDay: 4 } },
      'Apply',
    ],
  ];
  scanned.push(
    ...FLAPPING.map(([, extra]) =>
      known({ stream: stream('ACTIVE'), now: NOW, actor: 'arn:aws:iam::123456789012:user/mallory', ...extra })
    )
  );
  it.each(FLAPPING)('flapping: %s', (_label, extra, kind) => {
    // Act
    const action = decide(
      known({ stream: stream('ACTIVE'), now: NOW, actor: 'arn:aws:iam::123456789012:user/mallory', ...extra })
    );

    // Assess
    expect(action.kind).toBe(kind);
    if (kind === 'Finish') {
      expect(action).toMatchObject({
        outcome: 'Failed',
        error: { name: 'Flapping' },
        reason: expect.stringMatching(
          /^flapping: decrypted again after 3 repairs in the last 24 h; .*last decrypted by arn:aws:iam::123456789012:user\/mallory$/
        ),
        decidedBy: { setting: 'maxDriftRepairsPerDay', value: 3 },
      });
    }
  });

  it('is pure: the same situation always gives the same action and is not changed', () => {
    // Prepare
    const situation = known({ stream: stream('ACTIVE', 'KMS', KEY), keyMatches: true, applied: null });
    const copy = structuredClone(situation);

    // Act
    const first = decide(situation);
    const second = decide(situation);

    // Assess
    expect(second).toEqual(first);
    expect(situation).toEqual(copy);
  });

  // Issue 20, item 10: a reason names the setting that decided, never the environment variable behind it.
  it('gives no reason that names an environment variable, over every situation of the tables', async () => {
    // Prepare: the tables, the single cases above, and a key policy refused by the real pre-flight (enforce).
    const deployment = { partition: 'aws', region: 'eu-west-1', account: '123456789012' };
    const policyRefused = await new KeyCheck(new FakeKeys({ [KEY]: usable.facts }), {
      ttlMs: 0,
      policies: {
        port: {
          policyOf: async () => () => ({ usable: false, reason: 'no statement lets account 123456789012 use it' }),
        },
        deployment,
        mode: 'enforce',
      },
    }).check(KEY, { ...deployment, streamArn: ARN });
    const situations = [
      ...scanned,
      known({ stream: stream('ACTIVE'), key: policyRefused }),
      known({ stream: stream('ACTIVE', 'KMS', 'alias/team'), keyMatches: false, iacEngine: 'Terraform' }),
      known({ stream: stream('ACTIVE'), canWait: false, applyAttempts: MAX_APPLY_ATTEMPTS }),
    ];

    // Act: each reason as the domain returns it, as the pipeline renders it and as the CLI renders it.
    const actions = situations.map((situation) => decide(situation));
    const reasons = actions.flatMap((action) => {
      if (action.kind === 'Retry') return [action.reason];
      if (action.kind !== 'Finish') return [];
      const { reason, decidedBy } = action;
      return [reason, reasonText(reason, decidedBy, asDeploymentParameter), reasonText(reason, decidedBy, asCliFlag)];
    });
    const leaks = reasons.filter((reason) => environmentNamesIn(reason).length > 0);
    const settings = actions.flatMap((action) =>
      action.kind === 'Finish' && action.decidedBy !== undefined ? [action.decidedBy.setting] : []
    );

    // Assess: every setting that decides is named somewhere in the table, and never by its environment variable.
    expect(reasons.length).toBeGreaterThanOrEqual(60);
    expect(policyRefused).toMatchObject({ usable: false, error: { name: 'KeyPolicyDenies' } });
    expect(new Set(settings)).toEqual(
      new Set(['mode', 'overrideForeignKeys', 'keyPolicyCheck', 'keyBudgetReserve', 'maxDriftRepairsPerDay'])
    );
    expect(leaks).toEqual([]);
  });
});
