import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageTemplate } from '../../helpers/packageTemplate';

const execFileAsync = promisify(execFile);
const REPO_ROOT = join(__dirname, '..', '..', '..');
const { STAGE_PARAMETER_NAMES } = require('../../../deploy/stageParameters') as { STAGE_PARAMETER_NAMES: string[] };

/** What one `serverless package` printed (stdout and stderr) and its exit code. */
interface Run {
  code: number;
  output: string;
}

/**
 * Runs `serverless package` with the given `--param` arguments into a folder of its own. Runs that fail while
 * serverless.yml is resolved never reach the bundler, so they may run side by side.
 */
const packageWith = async (params: string[]): Promise<Run> => {
  const outputDir = await mkdtemp(join(tmpdir(), 'kae-params-'));
  const bin = join(REPO_ROOT, 'node_modules', 'osls', 'bin', 'serverless.js');
  const args = [bin, 'package', '--stage', 'paramcheck', ...params.flatMap((param) => ['--param', param])];
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [...args, '--package', outputDir], {
      cwd: REPO_ROOT,
      env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' },
      timeout: 4 * 60_000,
    });
    return { code: 0, output: `${stdout}\n${stderr}` };
  } catch (error) {
    const { code, stdout, stderr } = error as { code?: number; stdout?: string; stderr?: string };
    return { code: code ?? -1, output: `${stdout ?? ''}\n${stderr ?? ''}` };
  } finally {
    await rm(outputDir, { recursive: true, force: true });
  }
};

const occurrences = (text: string, part: string): number => text.split(part).length - 1;

// A value of every stage parameter other than its default, all valid (deployment=org, so the organisation ones count).
const GOOD: Record<string, string> = {
  kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:alias/org-kinesis',
  kmsKeyIamResource: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  eventBusName: 'governance',
  mode: 'audit',
  writeGuard: 'off',
  allowExemptions: 'false',
  allowKeyTags: 'false',
  keyBudgetReserve: '3',
  maxDriftRepairsPerDay: '5',
  overrideForeignKeys: 'true',
  probeAfterConfirm: 'true',
  confirmTimeoutSeconds: '600',
  iacGraceSeconds: '60',
  iacUserAgents: 'Terraform/,pulumi',
  keyPolicyCheck: 'warn',
  allowCrossAccountKey: 'true',
  logLevel: 'DEBUG',
  deployment: 'org',
  organizationId: 'o-example123',
  memberTargets: 'r-abcd',
  memberRegions: 'us-east-1,eu-west-1',
  memberRoleRegion: 'eu-west-1',
  memberRoleName: 'kae-member',
  stackSetCallAs: 'SELF',
  alarmEmail: 'secops@example.com',
  maxExposureMinutes: '30',
  alarmTopicKmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  runbookUrl: 'https://wiki.example.com/kinesis-auto-encrypt',
  sweepSchedule: 'cron(0 3 ? * MON-FRI *)',
  sweepDescribePerSecond: '5',
  sweepAccountRegionsInFlight: '32',
  sweepAccountsRoleArn: 'arn:aws:iam::111122223333:role/list-accounts',
};

describe('stage parameters checked by `serverless package` (osls accepts any name and value)', () => {
  let runs: Record<'mode' | 'kmsKeyId' | 'several', Run>;

  beforeAll(async () => {
    const [mode, kmsKeyId, several] = await Promise.all([
      packageWith(['mode=report']),
      packageWith(['kmsKeyId=my-key']),
      packageWith(['modee=audit', 'keyBudgetReserve=25', 'sweepSchedule=cron(0 3 * * * *)', 'logLevel=VERBOSE']),
    ]);
    runs = { mode, kmsKeyId, several };
  }, 5 * 60_000);

  it.each<{ run: 'mode' | 'kmsKeyId'; line: string }>([
    { run: 'mode', line: 'mode=report is not one of enforce, audit' },
    {
      run: 'kmsKeyId',
      line: 'kmsKeyId=my-key is not a KMS KeyId: use a key id (GUID or mrk-…), a key ARN, an alias ARN, alias/<name> or alias/aws/kinesis',
    },
  ])('fails with --param of a bad $run, naming it once', ({ run, line }) => {
    // Act
    const { code, output } = runs[run];

    // Assess
    expect(code).not.toBe(0);
    expect(occurrences(output, 'invalid stage parameters')).toBe(1);
    expect(occurrences(output, `${run}=`)).toBe(1);
    expect(output).toContain(line);
    expect(output).not.toMatch(/^\s+at /m);
  });

  it('fails on an unknown name and several bad values with one message naming each once', () => {
    // Act
    const { code, output } = runs.several;

    // Assess
    expect(code).not.toBe(0);
    expect(occurrences(output, 'invalid stage parameters')).toBe(1);
    expect(occurrences(output, 'modee is not a stage parameter (did you mean mode?); known: alarmEmail, ')).toBe(1);
    expect(occurrences(output, 'keyBudgetReserve=25 is not a whole number from 0 to 24')).toBe(1);
    expect(occurrences(output, 'sweepSchedule=cron(0 3 * * * *) needs ? in exactly one of day-of-month')).toBe(1);
    expect(occurrences(output, 'logLevel=VERBOSE is not one of TRACE, DEBUG, INFO')).toBe(1);
    expect(output).not.toMatch(/^\s+at /m);
  });

  it(
    'packages a valid value of every parameter, each where the template uses it',
    async () => {
      // Act
      const { template } = await packageTemplate({ stage: 'paramcheck', params: GOOD });

      // Assess
      expect(Object.keys(GOOD).sort()).toEqual([...STAGE_PARAMETER_NAMES].sort());
      expect(template.Resources.EncryptStreamLambdaFunction).toMatchObject({
        Properties: {
          Environment: {
            Variables: {
              DEFAULT_KMS_KEY_ID: GOOD.kmsKeyId,
              MODE: 'audit',
              KEY_BUDGET_RESERVE: '3',
              POWERTOOLS_LOG_LEVEL: 'DEBUG',
              ORGANIZATION_ID: 'o-example123',
              MEMBER_REGIONS: 'us-east-1,eu-west-1',
            },
          },
        },
      });
      expect(template.Resources.SweepSchedule?.Properties?.ScheduleExpression).toBe(GOOD.sweepSchedule);
      expect(template.Resources.SweepLambdaFunction).toMatchObject({
        Properties: {
          Environment: { Variables: { SWEEP_ACCOUNT_REGIONS_IN_FLIGHT: GOOD.sweepAccountRegionsInFlight } },
        },
      });
      expect(template.Resources.AlarmEmailSubscription?.Properties?.Endpoint).toBe(GOOD.alarmEmail);
      expect(template.Resources.MemberStackSet?.Properties?.Parameters).toContainEqual({
        ParameterKey: 'RoleRegion',
        ParameterValue: GOOD.memberRoleRegion,
      });
      expect(template.Resources.SweepMissingAlarm?.Properties?.Period).toBe(7 * 86400);
    },
    5 * 60_000
  );
});
