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
      accountRegions: accounts.map((account) => account.accountRegion()),
      accountRegionsInFlight: 16,
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

/** An organisation on one fake clock: `accounts` accounts × `regions` regions, `streams` streams in each. */
const organisation = (clock: FakeClock, accounts: number, regions: readonly string[], streams: number) =>
  regions.flatMap((region) =>
    Array.from(
      { length: accounts },
      (_, index) =>
        new FakeSweepAccount(String(100000000000 + index), region, streams, {
          clock,
          describePerSecond: 10,
          encrypted: (n) => n % 2 === 0,
        })
    )
  );

/**
 * Steps of a sweep over `places`, each ending at `stepMs` on the fake clock; records how many account-regions are
 * open at once (opened, not every stream of it checked yet in that step) and how many checks run at once.
 */
const sweepInSteps = async (
  places: FakeSweepAccount[],
  clock: FakeClock,
  settings: { stepMs: number; inFlight: number; concurrency: number }
) => {
  const { pipeline } = pipelineOf('enforce');
  let state: SweepState = newSweepState('sweep-org', new Date(clock.now()));
  const check = { sweepId: state.sweepId, startedAt: state.startedAt, pipeline, maxWaitSeconds: 0 };
  let peakOpen = 0;
  let peakChecks = 0;
  let checks = 0;
  for (let step = 0; step < 200; step++) {
    const open = new Map<string, number>();
    const remaining = new Map<string, number>();
    const accountRegions = places.map((place) => {
      const inner = place.accountRegion();
      return {
        ...inner,
        open: () => {
          const key = `${place.account}/${place.region}`;
          const unchecked = place.arnsNotIn(state.rows);
          remaining.set(key, unchecked);
          open.set(key, unchecked);
          peakOpen = Math.max(peakOpen, [...open.values()].filter((left) => left > 0).length);
          return inner.open();
        },
      };
    });
    const started = clock.now();
    const done = await runSweepStep(state, {
      accountRegions,
      check: async (target, stream) => {
        checks++;
        peakChecks = Math.max(peakChecks, checks);
        try {
          return await sweepCheck(target, stream, { ...check, signal: new AbortController().signal });
        } finally {
          checks--;
          const key = `${target.account}/${target.region}`;
          open.set(key, (open.get(key) ?? 1) - 1);
        }
      },
      now: clock.now,
      deadline: started + settings.stepMs,
      concurrency: settings.concurrency,
      accountRegionsInFlight: settings.inFlight,
    });
    state = JSON.parse(JSON.stringify(state)) as SweepState;
    if (done) break;
  }
  return { state, peakOpen, peakChecks };
};

describe('runSweepStep at organisation scale (bounded account-regions in flight, resumable listing)', () => {
  it.each([
    [1, 4],
    [4, 8],
    [16, 8],
  ])(
    'never holds more than %i account-regions open (%i checks at once) and checks every stream once',
    async (inFlight, concurrency) => {
      // Prepare
      const clock = new FakeClock();
      const places = organisation(clock, 30, ['us-east-1', 'eu-west-1', 'ap-south-1'], 5);

      // Act
      const { state, peakOpen, peakChecks } = await sweepInSteps(places, clock, {
        stepMs: 3_600_000,
        inFlight,
        concurrency,
      });

      // Assess
      expect(peakOpen).toBe(inFlight);
      expect(peakChecks).toBeLessThanOrEqual(concurrency);
      expect(state.rows.length).toBe(90 * 5);
      expect(new Set(state.rows.map(({ streamArn }) => streamArn)).size).toBe(90 * 5);
      expect(places.every((place) => place.opens === 1 && place.lists === 1)).toBe(true);
    }
  );

  it('steps cut short by their deadline resume where they stopped: every account-region listed once, no stream twice or skipped', async () => {
    // Prepare: 60 account-regions of 5-250 streams; each step ends after 20 s on the fake clock.
    const clock = new FakeClock();
    const places = ['us-east-1', 'eu-west-1'].flatMap((region) =>
      Array.from(
        { length: 30 },
        (_, index) =>
          new FakeSweepAccount(String(200000000000 + index), region, 5 + ((index * 37) % 246), {
            clock,
            describePerSecond: 10,
          })
      )
    );
    const total = places.reduce((sum, place) => sum + place.arnsNotIn([]), 0);

    // Act
    const { state, peakOpen } = await sweepInSteps(places, clock, { stepMs: 20_000, inFlight: 6, concurrency: 8 });

    // Assess
    expect(state.steps.length).toBeGreaterThan(3);
    expect(state.steps.every(({ checked }) => checked > 0)).toBe(true);
    expect(places.every((place) => place.lists === 1)).toBe(true);
    expect(state.rows.length).toBe(total);
    expect(new Set(state.rows.map(({ streamArn }) => streamArn)).size).toBe(total);
    expect(state.sweptAccountRegions.length).toBe(60);
    expect(state.pendingAccountRegions).toEqual({});
    expect(peakOpen).toBeLessThanOrEqual(6);
  });

  it('an account-region whose listing fails is reported once and not taken again', async () => {
    // Prepare
    const clock = new FakeClock();
    const [readable, broken] = organisation(clock, 2, ['us-east-1'], 3) as [FakeSweepAccount, FakeSweepAccount];
    broken.list = async () => {
      broken.lists++;
      throw new Error('AccessDenied: not authorized to perform kinesis:ListStreams');
    };

    // Act
    const { state } = await sweepInSteps([readable, broken], clock, { stepMs: 3_600_000, inFlight: 2, concurrency: 2 });

    // Assess
    expect(state.rows.length).toBe(3);
    expect(state.errors).toEqual([
      { account: broken.account, region: 'us-east-1', message: expect.stringContaining('AccessDenied') },
    ]);
    expect(broken.lists).toBe(1);
    expect(state.sweptAccountRegions.sort()).toEqual([`${readable.account}/us-east-1`, `${broken.account}/us-east-1`]);
  });
});
