import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeStreamSummaryCommand,
  KinesisClient,
  ListStreamsCommand,
  ListTagsForStreamCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-kinesis';
import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient, NotFoundException } from '@aws-sdk/client-kms';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { runCli } from '../../../src/cli/runCli';
import type { Report } from '../../../src/report/report';
import { cliIo } from '../../helpers/cliIo';
import { environmentNamesIn } from '../../helpers/environmentNames';
import { reportErrors } from '../../helpers/reportSchema';

const kinesis = mockClient(KinesisClient);
const kms = mockClient(KMSClient);
const tagging = mockClient(ResourceGroupsTaggingAPIClient);
const sts = mockClient(STSClient);
const ACCOUNT = '111111111111';
const arnOf = (name: string) => `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/${name}`;
const created = new Date('2026-11-30T00:00:00Z');
const KEY_TAG = 'kinesis-auto-encrypt:key';

/** Each stream: its key (undefined: unencrypted) and its key tag. */
const STREAMS: Record<string, { keyId?: string; keyTag?: string }> = {
  // Unencrypted, its key tag names a key that does not exist: a key problem, never a compliant stream.
  orders: { keyTag: 'alias/missing' },
  // Unencrypted, its key tag names a key whose policy shuts the account out (key policy pre-flight, enforce).
  payments: { keyTag: 'alias/locked' },
  // Unencrypted, the default key: audit reports it.
  legacy: {},
  // On the default key.
  done: { keyId: 'alias/aws/kinesis' },
  // On a team's own key, left alone (foreign keys not overridden).
  team: { keyId: 'alias/team' },
};

const keyMetadata = (keyId: string, name: string, keyManager: 'AWS' | 'CUSTOMER') => ({
  KeyMetadata: {
    KeyId: keyId,
    Arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${name}`,
    KeyState: 'Enabled' as const,
    Enabled: true,
    KeyUsage: 'ENCRYPT_DECRYPT' as const,
    KeySpec: 'SYMMETRIC_DEFAULT' as const,
    KeyManager: keyManager,
  },
});

const account = () => {
  const names = Object.keys(STREAMS);
  kinesis.on(ListStreamsCommand).resolves({
    StreamNames: names,
    StreamSummaries: names.map((name) => ({
      StreamName: name,
      StreamARN: arnOf(name),
      StreamStatus: 'ACTIVE',
      StreamCreationTimestamp: created,
    })),
  });
  kinesis.on(DescribeStreamSummaryCommand).callsFake(async ({ StreamARN }: { StreamARN: string }) => {
    const name = StreamARN.split('/')[1] as string;
    const keyId = STREAMS[name]?.keyId;
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
  tagging.on(GetResourcesCommand).resolves({
    ResourceTagMappingList: Object.entries(STREAMS).flatMap(([name, { keyTag }]) =>
      keyTag === undefined ? [] : [{ ResourceARN: arnOf(name), Tags: [{ Key: KEY_TAG, Value: keyTag }] }]
    ),
  });
  kinesis.on(ListTagsForStreamCommand).resolves({ Tags: [], HasMoreTags: false });
  kms.on(DescribeKeyCommand).callsFake(async ({ KeyId }: { KeyId: string }) => {
    if (KeyId === 'alias/missing') {
      throw new NotFoundException({ message: `Alias ${KeyId} is not found.`, $metadata: {} });
    }
    if (KeyId === 'alias/locked') return keyMetadata(KeyId, 'locked', 'CUSTOMER');
    return keyMetadata(KeyId, KeyId === 'alias/team' ? 'team' : 'aws-kinesis', 'AWS');
  });
  // Only another account may use alias/locked: no principal of this account can produce or consume.
  kms.on(GetKeyPolicyCommand).resolves({
    Policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'kms:*', Resource: '*' },
      ],
    }),
  });
};

const io = () => cliIo(ACCOUNT);

describe('the CLI report: compliance apart from outcome, reasons in the CLI user language', () => {
  let dir: string;

  beforeEach(() => {
    kinesis.reset();
    kms.reset();
    tagging.reset();
    sts.reset();
    // The CLI learns its own account before listing (src/aws/cliSession.ts).
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/auditor` });
    account();
    dir = mkdtempSync(join(tmpdir(), 'cli-compliance-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // Issue 20, item 6: a key problem never turns an unencrypted stream into anything but NonCompliant + Failed.
  it('audit: an unencrypted stream whose desired key is missing is NonCompliant with outcome Failed, and counted non-compliant', async () => {
    // Prepare
    const { io: cliIo } = io();

    // Act
    const code = await runCli(['audit', '--region', 'us-east-1', '--out', dir], cliIo);

    // Assess
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
    const row = (name: string) => report.streams.find((stream) => stream.streamName === name);
    expect(code).toBe(1);
    expect(reportErrors(report)).toEqual([]);
    expect(row('orders')).toMatchObject({ compliance: 'NonCompliant', outcome: 'Failed', encryptionType: 'NONE' });
    expect(row('payments')).toMatchObject({ compliance: 'NonCompliant', outcome: 'Failed' });
    expect(row('legacy')).toMatchObject({ compliance: 'NonCompliant', outcome: 'NonCompliant' });
    expect(row('team')).toMatchObject({ compliance: 'Compliant', outcome: 'Skipped' });
    expect(report.totals).toMatchObject({ streams: 5, compliant: 2, nonCompliant: 3, exempt: 0, failed: 2 });
  });

  it('audit: a stream deleted during the run is NotChecked (Skipped) and fails nothing: exit 0', async () => {
    // Prepare: the account holds done and gone; gone is deleted between listing and reading.
    kinesis.on(ListStreamsCommand).resolves({
      StreamNames: ['done', 'gone'],
      StreamSummaries: ['done', 'gone'].map((name) => ({
        StreamName: name,
        StreamARN: arnOf(name),
        StreamStatus: 'ACTIVE',
        StreamCreationTimestamp: created,
      })),
    });
    kinesis
      .on(DescribeStreamSummaryCommand, { StreamARN: arnOf('gone') })
      .rejects(new ResourceNotFoundException({ message: 'Stream gone not found', $metadata: {} }));
    tagging.on(GetResourcesCommand).resolves({ ResourceTagMappingList: [] });
    const { io: cliIo, out } = io();

    // Act
    const code = await runCli(['audit', '--region', 'us-east-1', '--format', 'json'], cliIo);

    // Assess
    const report = JSON.parse(out.join('')) as Report;
    expect(report.streams.map(({ streamName, compliance, outcome }) => [streamName, compliance, outcome])).toEqual([
      ['done', 'Compliant', 'AlreadyCompliant'],
      ['gone', 'NotChecked', 'Skipped'],
    ]);
    expect(report.totals).toMatchObject({ streams: 2, compliant: 1, notChecked: 1, nonCompliant: 0, failed: 0 });
    expect(code).toBe(0);
  });

  it.each([['table'], ['json'], ['csv']])(
    // Issue 20, item 10: no environment variable name (MODE=audit, KEY_POLICY_CHECK=enforce, …) in what the CLI prints.
    'names no environment variable on stdout (--format %s), stderr or the report files',
    async (format) => {
      // Prepare
      const { io: cliIo, out, err } = io();

      // Act
      await runCli(['audit', '--region', 'us-east-1', '--format', format, '--out', dir], cliIo);

      // Assess
      const files = ['report.json', 'report.csv', 'report.html'].map((file) => readFileSync(join(dir, file), 'utf8'));
      const report = JSON.parse(files[0] as string) as Report;
      const reasons = report.streams.map((stream) => stream.reason);
      expect(reasons.filter((reason) => reason.includes('left as is'))).toHaveLength(1);
      expect(reasons.filter((reason) => reason.includes('nothing changed'))).toHaveLength(1);
      expect(reasons.filter((reason) => reason.includes("cannot serve the stream's producers"))).toHaveLength(1);
      expect(environmentNamesIn([out.join(''), err.join(''), ...files].join('\n'))).toEqual([]);
    }
  );
});
