import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeStreamSummaryCommand,
  KinesisClient,
  ListStreamsCommand,
  ListTagsForStreamCommand,
  StartStreamEncryptionCommand,
} from '@aws-sdk/client-kinesis';
import { DescribeKeyCommand, KMSClient, NotFoundException } from '@aws-sdk/client-kms';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { runCli } from '../../../src/cli/runCli';
import type { Report } from '../../../src/report/report';
import { cliIo } from '../../helpers/cliIo';
import { reportErrors } from '../../helpers/reportSchema';

const kinesis = mockClient(KinesisClient);
const kms = mockClient(KMSClient);
const cloudwatch = mockClient(CloudWatchClient);
const cloudtrail = mockClient(CloudTrailClient);
const tagging = mockClient(ResourceGroupsTaggingAPIClient);
const sts = mockClient(STSClient);
const ssm = mockClient(SSMClient);
const SETTINGS = '/kinesis-auto-encrypt/prod/settings';
const KEY_PARAMETER = '/kinesis-auto-encrypt/prod/default-kms-key-id';
/** What the prod stack publishes (deploy/settings.yml). */
const PROD = {
  version: '1',
  stage: 'prod',
  deployment: 'account',
  kmsKeyId: 'alias/prod-key',
  kmsKeySsmParameter: KEY_PARAMETER,
  mode: 'enforce',
  overrideForeignKeys: true,
  allowExemptions: true,
  allowKeyTags: true,
  keyPolicyCheck: 'warn',
  allowCrossAccountKey: false,
  keyBudgetReserve: 2,
  maxDriftRepairsPerDay: 3,
};
/** The prod stage's parameters: its settings and, when given, its key parameter (a KeyId or a key map). */
const prodStage = (keyParameter?: string) => {
  ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
  ssm
    .on(GetParameterCommand, { Name: SETTINGS })
    .resolves({ Parameter: { Name: SETTINGS, Value: JSON.stringify(PROD) } });
  if (keyParameter !== undefined) {
    ssm
      .on(GetParameterCommand, { Name: KEY_PARAMETER })
      .resolves({ Parameter: { Name: KEY_PARAMETER, Value: keyParameter } });
  }
};
const appliedKeys = () =>
  Object.fromEntries(
    kinesis
      .commandCalls(StartStreamEncryptionCommand)
      .map(({ args }) => [String(args[0].input.StreamARN).split('/')[1], args[0].input.KeyId])
  );
const settingsOf = (err: string[]) =>
  err
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('settings: '));
const arnOf = (name: string) => `arn:aws:kinesis:us-east-1:111111111111:stream/${name}`;
const created = new Date('2026-11-30T00:00:00Z');

const io = () => cliIo('111111111111');

/** Streams: `plain` unencrypted, `done` on the default key, `team` on a team key, `skip` exempt by tag. */
const account = () => {
  const encrypted = new Map<string, string>([
    ['done', 'alias/aws/kinesis'],
    ['team', 'alias/team'],
  ]);
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
    const keyId = encrypted.get(name);
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
  kinesis
    .on(StartStreamEncryptionCommand)
    .callsFake(async ({ StreamARN, KeyId }: { StreamARN: string; KeyId: string }) => {
      encrypted.set(StreamARN.split('/')[1] as string, KeyId);
      return {};
    });
  tagging.on(GetResourcesCommand).resolves({
    ResourceTagMappingList: [
      { ResourceARN: arnOf('skip'), Tags: [{ Key: 'kinesis-auto-encrypt:exempt', Value: 'true' }] },
    ],
  });
  kinesis.on(ListTagsForStreamCommand).resolves({ Tags: [], HasMoreTags: false });
  sts.on(GetCallerIdentityCommand).resolves({ Account: '111111111111', Arn: 'arn:aws:iam::111111111111:user/auditor' });
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
    cloudwatch.reset();
    cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    cloudtrail.reset();
    cloudtrail.on(LookupEventsCommand).resolves({ Events: [] });
    tagging.reset();
    sts.reset();
    ssm.reset();
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
    expect(Object.fromEntries(report.streams.map((s) => [s.streamName, s.exposedSince]))).toEqual({
      plain: created.toISOString(),
      done: null,
      team: null,
      skip: created.toISOString(),
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

  it.each([
    [['--stream', 'plain'], ['plain']],
    [
      ['--stream', arnOf('plain'), '--stream', 'done'],
      ['plain', 'done'],
    ],
    [
      ['--stream', 'plain,skip'],
      ['plain', 'skip'],
    ],
    [['--stream', 'absent'], []],
  ])('audit %j: only those streams are checked and reported', async (flags, names) => {
    // Prepare
    account();
    const { io: cliIo, out } = io();

    // Act
    await runCli(['audit', '--region', 'us-east-1', '--format', 'json', ...flags], cliIo);

    // Assess
    const report = JSON.parse(out.join('')) as Report;
    expect(report.streams.map((s) => s.streamName).sort()).toEqual([...names].sort());
  });

  it('audit --key: the non-compliant stream names the sweep that fixes it (its ARN, region and --key); others none', async () => {
    // Prepare
    account();
    const { io: cliIo, out } = io();

    // Act
    await runCli(['audit', '--region', 'us-east-1', '--key', 'alias/aws/kinesis', '--format', 'json'], cliIo);

    // Assess
    const report = JSON.parse(out.join('')) as Report;
    expect(reportErrors(report)).toEqual([]);
    expect(Object.fromEntries(report.streams.map((s) => [s.streamName, s.fixCommand]))).toEqual({
      plain: `kinesis-auto-encrypt sweep --stream ${arnOf('plain')} --region us-east-1 --key alias/aws/kinesis`,
      done: '',
      team: '',
      skip: '',
    });
  });

  it.each([
    ['plain received records', { MetricDataResults: [{ Id: 's0', Values: [5] }] }, true, 'critical', 0],
    ['no stream received records', { MetricDataResults: [] }, false, 'high', 0],
  ])('audit, %s: receivingWrites %p, plain is %s', async (_label, answer, writing, severity, notes) => {
    // Prepare
    account();
    cloudwatch.on(GetMetricDataCommand).resolves(answer);
    const { io: cliIo, out, err } = io();

    // Act
    await runCli(['audit', '--region', 'us-east-1', '--stream', 'plain', '--format', 'json'], cliIo);

    // Assess
    const report = JSON.parse(out.join('')) as Report;
    expect(report.streams[0]).toMatchObject({ streamName: 'plain', receivingWrites: writing, severity });
    expect(err.join('').match(/receivingWrites left empty/g) ?? []).toHaveLength(notes);
  });

  it('audit with GetMetricData refused: receivingWrites empty (null), one note on stderr, the run as without it', async () => {
    // Prepare
    account();
    cloudwatch
      .on(GetMetricDataCommand)
      .rejects(
        Object.assign(new Error('User is not authorized to perform cloudwatch:GetMetricData'), { name: 'AccessDenied' })
      );
    const { io: cliIo, out, err } = io();

    // Act
    const code = await runCli(['audit', '--region', 'us-east-1', '--format', 'json'], cliIo);

    // Assess
    expect(code).toBe(1);
    const report = JSON.parse(out.join('')) as Report;
    expect(reportErrors(report)).toEqual([]);
    expect(report.streams.map((s) => s.receivingWrites)).toEqual([null, null, null, null]);
    expect(report.streams.find((s) => s.streamName === 'plain')?.severity).toBe('high');
    expect(err.join('').match(/receivingWrites left empty/g)).toHaveLength(1);
    expect(report.notes.filter((note) => note.includes('GetMetricData'))).toHaveLength(1);
  });

  it.each([
    [
      'CloudTrail names the creator',
      () =>
        cloudtrail.on(LookupEventsCommand).resolves({
          Events: ['plain', 'done'].map((streamName) => ({
            CloudTrailEvent: JSON.stringify({
              requestParameters: { streamName },
              userIdentity: { arn: 'arn:aws:iam::111111111111:user/dev' },
            }),
          })),
        }),
      'arn:aws:iam::111111111111:user/dev',
      0,
    ],
    [
      'LookupEvents refused',
      () =>
        cloudtrail
          .on(LookupEventsCommand)
          .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' })),
      null,
      1,
    ],
  ])('audit, %s: createdBy of the non-compliant stream only', async (_label, answer, caller, notes) => {
    // Prepare
    account();
    answer();
    const { io: cliIo, out, err } = io();

    // Act
    const code = await runCli(['audit', '--region', 'us-east-1', '--format', 'json'], cliIo);

    // Assess
    expect(code).toBe(1);
    const report = JSON.parse(out.join('')) as Report;
    expect(reportErrors(report)).toEqual([]);
    expect(Object.fromEntries(report.streams.map((s) => [s.streamName, s.createdBy]))).toEqual({
      plain: caller,
      done: null,
      team: null,
      skip: null,
    });
    expect(err.join('').match(/createdBy left empty/g) ?? []).toHaveLength(notes);
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

  it.each([['json'], ['csv'], ['table']])(
    'audit --key alias/missing --format %s: exit 2, one message naming the key and --key, no report rows, no stream listed',
    async (format) => {
      // Prepare
      account();
      kms
        .on(DescribeKeyCommand, { KeyId: 'alias/missing' })
        .rejects(new NotFoundException({ message: 'Alias alias/missing is not found.', $metadata: {} }));
      const { io: cliIo, out, err } = io();

      // Act
      const code = await runCli(
        ['audit', '--region', 'us-east-1', '--key', 'alias/missing', '--format', format, '--out', dir],
        cliIo
      );

      // Assess
      const lines = err
        .join('')
        .split('\n')
        .filter((line) => line !== '' && !line.startsWith('settings: '));
      expect(code).toBe(2);
      expect(lines).toEqual([expect.stringMatching(/alias\/missing.*--key/)]);
      expect(out.join('')).toBe('');
      expect(kinesis).not.toHaveReceivedCommand(ListStreamsCommand);
      expect(kms).toHaveReceivedCommandTimes(DescribeKeyCommand, 1);
    }
  );

  describe("--stage: the deployment's published settings", () => {
    it("sweep --stage prod applies the stage's key and policy and says where each setting came from on stderr", async () => {
      // Prepare
      account();
      prodStage();
      const { io: cliIo, out, err } = io();

      // Act
      const code = await runCli(['sweep', '--region', 'us-east-1', '--stage', 'prod', '--format', 'json'], cliIo);

      // Assess
      expect(code).toBe(0);
      expect(appliedKeys()).toEqual({ plain: 'alias/prod-key', team: 'alias/prod-key' });
      expect(settingsOf(err)).toEqual([
        'settings: key=alias/prod-key (stage prod: stage parameter kmsKeyId)',
        'settings: mode=enforce (stage prod)',
        'settings: overrideForeignKeys=true (stage prod)',
        'settings: allowExemptions=true (stage prod)',
        'settings: allowKeyTags=true (stage prod)',
        'settings: keyPolicyCheck=warn (stage prod)',
        'settings: keyBudgetReserve=2 (stage prod)',
        'settings: maxDriftRepairsPerDay=3 (stage prod)',
      ]);
      expect((JSON.parse(out.join('')) as Report).options.key).toBe('alias/prod-key');
      expect(ssm).toHaveReceivedCommandWith(GetParameterCommand, { Name: SETTINGS });
    });

    it.each([
      ['a KeyId', 'alias/rotated', 'alias/rotated', `SSM parameter ${KEY_PARAMETER}`],
      [
        'a key map',
        JSON.stringify({ default: 'alias/other', '111111111111': 'alias/mine' }),
        'alias/mine',
        `SSM parameter ${KEY_PARAMETER} (entry "default")`,
      ],
    ])(
      "resolves the key as the pipeline does: the stage's key parameter holding %s overrides kmsKeyId",
      async (_form, value, applied, source) => {
        // Prepare
        account();
        prodStage(value);
        const { io: cliIo, err } = io();

        // Act
        await runCli(['sweep', '--region', 'us-east-1', '--stage', 'prod', '--no-override-foreign-keys'], cliIo);

        // Assess
        expect(appliedKeys()).toEqual({ plain: applied });
        expect(settingsOf(err)[0]).toMatch(
          new RegExp(`^settings: key=\\S+ \\(stage prod: ${source.replace(/[()/]/g, '\\$&')}\\)$`)
        );
      }
    );

    it('flags override the stage: --key, --no-override-foreign-keys, --key-policy-check', async () => {
      // Prepare
      account();
      prodStage();
      const { io: cliIo, err } = io();
      const flags = ['--key', 'alias/flag', '--no-override-foreign-keys', '--key-policy-check', 'off'];

      // Act
      await runCli(['sweep', '--region', 'us-east-1', '--stage', 'prod', ...flags], cliIo);

      // Assess
      expect(appliedKeys()).toEqual({ plain: 'alias/flag' });
      expect(settingsOf(err)).toEqual(
        expect.arrayContaining([
          'settings: key=alias/flag (--key)',
          'settings: overrideForeignKeys=false (--no-override-foreign-keys)',
          'settings: keyPolicyCheck=off (--key-policy-check)',
          'settings: allowKeyTags=true (stage prod)',
        ])
      );
    });

    it("without --stage or flags: today's defaults, each said to be the default", async () => {
      // Prepare
      account();
      const { io: cliIo, err } = io();

      // Act
      await runCli(['sweep', '--region', 'us-east-1'], cliIo);

      // Assess
      expect(appliedKeys()).toEqual({ plain: 'alias/aws/kinesis' });
      expect(settingsOf(err)).toEqual([
        'settings: key=alias/aws/kinesis (default)',
        'settings: mode=enforce (command sweep)',
        'settings: overrideForeignKeys=false (default)',
        'settings: allowExemptions=true (default)',
        'settings: allowKeyTags=true (default)',
        'settings: keyPolicyCheck=enforce (default)',
        'settings: keyBudgetReserve=2 (default)',
        'settings: maxDriftRepairsPerDay=3 (default)',
      ]);
      expect(ssm).not.toHaveReceivedCommand(GetParameterCommand);
    });

    it('a stage in audit mode: sweep changes nothing', async () => {
      // Prepare
      account();
      prodStage();
      ssm.on(GetParameterCommand, { Name: SETTINGS }).resolves({
        Parameter: { Name: SETTINGS, Value: JSON.stringify({ ...PROD, mode: 'audit' }) },
      });
      const { io: cliIo, err } = io();

      // Act
      const code = await runCli(['sweep', '--region', 'us-east-1', '--stage', 'prod'], cliIo);

      // Assess
      expect(code).toBe(1);
      expect(kinesis).not.toHaveReceivedCommand(StartStreamEncryptionCommand);
      expect(settingsOf(err)).toContain('settings: mode=audit (stage prod)');
    });

    it('exit 2 when the stage has no settings there, naming the parameter, account and region', async () => {
      // Prepare
      account();
      ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
      const { io: cliIo, err } = io();

      // Act
      const code = await runCli(['audit', '--region', 'us-east-1', '--stage', 'prod'], cliIo);

      // Assess
      expect(code).toBe(2);
      expect(err.join('')).toContain(`${SETTINGS} not found in 111111111111/us-east-1`);
      expect(kinesis).not.toHaveReceivedCommand(ListStreamsCommand);
    });
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
