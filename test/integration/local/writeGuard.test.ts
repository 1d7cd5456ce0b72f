import { ListTagsForStreamCommand, StopStreamEncryptionCommand } from '@aws-sdk/client-kinesis';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import type { InvocationRecord } from '../../../tools/dev';
import { DEFAULT_KEY_ALIAS } from '../../../tools/dev';
import { completionEventErrors } from '../../helpers/completionEventSchema';
import { type Harness, startHarness } from './harness';

// The pipeline keeps the tag kinesis-auto-encrypt:encrypted (value: the key ARN) on Compliant streams with
// WRITE_GUARD=enforce (issue 22). The local cloud attaches no SCP, so StopStreamEncryption is not refused here (as under
// writeGuard=prepare): the pipeline then removes the stale tag and sets it again once the repair is confirmed.
// AddTagsToStream / RemoveTagsFromStream: https://docs.aws.amazon.com/kinesis/latest/APIReference/API_AddTagsToStream.html,
// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_RemoveTagsFromStream.html.

const ACCOUNT = '770000000007';
const REGION = 'us-east-1';
const GUARD_TAG = 'kinesis-auto-encrypt:encrypted';

type Invocation = InvocationRecord & { event: { detail: { eventID: string } } };

describe('write guard on the local cloud (WRITE_GUARD=enforce)', () => {
  let harness: Harness;
  let keyArn: string;
  const invocations: Invocation[] = [];

  beforeAll(async () => {
    harness = await startHarness({
      accounts: [ACCOUNT],
      environment: { POWERTOOLS_LOG_LEVEL: 'WARN', WRITE_GUARD: 'enforce' },
    });
    harness.cloud.lambda.on('invocation', (record: Invocation) => invocations.push(record));
    const kms = new KMSClient({
      endpoint: harness.cloud.endpoint,
      region: REGION,
      credentials: { accessKeyId: ACCOUNT, secretAccessKey: 'local' },
    });
    keyArn = String((await kms.send(new DescribeKeyCommand({ KeyId: DEFAULT_KEY_ALIAS }))).KeyMetadata?.Arn);
    kms.destroy();
  }, 60_000);

  afterAll(async () => {
    await harness?.stop();
  });

  const guardTagOf = async (name: string): Promise<string | undefined> => {
    const { Tags } = await harness.client(ACCOUNT, REGION).send(new ListTagsForStreamCommand({ StreamName: name }));
    return Tags?.find(({ Key }) => Key === GUARD_TAG)?.Value;
  };
  const completionCount = async (name: string, count: number): Promise<void> => {
    const deadline = Date.now() + 30_000;
    while (harness.completionsFor(name).length < count) {
      if (Date.now() > deadline) throw new Error(`fewer than ${count} completions for ${name}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await harness.cloud.idle();
  };
  /** What the function ended each of these CloudTrail events with. */
  const outcomesOf = (name: string, eventName: string): unknown[] => {
    const ids = harness.cloudTrailFor(name, eventName).map((event) => event.detail.eventID);
    return invocations
      .filter((record) => ids.includes(record.event.detail.eventID))
      .map((record) => (record.result.ok ? (record.result.value as { outcome?: unknown }).outcome : 'Error'));
  };

  it('ends a new stream Encrypted carrying the guard tag with the key ARN, set by the state machine', async () => {
    // Prepare
    const name = 'guarded';

    // Act
    await harness.createStream(ACCOUNT, REGION, name);
    await completionCount(name, 1);

    // Assess
    const [completion] = harness.completionsFor(name);
    expect(keyArn).toMatch(new RegExp(`^arn:aws:kms:${REGION}:${ACCOUNT}:key/`));
    expect(completion?.detail).toMatchObject({
      outcome: 'Encrypted',
      guardTag: { status: 'Set', value: keyArn, error: null },
    });
    expect(completionEventErrors(completion as NonNullable<typeof completion>)).toEqual([]);
    expect(await guardTagOf(name)).toBe(keyArn);
    const [tagged] = harness.cloudTrailFor(name, 'AddTagsToStream');
    expect(tagged?.detail.userIdentity).toMatchObject({
      sessionContext: { sessionIssuer: { arn: expect.stringMatching(/:role\/.*ConfirmEncryptionStateMachineRole$/) } },
    });
    // The pipeline's own tag call is filtered by the own-call filter: no second completion.
    expect(outcomesOf(name, 'AddTagsToStream')).toEqual(['Ignored']);
    expect(harness.completionsFor(name)).toHaveLength(1);
    expect(harness.cloud.failures).toEqual([]);
  }, 60_000);

  it('removes the tag once StopStreamEncryption leaves the stream unencrypted, and sets it again after the repair', async () => {
    // Prepare
    const name = 'guarded-drift';
    await harness.createStream(ACCOUNT, REGION, name);
    await completionCount(name, 1);
    const keyId = String((await harness.streamSummary(ACCOUNT, REGION, name)).KeyId);

    // Act
    await harness
      .client(ACCOUNT, REGION)
      .send(new StopStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: keyId }));
    await completionCount(name, 2);

    // Assess: removed by the function before its StartStreamEncryption, set again by the state machine
    const removals = harness.cloudTrailFor(name, 'RemoveTagsFromStream');
    const applies = harness.cloudTrailFor(name, 'StartStreamEncryption');
    const additions = harness.cloudTrailFor(name, 'AddTagsToStream');
    expect(removals).toHaveLength(1);
    expect(removals[0]?.detail.requestParameters).toMatchObject({ tagKeys: [GUARD_TAG] });
    expect(removals[0]?.detail.userIdentity).toMatchObject({
      sessionContext: { sessionIssuer: { arn: expect.stringMatching(/:role\/.*EncryptStreamRole$/) } },
    });
    expect(applies).toHaveLength(2);
    expect(additions).toHaveLength(2);
    expect(Date.parse(String(removals[0]?.detail.eventTime))).toBeLessThanOrEqual(
      Date.parse(String(applies[1]?.detail.eventTime))
    );
    expect(harness.completionsFor(name)[1]?.detail).toMatchObject({
      outcome: 'Encrypted',
      guardTag: { status: 'Set', value: keyArn },
    });
    expect(await guardTagOf(name)).toBe(keyArn);
    expect(outcomesOf(name, 'RemoveTagsFromStream')).toEqual(['Ignored']);
    expect(outcomesOf(name, 'AddTagsToStream')).toEqual(['Ignored', 'Ignored']);
    expect(harness.cloud.failures).toEqual([]);
  }, 90_000);
});
