import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../tools/dev';

const SAMPLE = join(REPO_ROOT, 'test', 'fixtures', 'events', 'create-stream.json');
/** Real-shaped records, each citing what it copies (test/fixtures/cloudtrail/README.md). */
const RECORDS = join(REPO_ROOT, 'test', 'fixtures', 'cloudtrail');
const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

/** Runs `npm start -- --event <file>` (the CLI through tsx) with short durations. */
const replay = (file: string): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(TSX, ['tools/dev/cli.ts', '--event', file, '--create-ms', '300', '--update-ms', '300'], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Never outlive the test: stop the CLI (and so its emulators) if it hangs.
    const timer = setTimeout(() => child.kill('SIGTERM'), 80_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });

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

describe('npm start -- --event (replay of a saved event)', () => {
  it('replays the saved CreateStream event and prints its Encrypted completion event', async () => {
    // Act
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
    expect(Date.now() - Date.parse(createdAt)).toBeLessThan(60_000);
  }, 60_000);

  it('replays a saved StopStreamEncryption: creates the stream encrypted, decrypts it, prints its repair', async () => {
    // Prepare: the same record as a StopStreamEncryption by a person (StopStreamEncryption request:
    // https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StopStreamEncryption.html)
    const stop = {
      ...sample,
      detail: {
        ...sample.detail,
        eventName: 'StopStreamEncryption',
        requestParameters: { streamName: 'replayed-drift', encryptionType: 'KMS', keyId: 'alias/kinesis-auto-encrypt' },
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
  }, 90_000);

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
    90_000
  );

  it('wraps a bare CloudTrail record', async () => {
    // Prepare
    const file = write('bare.json', JSON.stringify(sample.detail));

    // Act
    const { code, stdout } = await replay(file);

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ detail: { outcome: 'Encrypted', eventId: sample.detail.eventID } });
  }, 60_000);

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
    30_000
  );
});
