import { CreateStreamCommand } from '@aws-sdk/client-kinesis';
import { TEAM_KEY_ALIAS } from '../../../tools/dev';
import { completionEventErrors } from '../../helpers/completionEventSchema';
import { type Harness, startHarness } from './harness';

const ACCOUNT = '550000000005';
const REGION = 'us-east-1';

/** CreateStream takes Tags (Kinesis API reference, CreateStream request parameters:
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_CreateStream.html). */
const createTagged = (harness: Harness, name: string, tags: Record<string, string>) =>
  harness.client(ACCOUNT, REGION).send(new CreateStreamCommand({ StreamName: name, ShardCount: 1, Tags: tags }));

describe.each([['enforce'], ['audit']])('policy tags on the local cloud (mode %s)', (mode) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ accounts: [ACCOUNT], environment: { MODE: mode, POWERTOOLS_LOG_LEVEL: 'WARN' } });
  }, 60_000);

  afterAll(async () => {
    await harness?.stop();
  });

  const appliesTo = (name: string): number => harness.cloudTrailFor(name, 'StartStreamEncryption').length;

  it('leaves an exempt stream as it is and says why', async () => {
    // Act
    await createTagged(harness, 'exempt', {
      'kinesis-auto-encrypt:exempt': 'true',
      'kinesis-auto-encrypt:exempt-reason': 'legacy',
    });
    const completion = await harness.completionFor(ACCOUNT, REGION, 'exempt');
    await harness.cloud.idle();

    // Assess
    expect(completion['detail-type']).toBe('Stream Exempt');
    expect(completion.detail.compliance).toBe('Exempt');
    expect(completion.detail.exemption).toEqual({
      reason: expect.stringContaining('legacy'),
      tags: { 'kinesis-auto-encrypt:exempt': 'true', 'kinesis-auto-encrypt:exempt-reason': 'legacy' },
    });
    expect(completionEventErrors(completion)).toEqual([]);
    expect(appliesTo('exempt')).toBe(0);
    expect(await harness.streamSummary(ACCOUNT, REGION, 'exempt')).toMatchObject({ EncryptionType: 'NONE' });
  }, 60_000);

  it('uses the key of the key tag (enforce) or reports it would (audit)', async () => {
    // Act
    await createTagged(harness, 'team-keyed', { 'kinesis-auto-encrypt:key': TEAM_KEY_ALIAS });
    const completion = await harness.completionFor(ACCOUNT, REGION, 'team-keyed');
    await harness.cloud.idle();

    // Assess
    expect(completionEventErrors(completion)).toEqual([]);
    if (mode === 'enforce') {
      expect(completion.detail).toMatchObject({
        outcome: 'Encrypted',
        compliance: 'Compliant',
        keyId: TEAM_KEY_ALIAS,
        streamKeyId: TEAM_KEY_ALIAS,
      });
      expect(appliesTo('team-keyed')).toBe(1);
    } else {
      expect(completion['detail-type']).toBe('Stream Non-Compliant');
      expect(completion.detail.compliance).toBe('NonCompliant');
      // The deployment's reader: the stage parameter that decided, never its environment variable.
      expect(completion.detail.reason).toBe(
        `Stream is EncryptionType NONE; ${TEAM_KEY_ALIAS} (from tag kinesis-auto-encrypt:key) would be applied; nothing changed (mode=audit)`
      );
      expect(appliesTo('team-keyed')).toBe(0);
    }
  }, 60_000);

  it('audit mode changes nothing at all', async () => {
    // Act
    await harness.createStream(ACCOUNT, REGION, 'plain');
    const completion = await harness.completionFor(ACCOUNT, REGION, 'plain');
    await harness.cloud.idle();

    // Assess
    expect(completion.detail).toMatchObject(
      mode === 'audit'
        ? { outcome: 'NonCompliant', compliance: 'NonCompliant' }
        : { outcome: 'Encrypted', compliance: 'Compliant' }
    );
    const applies = harness.events.filter(
      (event) => event.source === 'aws.kinesis' && event.detail.eventName === 'StartStreamEncryption'
    );
    expect(applies.length).toBe(mode === 'audit' ? 0 : 2);
  }, 60_000);
});
