import { GUARD_TAG_KEY, type WriteGuard } from '../../../src/domain/writeGuard';
import { type PipelineDependencies, sweepCheck } from '../../../src/sweep/sweepCheck';
import { FakeConfirmations } from '../../fakes/fakeConfirmations';
import { FakeKeyApplications } from '../../fakes/fakeKeyApplications';
import { FakeKeyIdSource } from '../../fakes/fakeKeyIdSource';
import { FakeLedger } from '../../fakes/fakeLedger';
import { FakeReports } from '../../fakes/fakeReports';
import { FakeClock, FakeSweepAccount } from '../../fakes/fakeSweepAccount';

const ACCOUNT = '111111111111';
/** The key ARN FakeSweepAccount resolves alias/aws/kinesis to. */
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/aws-kinesis`;

const pipelineWith = (writeGuard: WriteGuard): PipelineDependencies => ({
  keyIdSource: new FakeKeyIdSource('alias/aws/kinesis'),
  ledger: new FakeLedger(),
  applications: new FakeKeyApplications(),
  confirmations: new FakeConfirmations(),
  reports: new FakeReports(),
  policy: {
    mode: 'enforce',
    overrideForeignKeys: false,
    iacGraceSeconds: 0,
    allowExemptions: true,
    allowKeyTags: true,
    keyBudgetReserve: 2,
    maxDriftRepairsPerDay: 3,
  },
  eventBusName: 'default',
  probeAfterConfirm: false,
  writeGuard,
});

/** Three streams: two encrypted with alias/aws/kinesis (the first already tagged in the bulk read), one not. */
const sweepThree = async (writeGuard: WriteGuard) => {
  const account = new FakeSweepAccount(ACCOUNT, 'us-east-1', 3, {
    clock: new FakeClock(),
    describePerSecond: 10,
    encrypted: (index) => index < 2,
  });
  const { target } = await account.listed();
  const streams = await account.list();
  const [first] = streams;
  const tagged = { ...target, tags: new Map([[first?.arn ?? '', { [GUARD_TAG_KEY]: KEY_ARN }]]) };
  const settings = {
    sweepId: 'sweep-guard',
    startedAt: '2026-12-01T00:00:00.000Z',
    key: 'alias/aws/kinesis',
    pipeline: pipelineWith(writeGuard),
    maxWaitSeconds: 0,
    signal: new AbortController().signal,
  };
  const rows = [];
  for (const stream of streams) rows.push(await sweepCheck(tagged, stream, settings));
  return { account, rows, arns: streams.map(({ arn }) => arn) };
};

describe('deployed sweep and the guard tag (hook in sweepCheck)', () => {
  it.each([
    { writeGuard: 'enforce' as const, tags: (arns: string[]) => [`tag ${arns[1]} {"${GUARD_TAG_KEY}":"${KEY_ARN}"}`] },
    { writeGuard: 'prepare' as const, tags: (arns: string[]) => [`tag ${arns[1]} {"${GUARD_TAG_KEY}":"${KEY_ARN}"}`] },
    { writeGuard: 'off' as const, tags: () => [] },
  ])('tags each Compliant stream that lacks the guard tag, writeGuard $writeGuard', async ({ writeGuard, tags }) => {
    // Act
    const { account, rows, arns } = await sweepThree(writeGuard);

    // Assess: the unencrypted stream is encrypted (the state machine tags it after confirmation)
    expect(account.tagged).toEqual(tags(arns));
    expect(rows.map(({ compliance }) => compliance)).toEqual(['Compliant', 'Compliant', 'NonCompliant']);
    expect(account.applied).toEqual([arns[2]]);
  });

  // The prepare report (issue 22 item 3): what enforce would refuse, as src/guard/guardRefusesWrite.ts says the SCP
  // does, once this sweep is done with the stream: tagged by this sweep (prepare, enforce) → no longer refused.
  it.each([
    { writeGuard: 'prepare' as const, expected: [false, false, true] },
    { writeGuard: 'enforce' as const, expected: [false, false, true] },
    { writeGuard: 'off' as const, expected: [false, true, true] },
  ])('says which streams enforce would refuse, writeGuard $writeGuard', async ({ writeGuard, expected }) => {
    // Act
    const { rows } = await sweepThree(writeGuard);

    // Assess
    expect(rows.map(({ enforceWouldRefuse }) => enforceWouldRefuse)).toEqual(expected);
  });
});
