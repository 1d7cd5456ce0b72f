import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../tools/dev';
import { type DevCliResult, runDevCli, stopDevClis } from '../../helpers/devCli';

const SAMPLE = join(REPO_ROOT, 'test', 'fixtures', 'events', 'create-stream.json');
/** Real-shaped records, each citing what it copies (test/fixtures/cloudtrail/README.md). */
const RECORDS = join(REPO_ROOT, 'test', 'fixtures', 'cloudtrail');

/** Runs `npm start -- --event <file>` (the CLI through tsx) with short durations. */
const replay = (file: string): Promise<DevCliResult> =>
  runDevCli('--event', file, '--create-ms', '300', '--update-ms', '300');

const sample = JSON.parse(readFileSync(SAMPLE, 'utf8')) as { detail: Record<string, unknown> } & Record<
  string,
  unknown
>;
const dir = mkdtempSync(join(tmpdir(), 'replay-'));
const write = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

/** A replay waits for its completion event however slow the machine is; only a hang reaches this bound. */
const REPLAY_TIMEOUT_MS = 300_000;

describe('npm start -- --event (replay of a saved event)', () => {
  afterAll(stopDevClis);

  it(
    'replays the saved CreateStream event and prints its Encrypted completion event',
    async () => {
      // Act
      const started = Date.now();
      const { code, stdout, stderr } = await replay(SAMPLE);

      // Assess
      expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
      const completion = JSON.parse(stdout) as {
        source: string;
        account: string;
        region: string;
        detail: Record<string, unknown>;
      };
      expect(completion).toMatchObject({
        source: 'kinesis-auto-encrypt',
        account: sample.account,
        region: sample.region,
        detail: {
          outcome: 'Encrypted',
          eventId: sample.detail.eventID,
          streamName: (sample.detail.requestParameters as { streamName: string }).streamName,
          account: sample.account,
          region: sample.region,
        },
      });
      // The replay performs the call again now: the event is re-timed to it (else it would be about an
      // earlier stream of that name and be Skipped as superseded).
      const createdAt = (completion.detail.timestamps as { streamCreatedAt: string }).streamCreatedAt;
      expect(Date.parse(createdAt)).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000);
    },
    REPLAY_TIMEOUT_MS
  );

  it(
    'replays a saved StopStreamEncryption: creates the stream encrypted, decrypts it, prints its repair',
    async () => {
      // Prepare: the same record as a StopStreamEncryption by a person (StopStreamEncryption request:
      // https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StopStreamEncryption.html)
      const stop = {
        ...sample,
        detail: {
          ...sample.detail,
          eventName: 'StopStreamEncryption',
          requestParameters: {
            streamName: 'replayed-drift',
            encryptionType: 'KMS',
            keyId: 'alias/kinesis-auto-encrypt',
          },
          userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${sample.account}:user/ops` },
        },
      };
      const file = write('stop.json', JSON.stringify(stop));

      // Act
      const { code, stdout, stderr } = await replay(file);

      // Assess
      expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
      const completion = JSON.parse(stdout) as { detail: Record<string, unknown> };
      expect(completion.detail).toMatchObject({
        outcome: 'Encrypted',
        trigger: 'StopStreamEncryption',
        actor: `arn:aws:iam::${sample.account}:user/ops`,
        streamName: 'replayed-drift',
        eventId: sample.detail.eventID,
      });
    },
    REPLAY_TIMEOUT_MS
  );

  it.each([
    {
      // AWS's own CreateStream sample, a bare eventVersion 1.01 record without recipientAccountId
      // (https://docs.aws.amazon.com/streams/latest/dev/logging-using-cloudtrail.html).
      file: 'create-stream.aws-sample.v1.01.json',
      expected: { account: '012345678910', region: 'us-east-1', streamName: 'GoodStream', trigger: 'CreateStream' },
    },
    {
      // UntagResource removing the exemption (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UntagResource.html):
      // the stream is created exempt and unencrypted, the call removes the tag, the stream is encrypted now.
      file: 'untag-resource.exempt.v1.11.json',
      expected: { account: '062000000000', region: 'us-west-2', streamName: 'legacy-feed', trigger: 'TagsChanged' },
    },
    {
      // The China (Beijing) Region: every ARN in the aws-cn partition, the key policy's root included
      // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).
      file: 'create-stream.cn-north-1.v1.08.json',
      expected: {
        account: '444455556666',
        region: 'cn-north-1',
        streamName: 'ingest-cn',
        streamArn: 'arn:aws-cn:kinesis:cn-north-1:444455556666:stream/ingest-cn',
        trigger: 'CreateStream',
      },
    },
  ])(
    'replays the saved record $file to Encrypted',
    async ({ file, expected }) => {
      // Prepare
      const saved = JSON.parse(readFileSync(join(RECORDS, file), 'utf8')) as { detail?: { eventID: string } };
      const eventId = (saved.detail ?? (saved as unknown as { eventID: string })).eventID;

      // Act
      const { code, stdout, stderr } = await replay(join(RECORDS, file));

      // Assess
      expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
      expect(JSON.parse(stdout)).toMatchObject({ detail: { outcome: 'Encrypted', eventId, ...expected } });
    },
    REPLAY_TIMEOUT_MS
  );

  it(
    'wraps a bare CloudTrail record',
    async () => {
      // Prepare
      const file = write('bare.json', JSON.stringify(sample.detail));

      // Act
      const { code, stdout } = await replay(file);

      // Assess
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ detail: { outcome: 'Encrypted', eventId: sample.detail.eventID } });
    },
    REPLAY_TIMEOUT_MS
  );

  it.each([
    { case: 'not JSON', content: '{"detail": ', code: 2, message: /not JSON/ },
    {
      case: 'not a CloudTrail record',
      content: '{"hello": "world"}',
      code: 2,
      message: /neither an EventBridge event/,
    },
    {
      case: 'a failed CreateStream',
      content: JSON.stringify({
        ...sample,
        detail: { ...sample.detail, errorCode: 'LimitExceededException', errorMessage: 'limit' },
      }),
      code: 3,
      message: /errorCode LimitExceededException/,
    },
    {
      case: 'another eventName',
      content: JSON.stringify({ ...sample, detail: { ...sample.detail, eventName: 'DeleteStream' } }),
      code: 3,
      message: /The event \(DeleteStream\) does not match the rule pattern/,
    },
  ])(
    'exits $code with a message on stderr for $case',
    async ({ content, code, message }) => {
      // Prepare
      const file = write('invalid.json', content);

      // Act
      const result = await replay(file);

      // Assess
      expect(result.code).toBe(code);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    },
    REPLAY_TIMEOUT_MS
  );
});
