import { runSweepStep } from '../../../src/sweep/runSweepStep';
import { type PipelineDependencies, sweepCheck } from '../../../src/sweep/sweepCheck';
import { newSweepState, type SweepState } from '../../../src/sweep/sweepState';
import { FakeConfirmations } from '../../fakes/fakeConfirmations';
import { FakeKeyApplications } from '../../fakes/fakeKeyApplications';
import { FakeKeyIdSource } from '../../fakes/fakeKeyIdSource';
import { FakeLedger } from '../../fakes/fakeLedger';
import { FakeReports } from '../../fakes/fakeReports';
import { FakeClock, FakeSweepAccount } from '../../fakes/fakeSweepAccount';

/** Lambda's longest timeout: "900 seconds (15 minutes)" (https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html). */
const LAMBDA_TIMEOUT_MS = 900_000;
/** What the sweep handler keeps free at the end of a step (in-flight checks, state and report writes). */
const STEP_MARGIN_MS = 120_000;

const pipelineOf = (mode: 'enforce' | 'audit') => {
  const confirmations = new FakeConfirmations();
  const reports = new FakeReports();
  const pipeline: PipelineDependencies = {
    keyIdSource: new FakeKeyIdSource('alias/aws/kinesis'),
    ledger: new FakeLedger(),
    applications: new FakeKeyApplications(),
    confirmations,
    reports,
    policy: {
      mode,
      overrideForeignKeys: false,
      iacGraceSeconds: 0,
      allowExemptions: true,
      allowKeyTags: true,
      keyBudgetReserve: 2,
      maxDriftRepairsPerDay: 3,
    },
    eventBusName: 'default',
    probeAfterConfirm: false,
  };
  return { pipeline, confirmations, reports };
};

/** Runs steps like the sweep state machine does (state through JSON, as in the bucket) until one says done. */
const sweepToTheEnd = async (accounts: FakeSweepAccount[], clock: FakeClock, mode: 'enforce' | 'audit') => {
  const { pipeline, confirmations, reports } = pipelineOf(mode);
  let state: SweepState = newSweepState('sweep-test', new Date(clock.now()));
  const settings = {
    sweepId: state.sweepId,
    startedAt: state.startedAt,
    pipeline,
    maxWaitSeconds: 0,
    signal: new AbortController().signal,
  };
  for (let step = 0; step < 10; step++) {
    const started = clock.now();
    const done = await runSweepStep(state, {
      listTargets: () => Promise.all(accounts.map((account) => account.listed())),
      check: (target, stream) => sweepCheck(target, stream, settings),
      now: clock.now,
      deadline: started + LAMBDA_TIMEOUT_MS - STEP_MARGIN_MS,
      concurrency: 8,
    });
    state = JSON.parse(JSON.stringify(state)) as SweepState;
    if (done) break;
  }
  return { state, confirmations, reports };
};

describe('runSweepStep (deployed sweep engine, fake clock)', () => {
  it('sweeps 10,000 streams of one account at 10 describes/s in steps that each end before the Lambda timeout', async () => {
    // Prepare
    const clock = new FakeClock();
    const account = new FakeSweepAccount('111111111111', 'us-east-1', 10_000, { clock, describePerSecond: 10 });

    // Act
    const { state, confirmations } = await sweepToTheEnd([account], clock, 'enforce');

    // Assess
    const arns = state.rows.map(({ streamArn }) => streamArn);
    expect(state.steps.length).toBe(2);
    expect(Math.max(...state.steps.map(({ durationMs }) => durationMs))).toBeLessThan(LAMBDA_TIMEOUT_MS - 60_000);
    expect(state.steps.map(({ checked }) => checked).reduce((a, b) => a + b)).toBe(10_000);
    expect(new Set(arns).size).toBe(10_000);
    expect(account.describeStarts.length).toBe(10_000);
    expect(account.peakDescribePerSecond()).toBeLessThanOrEqual(10);
    expect(account.applied.length).toBe(10_000);
    expect(confirmations.started.size).toBe(10_000);
    expect(state.rows.every(({ outcome, changed }) => outcome === 'Confirming' && changed)).toBe(true);
  });

  it.each([
    ['enforce', 'Confirming', 3],
    ['audit', 'NonCompliant', 0],
  ] as const)(
    'in %s mode a non-compliant stream ends %s; compliant ones are only read',
    async (mode, outcome, changed) => {
      // Prepare
      const clock = new FakeClock();
      const account = new FakeSweepAccount('111111111111', 'us-east-1', 10, {
        clock,
        describePerSecond: 10,
        encrypted: (index) => index >= 3,
      });

      // Act
      const { state, confirmations, reports } = await sweepToTheEnd([account], clock, mode);

      // Assess
      expect(state.rows.filter((row) => row.outcome === outcome).length).toBe(3);
      expect(state.rows.filter((row) => row.outcome === 'AlreadyCompliant').length).toBe(7);
      expect(confirmations.started.size).toBe(changed);
      expect([...confirmations.started.keys()].every((name) => name.length <= 80)).toBe(true);
      // Per stream, only the confirm state machine publishes (Stream Encrypted); the sweep's own event is Sweep Completed.
      expect(reports.reports).toEqual([]);
      expect(account.describeStarts.length).toBe(10);
    }
  );

  it('keys every hand-over on the sweep id and the stream ARN: a step run again starts no second confirmation', async () => {
    // Prepare
    const clock = new FakeClock();
    const first = new FakeSweepAccount('111111111111', 'us-east-1', 1, { clock, describePerSecond: 10 });
    // The same stream read again before its encryption shows (a retried step).
    const retried = new FakeSweepAccount('111111111111', 'us-east-1', 1, { clock, describePerSecond: 10 });
    const { pipeline, confirmations } = pipelineOf('enforce');
    const settings = {
      sweepId: 'sweep-1',
      startedAt: new Date(clock.now()).toISOString(),
      pipeline,
      maxWaitSeconds: 0,
      signal: new AbortController().signal,
    };
    const stream = { name: 'stream-00000', arn: first.arnOf('stream-00000') };

    // Act
    const once = await sweepCheck((await first.listed()).target, stream, settings);
    const again = await sweepCheck((await retried.listed()).target, stream, settings);

    // Assess
    expect(once.outcome).toBe('Confirming');
    expect(first.applied).toEqual([stream.arn]);
    expect(confirmations.started.size).toBe(1);
    expect([...confirmations.started.values()][0]?.eventId).toBe(`sweep-sweep-1:${stream.arn}`);
    expect(again.outcome).toBe('Confirming');
  });
});
