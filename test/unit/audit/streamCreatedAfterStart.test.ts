import { checkStream } from '../../../src/audit/checkStream';
import { runLedgers } from '../../../src/audit/runLedgers';
import { type PipelineDependencies, sweepCheck } from '../../../src/sweep/sweepCheck';
import { FakeConfirmations } from '../../fakes/fakeConfirmations';
import { FakeKeyApplications } from '../../fakes/fakeKeyApplications';
import { FakeKeyIdSource } from '../../fakes/fakeKeyIdSource';
import { FakeLedger } from '../../fakes/fakeLedger';
import { FakeReports } from '../../fakes/fakeReports';
import { FakeClock, FakeSweepAccount } from '../../fakes/fakeSweepAccount';

const KEY = 'alias/aws/kinesis';
const POLICY = {
  overrideForeignKeys: false,
  iacGraceSeconds: 0,
  allowExemptions: true,
  allowKeyTags: true,
  keyBudgetReserve: 2,
  maxDriftRepairsPerDay: 3,
};

const pipeline = (): PipelineDependencies => ({
  keyIdSource: new FakeKeyIdSource(KEY),
  ledger: new FakeLedger(),
  applications: new FakeKeyApplications(),
  confirmations: new FakeConfirmations(),
  reports: new FakeReports(),
  policy: { ...POLICY, mode: 'enforce' },
  eventBusName: 'default',
  probeAfterConfirm: false,
});

/** How each run checks one stream: the deployed sweep's step, or the CLI's `sweep`. */
const RUNS = [
  [
    'the deployed sweep',
    'Confirming',
    (account: FakeSweepAccount, startedAt: string) => async (stream: { name: string; arn: string }) =>
      sweepCheck((await account.listed()).target, stream, {
        sweepId: 'sweep-1',
        startedAt,
        pipeline: pipeline(),
        maxWaitSeconds: 0,
        signal: new AbortController().signal,
      }),
  ],
  [
    'the CLI sweep',
    'Encrypted',
    (account: FakeSweepAccount, startedAt: string) => async (stream: { name: string; arn: string }) =>
      checkStream((await account.listed()).target, stream, {
        command: 'sweep',
        sweepId: 'sweep-1',
        startedAt,
        keyIdSource: new FakeKeyIdSource(KEY),
        policy: { ...POLICY, mode: 'audit' },
        ...runLedgers(),
        maxWaitSeconds: 0,
        confirmTimeoutSeconds: 10,
        signal: new AbortController().signal,
      }),
  ],
] as const;

describe('a sweep or CLI request is about the stream as it is now (Superseded is for CloudTrail triggers only)', () => {
  it.each(RUNS)('%s checks and fixes a stream created after it began', async (_run, outcome, checkerOf) => {
    // Prepare
    const clock = new FakeClock();
    const startedAt = new Date(clock.now()).toISOString();
    const fiveMinutesLater = new Date(clock.now() + 300_000).toISOString();
    const account = new FakeSweepAccount('111111111111', 'us-east-1', 1, {
      clock,
      describePerSecond: 10,
      createdAt: () => fiveMinutesLater,
    });
    const stream = { name: 'stream-00000', arn: account.arnOf('stream-00000') };

    // Act
    const row = await checkerOf(account, startedAt)(stream);

    // Assess
    expect(row).toMatchObject({ outcome, createdAt: fiveMinutesLater });
    expect(account.appliedKeys).toEqual([KEY]);
  });
});
