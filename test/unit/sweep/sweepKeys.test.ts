import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { SsmKeyIdSource } from '../../../src/aws/ssmKeyIdSource';
import { runSweepStep } from '../../../src/sweep/runSweepStep';
import { type PipelineDependencies, sweepCheck } from '../../../src/sweep/sweepCheck';
import { newSweepState } from '../../../src/sweep/sweepState';
import { FakeConfirmations } from '../../fakes/fakeConfirmations';
import { FakeKeyApplications } from '../../fakes/fakeKeyApplications';
import { usableKeyFacts } from '../../fakes/fakeKeys';
import { FakeLedger } from '../../fakes/fakeLedger';
import { FakeReports } from '../../fakes/fakeReports';
import { FakeClock, FakeSweepAccount } from '../../fakes/fakeSweepAccount';

const ssm = mockClient(SSMClient);
const PARAMETER = '/kinesis-auto-encrypt/prod/default-kms-key-id';
const A = '111111111111';
const B = '222222222222';
/** The organisation's key map: B has its own key (in B); every other account the default. */
const KEY_MAP = { default: 'alias/org', [B]: 'alias/team-b' };

/** The pipeline's dependencies with the pipeline's own key source (the SSM parameter holding the map). */
const pipelineOf = (mode: 'enforce' | 'audit'): PipelineDependencies => ({
  keyIdSource: new SsmKeyIdSource({
    fallback: { value: 'alias/aws/kinesis', form: 'AwsManagedKinesis' },
    parameterName: PARAMETER,
    provider: new SSMProvider({ awsSdkV3Client: new SSMClient({ region: 'us-east-1' }) }),
    maxAgeSeconds: 300,
  }),
  ledger: new FakeLedger(),
  applications: new FakeKeyApplications(),
  confirmations: new FakeConfirmations(),
  reports: new FakeReports(),
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
});

/** Two accounts of an organisation, each with only its own key. */
const accounts = (clock: FakeClock) => [
  new FakeSweepAccount(A, 'us-east-1', 3, {
    clock,
    describePerSecond: 10,
    keys: { 'alias/org': usableKeyFacts(`arn:aws:kms:us-east-1:${A}:key/org`) },
  }),
  new FakeSweepAccount(B, 'us-east-1', 3, {
    clock,
    describePerSecond: 10,
    keys: { 'alias/team-b': usableKeyFacts(`arn:aws:kms:us-east-1:${B}:key/team-b`) },
  }),
];

/** One step of a deployed sweep over `listed` accounts, as handlers/sweep.ts runs it. */
const sweepOnce = async (listed: FakeSweepAccount[], clock: FakeClock, pipeline: PipelineDependencies) => {
  const state = newSweepState('sweep-keys', new Date(clock.now()));
  const settings = {
    sweepId: state.sweepId,
    startedAt: state.startedAt,
    pipeline,
    maxWaitSeconds: 0,
    signal: new AbortController().signal,
  };
  await runSweepStep(state, {
    accountRegions: listed.map((account) => account.accountRegion()),
    accountRegionsInFlight: 16,
    check: (target, stream) => sweepCheck(target, stream, settings),
    now: clock.now,
    deadline: clock.now() + 600_000,
    concurrency: 4,
  });
  return state;
};

describe('the deployed sweep resolves the desired key per stream, as the pipeline does', () => {
  beforeEach(() => {
    ssm.reset();
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: PARAMETER, Value: JSON.stringify(KEY_MAP) } });
  });

  it('a sweep over two accounts with a key map gives each account its own key', async () => {
    // Prepare
    const clock = new FakeClock();
    const [a, b] = accounts(clock) as [FakeSweepAccount, FakeSweepAccount];

    // Act
    const state = await sweepOnce([a, b], clock, pipelineOf('enforce'));

    // Assess
    expect(a.appliedKeys).toEqual(['alias/org', 'alias/org', 'alias/org']);
    expect(b.appliedKeys).toEqual(['alias/team-b', 'alias/team-b', 'alias/team-b']);
    expect(
      state.rows.map(({ account, outcome, desiredKeyId }) => `${account} ${outcome} ${desiredKeyId}`).sort()
    ).toEqual([
      ...Array.from({ length: 3 }, () => `${A} Confirming alias/org`),
      ...Array.from({ length: 3 }, () => `${B} Confirming alias/team-b`),
    ]);
  });

  it("in audit mode names each account's own key as the one enforce would apply", async () => {
    // Prepare
    const clock = new FakeClock();
    const [a, b] = accounts(clock) as [FakeSweepAccount, FakeSweepAccount];

    // Act
    const state = await sweepOnce([a, b], clock, pipelineOf('audit'));

    // Assess
    expect([...a.appliedKeys, ...b.appliedKeys]).toEqual([]);
    expect(
      new Set(state.rows.map(({ account, outcome, desiredKeyId }) => `${account} ${outcome} ${desiredKeyId}`))
    ).toEqual(new Set([`${A} NonCompliant alias/org`, `${B} NonCompliant alias/team-b`]));
  });
});
