import type { AssumeRoleRecord, LocalRequest } from '../../../tools/dev';
import {
  buildCloudTrailRecord,
  injectFault,
  KINESIS_TARGET_PREFIX,
  ORG_DEFAULTS,
  toEventBridgeEnvelope,
} from '../../../tools/dev';
import { type Harness, startHarness } from './harness';

// Organisation deployment on the local cloud: members forward CloudTrail events to the hub bus (cross-account
// EventBridge targets keep the event's account and region:
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html); the hub assumes the member role
// (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html); the envelope's `account` is set by
// EventBridge (https://docs.aws.amazon.com/eventbridge/latest/ref/events-structure.html), so a member names only
// its own streams.
const { hubAccount: HUB, hubRegion: HUB_REGION, members: MEMBERS, memberRegions: REGIONS } = ORG_DEFAULTS;
const WITHOUT_ROLE = '555555555555';
/** A member no test has assumed a role into yet (the function's credential cache is empty for it). */
const THROTTLED = '666666666666';
const ROLE = ORG_DEFAULTS.memberRoleName;
const STREAMS_PER_LOCATION = 5;

const isKinesis = (req: LocalRequest): boolean => req.target.startsWith(`${KINESIS_TARGET_PREFIX}.`);
const namesStream = (req: LocalRequest, name: string): boolean => {
  const body = (req.json ?? {}) as { StreamName?: string; StreamARN?: string };
  return body.StreamName === name || (body.StreamARN?.endsWith(`:stream/${name}`) ?? false);
};

describe('local organisation: one hub governs every member account and region', () => {
  let harness: Harness;
  const requests: LocalRequest[] = [];

  beforeAll(async () => {
    harness = await startHarness({
      org: {
        members: [...MEMBERS, WITHOUT_ROLE, THROTTLED],
        withoutRole: [WITHOUT_ROLE],
      },
      // One execution environment of the hub function: its credential cache is per environment.
      lambdaMaxInstances: 1,
    });
    harness.cloud.gateway.intercept(async (req, next) => {
      const response = await next();
      if (response.status < 300) requests.push(req);
      return response;
    });
  }, 60_000);

  afterAll(async () => {
    await harness?.stop();
  });

  it('encrypts 5 streams in each of 3 members × 2 regions, one apply each, ≤ 1 AssumeRole per account and role', async () => {
    // Prepare
    const streams = MEMBERS.flatMap((account) =>
      REGIONS.flatMap((region) =>
        Array.from({ length: STREAMS_PER_LOCATION }, (_, index) => ({
          account,
          region,
          name: `org-${account.slice(0, 1)}-${region}-${index}`,
        }))
      )
    );

    // Act
    await Promise.all(streams.map(({ account, region, name }) => harness.createStream(account, region, name)));
    const completions = await Promise.all(
      streams.map(({ account, region, name }) => harness.completionFor(account, region, name, 90_000))
    );
    await harness.cloud.idle();

    // Assess
    expect(completions.map(({ detail }) => detail.outcome)).toEqual(streams.map(() => 'Encrypted'));
    for (const { account, region, name } of streams) {
      const applies = requests.filter(
        (req) => req.operation === 'StartStreamEncryption' && namesStream(req, name) && req.account === account
      );
      expect(applies.map((req) => req.region)).toEqual([region]);
      expect(await harness.streamSummary(account, region, name)).toMatchObject({ EncryptionType: 'KMS' });
    }
    const assumed = (account: string, role: string): AssumeRoleRecord[] =>
      harness.cloud.sts.calls.filter((call) => call.account === account && call.callerArn.includes(`/${role}/`));
    for (const account of MEMBERS) {
      expect(assumed(account, 'kinesis-auto-encrypt-local-EncryptStreamRole').length).toBeLessThanOrEqual(1);
      expect(
        assumed(account, 'kinesis-auto-encrypt-local-ConfirmEncryptionStateMachineRole').length
      ).toBeLessThanOrEqual(1);
    }
    expect(harness.cloud.sts.calls.filter((call) => !call.allowed)).toEqual([]);
    // One function and one state machine, in the hub.
    expect(
      new Set([...harness.cloud.stepFunctions.executions.values()].map((e) => `${e.account}/${e.region}`))
    ).toEqual(new Set([`${HUB}/${HUB_REGION}`]));
    expect(harness.cloud.failures).toEqual([]);
    // issue 21 item 11: recordMetrics listens on the completion bus, the hub bus in org mode (CompletionMetricsRule,
    // deploy/monitoring.yml): the org completions are counted. Waits on the condition, bounded by the test's timeout.
    while ((harness.cloud.metricTotals().Encrypted ?? 0) < streams.length) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(harness.cloud.metricTotals().Encrypted).toBeGreaterThanOrEqual(streams.length);
  }, 120_000);

  it('encrypts a stream of the hub account itself', async () => {
    // Act
    await harness.createStream(HUB, HUB_REGION, 'hub-own');
    const completion = await harness.completionFor(HUB, HUB_REGION, 'hub-own');

    // Assess
    expect(completion.detail).toMatchObject({ outcome: 'Encrypted', account: HUB });
    expect(await harness.streamSummary(HUB, HUB_REGION, 'hub-own')).toMatchObject({ EncryptionType: 'KMS' });
  });

  // issue 21 item 5: the hub account is governed in every member region, not only in the hub region (deploy/org.yml
  // HubRegionsStackSet: the member stack's forwarding in the hub account, other member regions).
  it.each(REGIONS.filter((region) => region !== HUB_REGION))(
    'encrypts a stream of the hub account in the member region %s, with the hub’s own credentials',
    async (region) => {
      // Prepare
      const assumedBefore = harness.cloud.sts.calls.filter((call) => call.account === HUB).length;

      // Act: bounded well below the default: before the fix no rule took the call and no completion came.
      await harness.createStream(HUB, region, 'hub-elsewhere');
      const completion = await harness.completionFor(HUB, region, 'hub-elsewhere', 60_000);
      await harness.cloud.idle();

      // Assess
      expect(completion.detail).toMatchObject({ outcome: 'Encrypted', account: HUB, region });
      expect(await harness.streamSummary(HUB, region, 'hub-elsewhere')).toMatchObject({ EncryptionType: 'KMS' });
      const applies = requests.filter(
        (req) => req.operation === 'StartStreamEncryption' && namesStream(req, 'hub-elsewhere')
      );
      expect(applies.map((req) => `${req.account}/${req.region}`)).toEqual([`${HUB}/${region}`]);
      // No member role in the hub: only the state machine's HubStreamRole is assumed there.
      const assumed = harness.cloud.sts.calls.filter((call) => call.account === HUB).slice(assumedBefore);
      expect(assumed.every((call) => call.roleArn.endsWith(`:role/${ROLE}-hub`))).toBe(true);
    },
    90_000
  );

  it('rejects a member’s event naming another member’s stream, without a call in the victim account', async () => {
    // Prepare
    const [victim = '', forger = ''] = MEMBERS;
    const region = REGIONS[0];
    await harness.createStream(victim, region, 'victim');
    await harness.completionFor(victim, region, 'victim');
    await harness.cloud.idle();
    const forged = toEventBridgeEnvelope(
      buildCloudTrailRecord({
        operation: 'StopStreamEncryption',
        account: forger,
        region,
        accessKeyId: forger,
        request: {
          StreamARN: `arn:aws:kinesis:${region}:${victim}:stream/victim`,
          EncryptionType: 'KMS',
          KeyId: 'alias/kinesis-auto-encrypt',
        },
      })
    );
    const before = requests.length;

    // Act
    harness.cloud.bus.publish(forged);
    await harness.cloud.idle();

    // Assess
    const completion = harness.events.find(
      (event) => event.source === 'kinesis-auto-encrypt' && event.detail.eventId === forged.detail.eventID
    );
    expect(completion?.detail).toMatchObject({ outcome: 'Rejected' });
    expect(JSON.stringify(completion?.detail)).toContain(victim);
    expect(requests.slice(before).filter((req) => isKinesis(req) && req.account === victim)).toEqual([]);
  });

  it('fails a stream of a member without the member role, naming account and role', async () => {
    // Prepare
    const region = REGIONS[1] ?? HUB_REGION;

    // Act
    await harness.createStream(WITHOUT_ROLE, region, 'no-role');
    const completion = await harness.completionFor(WITHOUT_ROLE, region, 'no-role');
    await harness.cloud.idle();

    // Assess
    expect(completion.detail).toMatchObject({ outcome: 'Failed', account: WITHOUT_ROLE });
    expect(completion.detail.reason).toContain(`arn:aws:iam::${WITHOUT_ROLE}:role/${ROLE}`);
    expect(
      harness.cloud.sts.calls.filter((call) => call.account === WITHOUT_ROLE && !call.allowed).length
    ).toBeGreaterThan(0);
    expect(requests.filter((req) => req.operation === 'StartStreamEncryption' && req.account === WITHOUT_ROLE)).toEqual(
      []
    );
  });

  it('encrypts a member’s stream when STS throttles the first AssumeRole (retried)', async () => {
    // Prepare: STS throttling is `Throttling` (400) in the Query error shape
    // (https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html).
    const region = REGIONS[0];
    const fault = injectFault(harness.cloud.gateway, { target: 'sts.AssumeRole', count: 1, errorType: 'Throttling' });

    // Act
    await harness.createStream(THROTTLED, region, 'throttled');
    const completion = await harness.completionFor(THROTTLED, region, 'throttled');
    await harness.cloud.idle();
    fault.clear();

    // Assess
    expect(fault.injected).toBe(1);
    expect(completion.detail).toMatchObject({ outcome: 'Encrypted', account: THROTTLED });
    expect(harness.cloud.sts.calls.filter((call) => call.account === THROTTLED && call.allowed).length).toBeGreaterThan(
      0
    );
  });
});
