import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeStreamSummaryCommand,
  KinesisClient,
  ListStreamsCommand,
  ListTagsForStreamCommand,
  StartStreamEncryptionCommand,
} from '@aws-sdk/client-kinesis';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { mockClient } from 'aws-sdk-client-mock';
import { runCli } from '../../../src/cli/runCli';
import type { Report } from '../../../src/report/report';
import { reportErrors } from '../../helpers/reportSchema';

const kinesis = mockClient(KinesisClient);
const kms = mockClient(KMSClient);
const tagging = mockClient(ResourceGroupsTaggingAPIClient);
const arnOf = (name: string) => `arn:aws:kinesis:us-east-1:111111111111:stream/${name}`;
const created = new Date('2026-11-30T00:00:00Z');

const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => err.push(text) },
      env: {},
      signal: new AbortController().signal,
      credentialsFor: () => async () => ({ accessKeyId: '111111111111', secretAccessKey: 'x' }),
    },
  };
};

/** Streams: `plain` unencrypted, `done` on the default key, `team` on a team key, `skip` exempt by tag. */
const account = () => {
  const encrypted = new Set<string>(['done']);
  kinesis.on(ListStreamsCommand).resolves({
    StreamNames: ['plain', 'done', 'team', 'skip'],
    StreamSummaries: ['plain', 'done', 'team', 'skip'].map((name) => ({
      StreamName: name,
      StreamARN: arnOf(name),
      StreamStatus: 'ACTIVE',
      StreamCreationTimestamp: created,
    })),
  });
  kinesis.on(DescribeStreamSummaryCommand).callsFake(async ({ StreamARN }: { StreamARN: string }) => {
    const name = StreamARN.split('/')[1] as string;
    const keyId = name === 'team' ? 'alias/team' : encrypted.has(name) ? 'alias/aws/kinesis' : undefined;
    return {
      StreamDescriptionSummary: {
        StreamName: name,
        StreamARN,
        StreamStatus: 'ACTIVE',
        EncryptionType: keyId === undefined ? 'NONE' : 'KMS',
        KeyId: keyId,
        StreamCreationTimestamp: created,
      },
    };
  });
  kinesis.on(StartStreamEncryptionCommand).callsFake(async ({ StreamARN }: { StreamARN: string }) => {
    encrypted.add(StreamARN.split('/')[1] as string);
    return {};
  });
  tagging.on(GetResourcesCommand).resolves({
    ResourceTagMappingList: [
      { ResourceARN: arnOf('skip'), Tags: [{ Key: 'kinesis-auto-encrypt:exempt', Value: 'true' }] },
    ],
  });
  kinesis.on(ListTagsForStreamCommand).resolves({ Tags: [], HasMoreTags: false });
  kms.on(DescribeKeyCommand).callsFake(async ({ KeyId }: { KeyId: string }) => ({
    KeyMetadata: {
      KeyId,
      Arn: `arn:aws:kms:us-east-1:111111111111:key/${KeyId === 'alias/team' ? 'team' : 'aws-kinesis'}`,
      KeyState: 'Enabled',
      Enabled: true,
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyManager: 'AWS',
    },
  }));
};

describe('runCli', () => {
  let dir: string;

  beforeEach(() => {
    kinesis.reset();
    kms.reset();
    tagging.reset();
    dir = mkdtempSync(join(tmpdir(), 'run-cli-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('audit: exit 1, the unencrypted stream non-compliant, the exempt one exempt (bulk tags), nothing changed', async () => {
    // Prepare
    account();
    const { io: cliIo } = io();

    // Act
    const code = await runCli(['audit', '--region', 'us-east-1', '--out', dir], cliIo);

    // Assess
    expect(code).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
    expect(reportErrors(report)).toEqual([]);
    expect(Object.fromEntries(report.streams.map((s) => [s.streamName, s.compliance]))).toEqual({
      plain: 'NonCompliant',
      done: 'Compliant',
      team: 'Compliant',
      skip: 'Exempt',
    });
    expect(report.streams.find((s) => s.streamName === 'plain')?.exposure).toMatchObject({
      from: created.toISOString(),
      to: null,
    });
    expect(kinesis).not.toHaveReceivedCommand(StartStreamEncryptionCommand);
    expect(kinesis).not.toHaveReceivedCommand(ListTagsForStreamCommand);
    expect(tagging).toHaveReceivedCommandTimes(GetResourcesCommand, 1);
  });

  it('sweep: applies only to the non-compliant stream (tags read again first), confirms it, exit 0', async () => {
    // Prepare
    account();
    const { io: cliIo, out } = io();

    // Act
    const code = await runCli(['sweep', '--region', 'us-east-1', '--format', 'json'], cliIo);

    // Assess
    expect(code).toBe(0);
    const report = JSON.parse(out.join('')) as Report;
    expect(report.totals).toMatchObject({ streams: 4, compliant: 3, exempt: 1, changed: 1, confirmed: 1 });
    expect(kinesis).toHaveReceivedCommandTimes(StartStreamEncryptionCommand, 1);
    expect(kinesis).toHaveReceivedCommandWith(StartStreamEncryptionCommand, {
      StreamARN: arnOf('plain'),
      EncryptionType: 'KMS',
      KeyId: 'alias/aws/kinesis',
    });
    expect(kinesis).toHaveReceivedCommandWith(ListTagsForStreamCommand, { StreamARN: arnOf('plain') });
    expect(report.streams.find((s) => s.streamName === 'plain')).toMatchObject({
      outcome: 'Encrypted',
      changed: true,
      policy: 'enforce / default key',
    });
  });

  it('falls back to ListTagsForStream when tag:GetResources is refused, and says so', async () => {
    // Prepare
    account();
    tagging.on(GetResourcesCommand).rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException' }));
    const { io: cliIo, err } = io();

    // Act
    const code = await runCli(['audit', '--region', 'us-east-1'], cliIo);

    // Assess
    expect(code).toBe(1);
    expect(kinesis).toHaveReceivedCommandTimes(ListTagsForStreamCommand, 4);
    expect(err.join('')).toContain('tags read per stream with ListTagsForStream');
  });

  it.each([
    [undefined, 'the SDK default credential chain'],
    ['ops', 'profile "ops" (--profile)'],
  ])('exit 2 without credentials, naming the source tried (profile %p)', async (profile, source) => {
    // Prepare
    const { io: cliIo, err } = io();
    const args = ['audit', '--region', 'us-east-1', ...(profile === undefined ? [] : ['--profile', profile])];

    // Act
    const code = await runCli(args, {
      ...cliIo,
      credentialsFor: () => async () => {
        throw Object.assign(new Error('Could not load credentials from any providers'), {
          name: 'CredentialsProviderError',
        });
      },
    });

    // Assess
    expect(code).toBe(2);
    expect(err.join('')).toContain(source);
    expect(kinesis).not.toHaveReceivedCommand(ListStreamsCommand);
  });

  it('exit 2 with the usage on bad usage', async () => {
    // Prepare
    const { io: cliIo, err } = io();

    // Act
    const code = await runCli(['audit', '--describe-rate', '50'], cliIo);

    // Assess
    expect(code).toBe(2);
    expect(err.join('')).toContain('Usage: kinesis-auto-encrypt');
  });

  it('an interrupted run reports the streams it never read as NotChecked and exits 1', async () => {
    // Prepare
    account();
    const controller = new AbortController();
    controller.abort();
    const { io: cliIo, err } = io();

    // Act
    const code = await runCli(['sweep', '--region', 'us-east-1', '--out', dir], {
      ...cliIo,
      signal: controller.signal,
    });

    // Assess
    expect(code).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
    expect(report).toMatchObject({ interrupted: true, totals: { streams: 4, notChecked: 4, changed: 0 } });
    expect(err.join('')).toContain('interrupted: 0 streams checked');
    expect(kinesis).not.toHaveReceivedCommand(StartStreamEncryptionCommand);
  });
});
