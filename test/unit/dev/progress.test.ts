import type { CompletionDetail } from '../../../src/completion/completionDetail';
import { formatMetricTotals } from '../../../tools/dev/metricTotals';
import { callerName, completionLine, metricsLine, stageLine, triggerText } from '../../../tools/dev/progress';

// The console is plain text here: jest's stdout is not a TTY (tools/dev/progress.ts colours only a TTY).

type LineFields = Parameters<typeof completionLine>[1];

const START = Date.parse('2026-12-07T10:00:00Z');
const AT_12_3_S = START + 12_345;

const encrypted: LineFields = {
  outcome: 'Encrypted',
  trigger: 'CreateStream',
  actor: null,
  account: '111111111111',
  region: 'us-east-1',
  streamName: 'orders',
  reason: 'Stream encrypted with alias/kinesis-auto-encrypt and confirmed',
  timeToEncryptedMs: 4_900,
  exposureMs: 9_900,
};

describe('callerName (who made the call, from the completion detail actor)', () => {
  it.each([
    { actor: 'arn:aws:iam::333333333333:user/alice', account: '333333333333', expected: 'user/alice' },
    {
      actor: 'arn:aws:sts::333333333333:assumed-role/Admin/alice',
      account: '333333333333',
      expected: 'assumed-role/Admin/alice',
    },
    {
      actor: 'arn:aws-us-gov:sts::333333333333:assumed-role/Admin/alice',
      account: '333333333333',
      expected: 'assumed-role/Admin/alice',
    },
    // Another account's caller (an organisation's admin): the whole ARN, so the account shows.
    {
      actor: 'arn:aws:sts::999999999999:assumed-role/OrgAdmin/bob',
      account: '333333333333',
      expected: 'arn:aws:sts::999999999999:assumed-role/OrgAdmin/bob',
    },
    { actor: 'arn:aws:iam::333333333333:root', account: '333333333333', expected: 'root' },
    { actor: 'not-an-arn', account: '333333333333', expected: 'not-an-arn' },
    { actor: null, account: '333333333333', expected: null },
  ])('$actor in $account → $expected', ({ actor, account, expected }) => {
    // Act
    const name = callerName(actor, account);

    // Assess
    expect(name).toBe(expected);
  });
});

describe('triggerText (what made the pipeline look, and whether it was a repair)', () => {
  const alice = 'arn:aws:iam::111111111111:user/alice';
  it.each<{
    outcome: CompletionDetail['outcome'];
    trigger: CompletionDetail['trigger'];
    actor: string | null;
    expected: string;
  }>([
    { outcome: 'Encrypted', trigger: 'CreateStream', actor: null, expected: 'new stream (CreateStream)' },
    {
      outcome: 'Encrypted',
      trigger: 'StopStreamEncryption',
      actor: alice,
      expected: 'repaired: decrypted by user/alice (StopStreamEncryption)',
    },
    // Not repaired (flapping, key budget, audit mode): who decrypted, without "repaired".
    {
      outcome: 'Failed',
      trigger: 'StopStreamEncryption',
      actor: alice,
      expected: 'decrypted by user/alice (StopStreamEncryption)',
    },
    {
      outcome: 'NonCompliant',
      trigger: 'StopStreamEncryption',
      actor: alice,
      expected: 'decrypted by user/alice (StopStreamEncryption)',
    },
    {
      outcome: 'Encrypted',
      trigger: 'StartStreamEncryption',
      actor: alice,
      expected: 'repaired: key changed by user/alice (StartStreamEncryption)',
    },
    {
      outcome: 'AlreadyCompliant',
      trigger: 'StartStreamEncryption',
      actor: alice,
      expected: 'key applied by user/alice (StartStreamEncryption)',
    },
    {
      outcome: 'Encrypted',
      trigger: 'StopStreamEncryption',
      actor: null,
      expected: 'repaired: decrypted (StopStreamEncryption)',
    },
    {
      outcome: 'Encrypted',
      trigger: 'TagsChanged',
      actor: alice,
      expected: 'tags changed by user/alice (TagsChanged)',
    },
    { outcome: 'Encrypted', trigger: 'Sweep', actor: null, expected: 'sweep (Sweep)' },
    { outcome: 'Rejected', trigger: null, actor: null, expected: 'no trigger' },
  ])('$outcome after $trigger by $actor → $expected', ({ outcome, trigger, actor, expected }) => {
    // Act
    const text = triggerText({ outcome, trigger, actor, account: '111111111111' });

    // Assess
    expect(text).toBe(expected);
  });
});

describe('completionLine (one completion event, as the console prints it)', () => {
  it.each<{ name: string; fields: Partial<LineFields>; expected: string }>([
    {
      name: 'a new stream encrypted',
      fields: {},
      expected:
        '[+ 12.3s] ● Encrypted         111111111111/us-east-1 orders  new stream (CreateStream) · time-to-encrypted 4.9 s · exposure 9.9 s',
    },
    {
      name: 'a drift repair: says so, and who decrypted',
      fields: {
        trigger: 'StopStreamEncryption',
        actor: 'arn:aws:iam::111111111111:user/local',
        timeToEncryptedMs: 5_900,
        exposureMs: 10_900,
      },
      expected:
        '[+ 12.3s] ● Encrypted         111111111111/us-east-1 orders  repaired: decrypted by user/local (StopStreamEncryption) · time-to-encrypted 5.9 s · exposure 10.9 s',
    },
    {
      name: 'an outcome other than Encrypted: its reason',
      fields: {
        outcome: 'Exempt',
        reason: 'Exempt by tag kinesis-auto-encrypt:exempt=true',
        timeToEncryptedMs: null,
        exposureMs: null,
      },
      expected:
        '[+ 12.3s] ● Exempt            111111111111/us-east-1 orders  new stream (CreateStream) — Exempt by tag kinesis-auto-encrypt:exempt=true',
    },
    {
      name: 'already compliant after the owner applied the key',
      fields: {
        outcome: 'AlreadyCompliant',
        trigger: 'StartStreamEncryption',
        actor: 'arn:aws:iam::111111111111:user/local',
        reason: 'Stream already encrypted with alias/kinesis-auto-encrypt; no call made',
        exposureMs: null,
      },
      expected:
        '[+ 12.3s] ● AlreadyCompliant  111111111111/us-east-1 orders  key applied by user/local (StartStreamEncryption) · time-to-encrypted 4.9 s — Stream already encrypted with alias/kinesis-auto-encrypt; no call made',
    },
  ])('$name', ({ fields, expected }) => {
    // Act
    const line = completionLine(START, { ...encrypted, ...fields }, AT_12_3_S);

    // Assess
    expect(line).toBe(expected);
  });

  it('starts with the same time column as a stage line', () => {
    // Prepare
    const stage = stageLine(START, '111111111111/us-east-1 orders', 'CREATING', AT_12_3_S);

    // Act
    const line = completionLine(START, encrypted, AT_12_3_S);

    // Assess
    expect(line.slice(0, 10)).toBe(stage.slice(0, 10));
  });
});

describe('metric totals (the summary line and the once-a-minute line)', () => {
  it.each<{ name: string; totals: Record<string, number>; expected: string }>([
    { name: 'none yet', totals: {}, expected: 'no metrics yet' },
    {
      name: 'counts in MetricName order, durations as their maximum in seconds',
      totals: { ColdStart: 9, ExposureSeconds: 36.82, Encrypted: 6, TimeToEncrypted: 31_751, DriftRepaired: 1 },
      expected: 'Encrypted 6 · TimeToEncrypted max 31.8 s · ExposureSeconds max 36.8 s · DriftRepaired 1 · ColdStart 9',
    },
    {
      name: 'a sub-second time to encrypted',
      totals: { AlreadyCompliant: 2, TimeToEncrypted: 450 },
      expected: 'AlreadyCompliant 2 · TimeToEncrypted max 0.5 s',
    },
  ])('$name', ({ totals, expected }) => {
    // Act
    const text = formatMetricTotals(totals);

    // Assess
    expect(text).toBe(expected);
  });

  it('prints the once-a-minute line with the time column of every other line', () => {
    // Act
    const line = metricsLine(START, { Encrypted: 6, TimeToEncrypted: 4_900 }, START + 61_000);

    // Assess
    expect(line).toBe('[+ 61.0s] metrics: Encrypted 6 · TimeToEncrypted max 4.9 s');
  });
});
