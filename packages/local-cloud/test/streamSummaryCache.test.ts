import type { LocalRequest, LocalResponse } from '../src/gateway';
import { cachedStreamSummaries } from '../src/streamSummaryCache';

/*
 * The cache in front of kinesis-local, against a fake Kinesis whose streams change only when told: a kept answer
 * must be the one the fake would give now. Kinesis moves a stream out of ACTIVE only through a call
 * (StartStreamEncryption, UpdateShardCount, … "the stream status is UPDATING",
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StartStreamEncryption.html), and back by itself.
 */
const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const arnOf = (name: string, account = ACCOUNT) => `arn:aws:kinesis:${REGION}:${account}:stream/${name}`;

const fakeKinesis = () => {
  const streams = new Map<string, { status: string; encryption: string }>();
  const calls: string[] = [];
  /** Answers held until released: describes (read before the hold, answered after) or changes (not yet applied). */
  const held: Record<'describes' | 'changes', Promise<void> | undefined> = { describes: undefined, changes: undefined };
  const hold = (what: keyof typeof held) => {
    let release = (): void => undefined;
    held[what] = new Promise<void>((resolve) => {
      release = () => {
        held[what] = undefined;
        resolve();
      };
    });
    return release;
  };
  const nameOf = (req: LocalRequest): string => {
    const body = req.json as { StreamName?: string; StreamARN?: string; ResourceARN?: string };
    return body.StreamName ?? (body.StreamARN ?? body.ResourceARN ?? '').split(':stream/')[1]?.split('/')[0] ?? '';
  };
  const service = async (req: LocalRequest): Promise<LocalResponse> => {
    calls.push(req.operation);
    const name = nameOf(req);
    const state = streams.get(`${req.account}/${name}`);
    if (req.operation === 'DescribeStreamSummary') {
      const answer = state === undefined ? undefined : { ...state };
      if (held.describes !== undefined) await held.describes;
      if (answer === undefined) return { status: 400, body: { __type: 'ResourceNotFoundException' } };
      return {
        status: 200,
        headers: { 'x-amzn-requestid': 'upstream' },
        body: Buffer.from(
          JSON.stringify({
            StreamDescriptionSummary: {
              StreamName: name,
              StreamStatus: answer.status,
              EncryptionType: answer.encryption,
            },
          })
        ),
      };
    }
    if (held.changes !== undefined) await held.changes;
    if (req.operation === 'StartStreamEncryption' && state !== undefined) state.status = 'UPDATING';
    return { status: 200, body: {} };
  };
  return {
    service,
    calls,
    set: (name: string, status: string, encryption = 'NONE', account = ACCOUNT) =>
      streams.set(`${account}/${name}`, { status, encryption }),
    holdChanges: () => hold('changes'),
    holdDescribes: () => hold('describes'),
  };
};

const request = (operation: string, json: object, account = ACCOUNT): LocalRequest => ({
  target: `Kinesis_20131202.${operation}`,
  operation,
  body: Buffer.from(JSON.stringify(json)),
  json,
  headers: {},
  account,
  region: REGION,
  accessKeyId: account,
});

const summaryOf = async (service: (req: LocalRequest) => Promise<LocalResponse>, json: object, account = ACCOUNT) => {
  const res = await service(request('DescribeStreamSummary', json, account));
  return JSON.parse(String(res.body)).StreamDescriptionSummary as { StreamStatus: string; EncryptionType: string };
};

describe('cachedStreamSummaries', () => {
  it('answers an unchanged ACTIVE stream from the last answer, by name or ARN, with a new request id', async () => {
    // Prepare
    const kinesis = fakeKinesis();
    kinesis.set('s', 'ACTIVE');
    const service = cachedStreamSummaries(kinesis.service);

    // Act
    await summaryOf(service, { StreamName: 's' });
    const again = await service(request('DescribeStreamSummary', { StreamARN: arnOf('s') }));

    // Assess
    expect(kinesis.calls).toEqual(['DescribeStreamSummary']);
    expect(JSON.parse(String(again.body)).StreamDescriptionSummary.StreamStatus).toBe('ACTIVE');
    expect(again.headers?.['x-amzn-requestid']).not.toBe('upstream');
  });

  it.each(['CREATING', 'UPDATING', 'DELETING'])(
    'never keeps a %s answer (kinesis-local moves it on by itself)',
    async (status) => {
      // Prepare
      const kinesis = fakeKinesis();
      kinesis.set('s', status);
      const service = cachedStreamSummaries(kinesis.service);

      // Act
      await summaryOf(service, { StreamName: 's' });
      kinesis.set('s', 'ACTIVE');
      const next = await summaryOf(service, { StreamName: 's' });

      // Assess
      expect(next.StreamStatus).toBe('ACTIVE');
      expect(kinesis.calls).toEqual(['DescribeStreamSummary', 'DescribeStreamSummary']);
    }
  );

  it.each([
    ['StartStreamEncryption', { StreamName: 's', EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }],
    ['UpdateShardCount', { StreamARN: arnOf('s'), TargetShardCount: 2, ScalingType: 'UNIFORM_SCALING' }],
    ['DeregisterStreamConsumer', { ConsumerARN: `${arnOf('s')}/consumer/app:1700000000` }],
    ['UpdateAccountSettings', { MinimumThroughputBillingCommitment: { Status: 'ENABLED' } }],
  ])(
    'forgets the answer after %s (the call names the stream, or no stream: its whole account-region)',
    async (operation, json) => {
      // Prepare
      const kinesis = fakeKinesis();
      kinesis.set('s', 'ACTIVE');
      const service = cachedStreamSummaries(kinesis.service);
      await summaryOf(service, { StreamName: 's' });

      // Act
      await service(request(operation, json));
      kinesis.set('s', 'ACTIVE', 'KMS');
      const next = await summaryOf(service, { StreamName: 's' });

      // Assess
      expect(next).toEqual(expect.objectContaining({ StreamStatus: 'ACTIVE', EncryptionType: 'KMS' }));
    }
  );

  it('keeps the answers of other streams and other accounts when one stream changes', async () => {
    // Prepare
    const kinesis = fakeKinesis();
    kinesis.set('a', 'ACTIVE');
    kinesis.set('b', 'ACTIVE');
    kinesis.set('a', 'ACTIVE', 'NONE', '444455556666');
    const service = cachedStreamSummaries(kinesis.service);
    for (const json of [{ StreamName: 'a' }, { StreamName: 'b' }]) await summaryOf(service, json);
    await summaryOf(service, { StreamName: 'a' }, '444455556666');

    // Act
    await service(request('StartStreamEncryption', { StreamName: 'a', EncryptionType: 'KMS', KeyId: 'k' }));
    await summaryOf(service, { StreamName: 'b' });
    await summaryOf(service, { StreamName: 'a' }, '444455556666');

    // Assess
    expect(kinesis.calls).toEqual([
      'DescribeStreamSummary',
      'DescribeStreamSummary',
      'DescribeStreamSummary',
      'StartStreamEncryption',
    ]);
  });

  it('does not keep an ACTIVE answer read while a change was in flight', async () => {
    // Prepare
    const kinesis = fakeKinesis();
    kinesis.set('s', 'ACTIVE');
    const service = cachedStreamSummaries(kinesis.service);
    const release = kinesis.holdDescribes();

    // Act
    const racing = summaryOf(service, { StreamName: 's' });
    await service(request('StartStreamEncryption', { StreamName: 's', EncryptionType: 'KMS', KeyId: 'k' }));
    release();
    const stale = await racing;
    kinesis.set('s', 'ACTIVE', 'KMS');
    const next = await summaryOf(service, { StreamName: 's' });

    // Assess
    expect(stale.EncryptionType).toBe('NONE');
    expect(next.EncryptionType).toBe('KMS');
  });

  it('does not keep an answer read after a change was sent but before Kinesis applied it', async () => {
    // Prepare
    const kinesis = fakeKinesis();
    kinesis.set('s', 'ACTIVE');
    const service = cachedStreamSummaries(kinesis.service);
    const release = kinesis.holdChanges();

    // Act
    const change = service(request('StartStreamEncryption', { StreamName: 's', EncryptionType: 'KMS', KeyId: 'k' }));
    const before = await summaryOf(service, { StreamName: 's' });
    release();
    await change;
    kinesis.set('s', 'ACTIVE', 'KMS');
    const after = await summaryOf(service, { StreamName: 's' });

    // Assess
    expect(before.EncryptionType).toBe('NONE');
    expect(after.EncryptionType).toBe('KMS');
  });
});
