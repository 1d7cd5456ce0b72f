import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** deploy/stageParameters.js and deploy/deployment.js as the tests use them (plain JS loaded by serverless). */
interface StageParametersModule {
  STAGE_PARAMETER_NAMES: string[];
  stageParameterProblems: (input: { values: Record<string, string>; given: string[]; region?: string }) => string[];
}
type Resolver = (context: {
  options: { param?: string[] };
  resolveVariable: (variable: string) => Promise<unknown>;
  resolveConfigurationProperty: (path: string[]) => Promise<unknown>;
}) => Promise<unknown>;

const { STAGE_PARAMETER_NAMES, stageParameterProblems } =
  require('../../../deploy/stageParameters') as StageParametersModule;
const deployment = require('../../../deploy/deployment') as Record<string, Resolver>;

const REPO_ROOT = join(__dirname, '..', '..', '..');
const serverless = parse(readFileSync(join(REPO_ROOT, 'serverless.yml'), 'utf8'), { logLevel: 'error' }) as {
  params: { default: Record<string, string> };
};
const DEFAULTS = serverless.params.default;

const problemsWith = (changes: Record<string, string>, region = 'us-east-1', given: string[] = []): string[] =>
  stageParameterProblems({ values: { ...DEFAULTS, ...changes }, given: [...Object.keys(DEFAULTS), ...given], region });

const ORG = {
  deployment: 'org',
  organizationId: 'o-example123',
  memberTargets: 'ou-abcd-11111111',
  memberRegions: 'us-east-1,eu-west-1',
};
const KEY_GUID = '1234abcd-12ab-34cd-56ef-1234567890ab';

/** name → values the rule accepts and values it refuses (with the stage's other parameters at their defaults). */
const TABLE: Record<string, { good: string[]; bad: string[]; base?: Record<string, string> }> = {
  // https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StartStreamEncryption.html (KeyId)
  kmsKeyId: {
    good: [
      KEY_GUID,
      'mrk-1234abcd12ab34cd56ef1234567890ab',
      `arn:aws:kms:us-east-1:111122223333:key/${KEY_GUID}`,
      'arn:aws:kms:us-east-1:111122223333:alias/org-kinesis',
      'alias/org-kinesis',
      'alias/aws/kinesis',
    ],
    bad: [
      'my-key',
      'alias/',
      'alias/aws/s3',
      `arn:aws:kms:eu-west-1:111122223333:key/${KEY_GUID}`,
      'arn:aws:kms:us-east-1:111122223333:alias/aws/sns',
    ],
  },
  kmsKeyIamResource: {
    good: [
      'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/*',
      `arn:aws:kms:eu-west-1:111122223333:key/${KEY_GUID}`,
      'arn:aws:kms:*:111122223333:key/*',
    ],
    bad: ['*', 'alias/aws/kinesis', 'arn:${AWS::Partition}:kms:${AWS::Region}:${Account}:key/*', 'arn:aws:s3:::bucket'],
  },
  eventBusName: {
    good: ['default', 'governance', 'team.bus-1_x'],
    bad: ['arn:aws:events:us-east-1:1:event-bus/x', ''],
  },
  mode: { good: ['enforce', 'audit'], bad: ['report', 'Audit', ''] },
  allowExemptions: { good: ['true', 'false'], bad: ['yes', 'TRUE', '1'] },
  allowKeyTags: { good: ['true', 'false'], bad: ['no'] },
  keyBudgetReserve: { good: ['0', '2', '24'], bad: ['25', '-1', '1.5', 'two'] },
  maxDriftRepairsPerDay: { good: ['1', '24'], bad: ['0', '25'] },
  overrideForeignKeys: { good: ['true', 'false'], bad: ['on'] },
  probeAfterConfirm: { good: ['true', 'false'], bad: ['off'] },
  confirmTimeoutSeconds: { good: ['60', '1200', '3600'], bad: ['59', '3601', '20m'] },
  iacGraceSeconds: { good: ['0', '120', '600'], bad: ['601', '0.5'] },
  iacUserAgents: { good: ['Terraform/', 'Terraform/,aws-cdk, pulumi'], bad: ['', ',', 'tab\there'] },
  keyPolicyCheck: { good: ['enforce', 'warn', 'off'], bad: ['strict'] },
  allowCrossAccountKey: { good: ['true', 'false'], bad: ['maybe'] },
  logLevel: { good: ['INFO', 'debug', 'SILENT', 'CRITICAL'], bad: ['VERBOSE', ''] },
  deployment: { good: ['account', 'org'], bad: ['organisation'], base: ORG },
  // Organizations ids: https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html
  organizationId: { good: ['o-example123', 'o-a1b2c3d4e5f6'], bad: ['o-bad', '', 'o-EXAMPLE123'], base: ORG },
  memberTargets: {
    good: ['ou-abcd-11111111', 'r-abcd,ou-abcd-11111111,ou-abcd-22222222'],
    bad: [
      '123456789012',
      '',
      'r-abcd,r-abcd',
      Array.from({ length: 51 }, (_, index) => `ou-abcd-${String(index).padStart(8, '0')}`).join(','),
    ],
    base: ORG,
  },
  memberRegions: {
    good: ['us-east-1', 'us-east-1, eu-west-1', 'ap-southeast-5,us-east-1'],
    bad: ['us-east-1,eu-west', 'us-east-1,us-east-1', '', 'cn-north-1', 'eu-west-99'],
    base: ORG,
  },
  // issue 21 item 6: the role's region is one of memberRegions, the hub region unless set.
  memberRoleRegion: { good: ['', 'us-east-1', 'eu-west-1'], bad: ['eu-central-1', 'us-east-9'], base: ORG },
  memberRoleName: { good: ['kinesis-auto-encrypt-member', 'a+b=c,d.e@f_g'], bad: ['', 'has space', 'x'.repeat(61)] },
  stackSetCallAs: { good: ['SELF', 'DELEGATED_ADMIN'], bad: ['ADMIN'] },
  alarmEmail: { good: ['', 'secops@example.com'], bad: ['secops', 'a@example.com,b@example.com'] },
  maxExposureMinutes: { good: ['1', '15', '1440'], bad: ['0', '1441', '15s'] },
  alarmTopicKmsKeyArn: {
    good: ['', `arn:aws:kms:us-east-1:111122223333:key/${KEY_GUID}`, 'arn:aws:kms:us-east-1:111122223333:alias/alarms'],
    bad: [KEY_GUID, 'alias/alarms', `arn:aws:kms:eu-west-1:111122223333:key/${KEY_GUID}`],
  },
  runbookUrl: {
    good: ['README.md', 'https://wiki.example.com/runbooks/kinesis'],
    bad: ['', 'has space', 'x'.repeat(513)],
  },
  sweepSchedule: { good: ['off', 'rate(1 day)', 'cron(0 3 * * ? *)'], bad: ['daily', 'rate(1 fortnight)', ''] },
  sweepDescribePerSecond: { good: ['1', '10', '20'], bad: ['0', '21', '25'] },
  // issue 21 item 8: the account-regions a sweep step holds open at once
  sweepAccountRegionsInFlight: { good: ['1', '16', '64'], bad: ['0', '65', '8.5', 'many', ''] },
  // issue 22 item 3: enforce only in an organisation deployment (base: ORG; the account case is a row below)
  writeGuard: { good: ['off', 'prepare', 'enforce'], bad: ['on', 'OFF', ''], base: ORG },
  sweepAccountsRoleArn: {
    good: ['', 'arn:aws:iam::111122223333:role/list-accounts', 'arn:aws-cn:iam::111122223333:role/path/x'],
    bad: ['bad', 'arn:aws:iam::111122223333:user/x'],
  },
};

const cases = (kind: 'good' | 'bad') =>
  Object.entries(TABLE).flatMap(([name, row]) => row[kind].map((value) => ({ name, value, base: row.base ?? {} })));

describe('stageParameterProblems', () => {
  it('has a rule for every parameter of serverless.yml and a row of this table for every rule', () => {
    // Act
    const names = [...STAGE_PARAMETER_NAMES].sort();

    // Assess
    expect(names).toEqual(Object.keys(DEFAULTS).sort());
    expect(names).toEqual(Object.keys(TABLE).sort());
  });

  it('knows every parameter serverless.yml and deploy/*.yml read', () => {
    // Prepare
    const files = ['serverless.yml', ...readdirSync(join(REPO_ROOT, 'deploy')).map((name) => join('deploy', name))];
    const text = files.map((file) => readFileSync(join(REPO_ROOT, file), 'utf8')).join('\n');

    // Act
    const read = [...text.matchAll(/\$\{param:(\w+)/g)].map((match) => match[1]);

    // Assess
    expect(read.length).toBeGreaterThan(20);
    expect(read.filter((name) => !STAGE_PARAMETER_NAMES.includes(String(name)))).toEqual([]);
  });

  it('passes the defaults of serverless.yml and the organisation of the issue', () => {
    // Act & Assess
    expect(problemsWith({})).toEqual([]);
    expect(problemsWith(ORG)).toEqual([]);
  });

  it.each(cases('good'))('accepts $name=$value', ({ name, value, base }) => {
    // Act & Assess
    expect(problemsWith({ ...base, [name]: value })).toEqual([]);
  });

  it.each(cases('bad'))('refuses $name=$value with one line naming it', ({ name, value, base }) => {
    // Act
    const problems = problemsWith({ ...base, [name]: value });

    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]?.startsWith(`${name}=`)).toBe(true);
  });

  it.each([
    [{ writeGuard: 'prepare', mode: 'audit' }, 'writeGuard=prepare needs mode=enforce: mode=audit tags no stream'],
    [{ ...ORG, writeGuard: 'enforce', mode: 'audit' }, 'writeGuard=enforce needs mode=enforce'],
    [{ writeGuard: 'enforce' }, 'writeGuard=enforce needs deployment=org'],
    [
      { ...ORG, writeGuard: 'enforce', memberRoleName: 'r'.repeat(56) },
      'writeGuard=enforce needs a memberRoleName of at most 55',
    ],
  ])('refuses %j with one line naming the write guard', (changes, line) => {
    // Act
    const problems = problemsWith(changes);

    // Assess
    expect(problems).toEqual([expect.stringContaining(line)]);
  });

  it('points an account deployment that wants enforce to guard-policy', () => {
    // Act
    const [problem] = problemsWith({ writeGuard: 'enforce' });

    // Assess
    expect(problem).toContain('npx kinesis-auto-encrypt guard-policy');
  });

  it('names each of several bad values, one line each', () => {
    // Act
    const problems = problemsWith({ mode: 'report', kmsKeyId: 'my-key', sweepDescribePerSecond: '25' });

    // Assess
    expect(problems).toEqual([
      'kmsKeyId=my-key is not a KMS KeyId: use a key id (GUID or mrk-…), a key ARN, an alias ARN, alias/<name> or alias/aws/kinesis',
      'mode=report is not one of enforce, audit',
      'sweepDescribePerSecond=25 is not a whole number of calls per second from 1 to 20 (Kinesis allows 20 per account)',
    ]);
  });

  it('refuses an unknown name, suggesting the near one and listing the known ones', () => {
    // Act
    const problems = problemsWith({}, 'us-east-1', ['modee']);

    // Assess
    expect(problems).toEqual([
      `modee is not a stage parameter (did you mean mode?); known: ${[...STAGE_PARAMETER_NAMES].sort().join(', ')}`,
    ]);
  });

  it('ignores the organisation parameters of an account deployment while they are empty', () => {
    // Act & Assess
    expect(problemsWith({ organizationId: '', memberTargets: '', memberRegions: '' })).toEqual([]);
    expect(problemsWith({ organizationId: 'o-bad' })).toEqual(['organizationId=o-bad is not an organization id (o-…)']);
  });

  it('checks key ARNs and member regions against the stack region and its partition', () => {
    // Act
    const china = problemsWith({ ...ORG, memberRegions: 'cn-north-1,cn-northwest-1' }, 'cn-north-1');
    const mixed = problemsWith({ ...ORG, memberRegions: 'us-east-1,cn-north-1' });
    const key = problemsWith({ kmsKeyId: `arn:aws:kms:eu-west-1:111122223333:key/${KEY_GUID}` });

    // Assess
    expect(china).toEqual([]);
    expect(mixed).toEqual([
      "memberRegions=us-east-1,cn-north-1 has cn-north-1, outside the stack's partition aws (us-east-1)",
    ]);
    expect(key).toEqual([
      `kmsKeyId=arn:aws:kms:eu-west-1:111122223333:key/${KEY_GUID} is a key of region eu-west-1, the stack's region is us-east-1`,
    ]);
  });
});

describe('deploy/deployment.js', () => {
  const contextOf = (params: Record<string, string>) => ({
    options: { param: Object.entries(params).map(([name, value]) => `${name}=${value}`) },
    resolveVariable: async (variable: string) => {
      if (variable === 'sls:stage') return 'dev';
      const name = variable.replace(/^param:/, '');
      return params[name] ?? DEFAULTS[name];
    },
    resolveConfigurationProperty: async (path: string[]) => {
      if (path.join('.') === 'params.default') return DEFAULTS;
      return path.join('.') === 'provider.region' ? 'us-east-1' : undefined;
    },
  });

  it('throws the same error at every reference, so osls (which de-duplicates by identity) prints it once', async () => {
    // Prepare
    const params = { mode: 'report', modee: 'audit' };

    // Act
    const errors = await Promise.all(
      [deployment.deployment, deployment.sweepEnabled, deployment.maxExposureSeconds].map((resolve) =>
        resolve?.(contextOf(params)).catch((error: unknown) => error)
      )
    );

    // Assess
    expect(errors[0]).toBeInstanceOf(Error);
    expect(errors[1]).toBe(errors[0]);
    expect(errors[2]).toBe(errors[0]);
    expect((errors[0] as Error).message).toMatch(
      /^Cannot resolve variable at "params": invalid stage parameters:\n {6}modee is not a stage parameter .*\n {6}mode=report is not one of enforce, audit$/
    );
  });

  it('resolves the values of a good set', async () => {
    // Act
    const context = contextOf({ ...ORG, memberRegions: 'us-east-1, eu-west-1' });

    // Assess
    await expect(deployment.memberRegionList?.(context)).resolves.toBe('us-east-1,eu-west-1');
    await expect(deployment.memberRoleRegion?.(context)).resolves.toBe('us-east-1');
    await expect(deployment.maxExposureSeconds?.(context)).resolves.toBe(900);
    await expect(deployment.sweepScheduleExpression?.(context)).resolves.toBe('rate(1 day)');
    await expect(deployment.organizationId?.(contextOf({}))).resolves.toBe('');
  });

  // issue 21 item 6: IAM is global, so one member stack per account creates the role (a fixed RoleName). Were its
  // region the first of memberRegions, prepending or reordering regions would make the new first region's stack create
  // a role of the same name while the old one still holds it (EntityAlreadyExists,
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html), and the old stack's update then deletes it.
  it.each([
    ['us-east-1,eu-west-1', {}, 'us-east-1'],
    ['eu-west-1,us-east-1', {}, 'us-east-1'],
    ['ap-southeast-2,eu-west-1,us-east-1', {}, 'us-east-1'],
    ['eu-west-1,us-east-1', { memberRoleRegion: 'eu-west-1' }, 'eu-west-1'],
    ['us-east-1,eu-west-1', { memberRoleRegion: 'eu-west-1' }, 'eu-west-1'],
  ])('memberRegions=%s %j: the member role stays in %s, whatever the order', async (regions, extra, expected) => {
    // Prepare
    const context = contextOf({ ...ORG, memberRegions: regions, ...extra });

    // Act
    const roleRegion = await deployment.memberRoleRegion?.(context);

    // Assess
    expect(roleRegion).toBe(expected);
  });

  it('refuses a role region outside memberRegions when packaging, with the reason', async () => {
    // Act
    const problems = problemsWith({ ...ORG, memberRegions: 'eu-west-1,eu-central-1' });

    // Assess
    expect(problems).toEqual([
      'memberRoleRegion=(empty) means the hub region us-east-1, which is not one of memberRegions=eu-west-1,eu-central-1: the member stack of that region creates the member role (IAM is global); add it to memberRegions, or set memberRoleRegion to the member region that holds the role today (docs/organisation.md)',
    ]);
  });
});
