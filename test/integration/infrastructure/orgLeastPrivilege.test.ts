import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { guardPolicy } from '../../../src/guard/guardPolicy';
import { type AwsCall, functionAwsCalls, stateMachineAwsCalls } from '../../helpers/awsCalls';
import {
  cfnString,
  type Finding,
  FindingKind,
  functionPlatformGrants,
  leastPrivilegeFindings,
  type PolicyStatement,
  type RequiredGrant,
  type RoleRequirement,
  resolveConditions,
  withParameterValues,
} from '../../helpers/leastPrivilege';
import { type OrgPackage, packageOrg } from '../../helpers/orgPackage';
import type { CloudFormationTemplate } from '../../helpers/packageTemplate';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const MEMBER_ROLE_NAME = 'kinesis-auto-encrypt-member';
const HUB_BUS = 'kinesis-auto-encrypt-hub';

/** Tasks of the org definition that run with the credentials of the execution input's roleArn. */
const orgAsl = JSON.parse(readFileSync(join(REPO_ROOT, 'statemachines', 'confirm-encryption-org.asl.json'), 'utf8'));
const CREDENTIALED_TASKS = new Set(
  Object.entries(orgAsl.States as Record<string, { Credentials?: unknown }>)
    .filter(([, state]) => state.Credentials !== undefined)
    .map(([name]) => `${name} (ASL)`)
);
const stateMachineCalls = stateMachineAwsCalls(orgAsl);
/** Calls the state machine makes with its own role, and with the role of the stream's account. */
const ownStateMachineCalls = stateMachineCalls.filter(({ origin }) => !CREDENTIALED_TASKS.has(origin));
const credentialedCalls = stateMachineCalls.filter(({ origin }) => CREDENTIALED_TASKS.has(origin));
const PROBE_ONLY = new Set(['ProbeRecord (ASL)']);
const GUARD_ONLY = new Set(['TagGuard (ASL)']);
/** The guard tag calls of the function and the sweep (src/aws/kinesisStreamPort.ts): writeGuard prepare or enforce. */
const GUARD_ACTIONS = new Set(['kinesis:AddTagsToStream', 'kinesis:RemoveTagsFromStream']);

/** The opt-ins of one deployment: the probe (probeAfterConfirm) and the write guard (writeGuard not off). */
interface OptIns {
  probe: boolean;
  guard: boolean;
}

const OPT_INS: OptIns[] = [
  { probe: false, guard: false },
  { probe: true, guard: false },
  { probe: false, guard: true },
  { probe: true, guard: true },
];

const functionCalls = functionAwsCalls().calls;
/** The function's calls on a stream and its key: in a member account they run with the member role. */
const MEMBER_SERVICES = new Set(['kinesis', 'kms']);
const memberFunctionCalls = functionCalls.filter(({ action }) => MEMBER_SERVICES.has(action.split(':')[0] ?? ''));

/** The member role of any account of the organisation, and the hub's stream role. */
const MEMBER_ROLES = `arn:\${AWS::Partition}:iam::*:role/${MEMBER_ROLE_NAME}`;
const HUB_STREAM_ROLE = `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${MEMBER_ROLE_NAME}-hub`;
/** Cross-account roles: the function (src/aws, credentials per account) and the Kinesis tasks' Credentials. */
const STS_FUNCTION: RequiredGrant = {
  action: 'sts:AssumeRole',
  resource: MEMBER_ROLES,
  origin: 'member credentials',
};
const STS_STATE_MACHINE: RequiredGrant[] = [MEMBER_ROLES, HUB_STREAM_ROLE].map((resource) => ({
  action: 'sts:AssumeRole',
  resource,
  origin: 'Credentials of the Kinesis tasks (ASL)',
}));

const hubArn = (service: string, rest: string) =>
  `arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${rest}`;
/** The hub region and the member regions of ORG_PACKAGE: the hub account's own streams are governed in each. */
const HUB_GOVERNED_REGIONS = ['us-east-1', 'eu-west-1'];
/** The hub account's streams and keys in every region it governs (issue 21 item 5), region written out. */
const inHubRegions = (service: string, rest: string) =>
  HUB_GOVERNED_REGIONS.map((region) => `arn:\${AWS::Partition}:${service}:${region}:\${AWS::AccountId}:${rest}`);
const HUB_SCOPES: Record<string, string | string[]> = {
  kinesis: inHubRegions('kinesis', 'stream/*'),
  dynamodb: '${IdempotencyTable.Arn}',
  states: '${ConfirmEncryptionStateMachine}',
  events: hubArn('events', `event-bus/${HUB_BUS}`),
  kms: inHubRegions('kms', 'key/*'),
  ssm: hubArn('ssm', 'parameter/kinesis-auto-encrypt/org/default-kms-key-id'),
  sqs: '${UndeliveredQueue.Arn}',
};
/** The member role serves every region of its account (IAM is global). */
const MEMBER_SCOPES: Record<string, string> = {
  kinesis: 'arn:${AWS::Partition}:kinesis:*:${AWS::AccountId}:stream/*',
  kms: 'arn:${AWS::Partition}:kms:*:${AWS::AccountId}:key/*',
};

const grantsOf = (calls: AwsCall[], scopes: Record<string, string | string[]>): RequiredGrant[] =>
  calls.flatMap(({ action, origin }) => {
    const resources = scopes[action.split(':')[0] ?? ''];
    if (resources === undefined) throw new Error(`No expected resource for ${action} (${origin})`);
    return [resources].flat().map((resource) => ({ action, resource, origin }));
  });

/** The calls a deployment makes with these opt-ins: Task states by origin, the code's guard tag calls by action. */
const underOptIns = (calls: AwsCall[], { probe, guard }: OptIns) =>
  calls.filter(
    ({ origin, action }) =>
      (probe || !PROBE_ONLY.has(origin)) &&
      (guard || (!GUARD_ONLY.has(origin) && (origin.endsWith('(ASL)') || !GUARD_ACTIONS.has(action))))
  );

/** The sweep (deploy/sweep.yml): its function lists the accounts itself here (no sweepAccountsRoleArn). */
const sweepCalls = functionAwsCalls(join(REPO_ROOT, 'handlers', 'sweep.ts')).calls.filter(
  // account:ListRegions: only the CLI's `--region all`; sts:AssumeRole: STS_FUNCTION below.
  ({ action }) => action !== 'account:ListRegions' && action !== 'sts:AssumeRole'
);
const UNSCOPED = new Set([
  'kinesis:ListStreams',
  'tag:GetResources',
  'organizations:ListAccounts',
  // The report's createdBy and receivingWrites, in the hub and through the member role (src/audit/streamActivity.ts).
  'cloudtrail:LookupEvents',
  'cloudwatch:GetMetricData',
]);
const sweepRequirements = (template: CloudFormationTemplate, optIns: OptIns): RoleRequirement[] => [
  {
    roleId: 'SweepRole',
    grants: [
      ...underOptIns(sweepCalls, optIns).flatMap(({ action, origin }) => {
        if (UNSCOPED.has(action)) return [{ action, resource: '*', origin }];
        return grantsOf([{ action, origin }], { ...HUB_SCOPES, s3: '${SweepBucket.Arn}/*' });
      }),
      STS_FUNCTION,
      ...functionPlatformGrants(template, 'SweepLambdaFunction'),
    ],
  },
  {
    roleId: 'SweepStateMachineRole',
    grants: [{ action: 'lambda:InvokeFunction', resource: '${SweepLambdaFunction.Arn}', origin: 'SweepStep (ASL)' }],
  },
  {
    roleId: 'SweepScheduleRole',
    grants: [{ action: 'states:StartExecution', resource: '${SweepStateMachine}', origin: 'SweepSchedule' }],
  },
];

const hubRequirements = (template: CloudFormationTemplate, optIns: OptIns): RoleRequirement[] => [
  {
    roleId: 'EncryptStreamRole',
    grants: [
      ...grantsOf(
        underOptIns(functionCalls, optIns).filter(({ action }) => action !== 'sts:AssumeRole'),
        { ...HUB_SCOPES, sqs: '${FailureQueue.Arn}' }
      ),
      STS_FUNCTION,
      ...functionPlatformGrants(template, 'EncryptStreamLambdaFunction'),
    ],
  },
  {
    roleId: 'ConfirmEncryptionStateMachineRole',
    grants: [...grantsOf(underOptIns(ownStateMachineCalls, optIns), HUB_SCOPES), ...STS_STATE_MACHINE],
  },
  { roleId: 'HubStreamRole', grants: grantsOf(underOptIns(credentialedCalls, optIns), HUB_SCOPES) },
  // deploy/monitoring.yml: recordMetrics only writes its logs (EMF).
  {
    roleId: 'RecordMetricsRole',
    grants: [
      ...grantsOf(functionAwsCalls(join(REPO_ROOT, 'handlers', 'record-metrics.ts')).calls, HUB_SCOPES),
      ...functionPlatformGrants(template, 'RecordMetricsLambdaFunction'),
    ],
  },
  ...sweepRequirements(template, optIns),
  // HubRegionsStackSet (self-managed): CloudFormation assumes the hub's execution role with it.
  {
    roleId: 'HubRegionsStackSetAdministrationRole',
    grants: [
      {
        action: 'sts:AssumeRole',
        resource: 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/AWSCloudFormationStackSetExecutionRole',
        origin: 'HubRegionsStackSet (AdministrationRoleARN)',
      },
    ],
  },
];

const memberRequirements = (optIns: OptIns): RoleRequirement[] => [
  {
    roleId: 'ForwardRole',
    grants: [{ action: 'events:PutEvents', resource: '${HubEventBusArn}', origin: 'ForwardTriggers target' }],
  },
  {
    roleId: 'MemberRole',
    grants: [
      ...grantsOf(underOptIns([...memberFunctionCalls, ...credentialedCalls], optIns), MEMBER_SCOPES),
      // The hub's sweep, with this role: listing and bulk tags (on "*"), then the reads and applies above.
      ...underOptIns(sweepCalls, optIns).flatMap(({ action, origin }) => {
        if (UNSCOPED.has(action))
          return action === 'organizations:ListAccounts' ? [] : [{ action, resource: '*', origin }];
        const resource = MEMBER_SCOPES[action.split(':')[0] ?? ''];
        return resource === undefined ? [] : [{ action, resource, origin }];
      }),
    ],
  },
];

/** The member stack of the role region, as CloudFormation creates it from the StackSet's parameters. */
const memberInstance = (org: OrgPackage, { probe, guard }: OptIns): CloudFormationTemplate =>
  resolveConditions(
    withParameterValues(org.member, {
      'AWS::Region': String(org.memberParameters.RoleRegion),
      RoleRegion: String(org.memberParameters.RoleRegion),
      ProbeEnabled: String(probe),
      WriteGuard: guard ? 'enforce' : 'off',
      KmsKeyIamResource: '',
    })
  );

type InlinePolicies = { PolicyDocument: { Statement: PolicyStatement[] } }[];
const policiesOf = (template: CloudFormationTemplate, roleId: string): InlinePolicies =>
  (template.Resources[roleId]?.Properties?.Policies ?? []) as InlinePolicies;
const statementsOf = (template: CloudFormationTemplate, roleId: string): PolicyStatement[] =>
  policiesOf(template, roleId).flatMap(({ PolicyDocument }) => PolicyDocument.Statement);
const granting = (template: CloudFormationTemplate, roleId: string, action: string): PolicyStatement => {
  const found = statementsOf(template, roleId).find((statement) => [statement.Action].flat().includes(action));
  if (found === undefined) throw new Error(`${roleId} does not grant ${action}`);
  return found;
};

describe('least privilege of the organisation deployment', () => {
  let org: OrgPackage;

  beforeAll(async () => {
    org = await packageOrg();
  }, 600_000);

  const hubUnder = ({ probe, guard }: OptIns) =>
    resolveConditions(org.hub, { ProbeEnabled: probe, WriteGuardOn: guard });

  it('derives cross-account tasks from the org definition: the Kinesis tasks, and the probe key call with them', () => {
    // Act
    const actions = credentialedCalls.map(({ action }) => action).sort();

    // Assess
    expect(actions).toEqual([
      'kinesis:AddTagsToStream',
      'kinesis:DescribeStreamSummary',
      'kinesis:PutRecord',
      'kms:GenerateDataKey',
    ]);
    expect(ownStateMachineCalls.map(({ action }) => action).sort()).toEqual(['events:PutEvents', 'sqs:SendMessage']);
  });

  it.each(OPT_INS)('grants every hub role exactly its calls, probe $probe, write guard $guard', (optIns) => {
    // Prepare
    const template = hubUnder(optIns);

    // Act
    const findings = leastPrivilegeFindings(template, hubRequirements(template, optIns));

    // Assess
    expect(findings).toEqual([]);
  });

  it.each(OPT_INS)(
    'grants the member roles exactly the calls made in a member account, probe $probe, write guard $guard (any region)',
    (optIns) => {
      // Prepare
      const template = memberInstance(org, optIns);

      // Act
      const findings = leastPrivilegeFindings(template, memberRequirements(optIns), { anyRegion: true });

      // Assess
      expect(memberRequirements(optIns)[1]?.grants.length).toBeGreaterThanOrEqual(optIns.probe ? 7 : 5);
      expect(findings).toEqual([]);
    }
  );

  it.each([
    {
      change: 'the function may assume any role of the organisation',
      where: 'hub' as const,
      mutate: (t: CloudFormationTemplate) => {
        granting(t, 'EncryptStreamRole', 'sts:AssumeRole').Resource = ['arn:${AWS::Partition}:iam::*:role/*'];
      },
      expected: { kind: FindingKind.WrongResource, action: 'sts:AssumeRole' },
    },
    {
      change: 'the STS grant loses its aws:ResourceOrgID condition',
      where: 'hub' as const,
      mutate: (t: CloudFormationTemplate) => {
        delete granting(t, 'ConfirmEncryptionStateMachineRole', 'sts:AssumeRole').Condition;
      },
      expected: { kind: FindingKind.Unscoped },
    },
    {
      change: 'the state machine keeps a Kinesis grant of its own',
      where: 'hub' as const,
      mutate: (t: CloudFormationTemplate) => {
        const [policy] = policiesOf(t, 'ConfirmEncryptionStateMachineRole');
        policy?.PolicyDocument.Statement.push({
          Effect: 'Allow',
          Action: ['kinesis:DescribeStreamSummary'],
          Resource: [{ 'Fn::Sub': hubArn('kinesis', 'stream/*') }],
        });
      },
      expected: { kind: FindingKind.Unused, action: 'kinesis:DescribeStreamSummary' },
    },
    {
      change: "the sweep role's stream grant is pinned to the hub region again (issue 21 item 5)",
      where: 'hub' as const,
      mutate: (t: CloudFormationTemplate) => {
        granting(t, 'SweepRole', 'kinesis:DescribeStreamSummary').Resource = [
          { 'Fn::Sub': hubArn('kinesis', 'stream/*') },
        ];
      },
      expected: { kind: FindingKind.WrongResource, action: 'kinesis:DescribeStreamSummary' },
    },
    {
      change: 'the hub stream role may act on streams of a region the hub does not govern',
      where: 'hub' as const,
      mutate: (t: CloudFormationTemplate) => {
        granting(t, 'HubStreamRole', 'kinesis:DescribeStreamSummary').Resource = [
          ...inHubRegions('kinesis', 'stream/*').map((arn) => ({ 'Fn::Sub': arn })),
          { 'Fn::Sub': 'arn:${AWS::Partition}:kinesis:ap-southeast-2:${AWS::AccountId}:stream/*' },
        ];
      },
      expected: { kind: FindingKind.WrongResource, action: 'kinesis:DescribeStreamSummary' },
    },
    {
      change: 'the member role no longer grants StartStreamEncryption',
      where: 'member' as const,
      mutate: (t: CloudFormationTemplate) => {
        const statement = granting(t, 'MemberRole', 'kinesis:StartStreamEncryption');
        statement.Action = [statement.Action]
          .flat()
          .filter((action): action is string => action !== undefined && action !== 'kinesis:StartStreamEncryption');
      },
      expected: { kind: FindingKind.Missing, action: 'kinesis:StartStreamEncryption' },
    },
    {
      change: 'the member role may also delete streams',
      where: 'member' as const,
      mutate: (t: CloudFormationTemplate) => {
        const statement = granting(t, 'MemberRole', 'kinesis:StartStreamEncryption');
        statement.Action = [...[statement.Action].flat(), 'kinesis:DeleteStream'] as string[];
      },
      expected: { kind: FindingKind.Unused, action: 'kinesis:DeleteStream' },
    },
    {
      change: "the member role reaches another account's streams",
      where: 'member' as const,
      mutate: (t: CloudFormationTemplate) => {
        granting(t, 'MemberRole', 'kinesis:DescribeStreamSummary').Resource = ['arn:aws:kinesis:*:*:stream/*'];
      },
      expected: { kind: FindingKind.Unscoped },
    },
    {
      change: 'the forward role may put events on any bus',
      where: 'member' as const,
      mutate: (t: CloudFormationTemplate) => {
        granting(t, 'ForwardRole', 'events:PutEvents').Resource = '*';
      },
      expected: { kind: FindingKind.Unscoped },
    },
  ])('reports $expected.kind when $change', ({ where, mutate, expected }) => {
    // Prepare
    const allOn = { probe: true, guard: true };
    const template = structuredClone(where === 'hub' ? hubUnder(allOn) : memberInstance(org, allOn));
    const requirements = where === 'hub' ? hubRequirements(template, allOn) : memberRequirements(allOn);
    const options = where === 'hub' ? {} : { anyRegion: true };
    const baseline = leastPrivilegeFindings(template, requirements, options);
    mutate(template);

    // Act
    const findings: Finding[] = leastPrivilegeFindings(template, requirements, options);

    // Assess
    expect(baseline).toEqual([]);
    expect(findings).toContainEqual(expect.objectContaining(expected));
  });

  it.each([
    { writeGuard: 'off', guard: false },
    { writeGuard: 'enforce', guard: true },
  ])(
    'passes writeGuard=$writeGuard on to the member stacks and grants the guard tag calls only when on',
    async ({ writeGuard, guard }) => {
      // Prepare
      const packaged = writeGuard === 'off' ? org : await packageOrg({ writeGuard });
      const hub = resolveConditions(packaged.hub);

      // Act
      const tagging = (template: CloudFormationTemplate, roleId: string) =>
        statementsOf(template, roleId)
          .flatMap((statement) => [statement.Action].flat())
          .filter((action): action is string => action !== undefined && GUARD_ACTIONS.has(action))
          .sort();
      const member = memberInstance(packaged, { probe: false, guard: packaged.memberParameters.WriteGuard !== 'off' });

      // Assess
      expect(packaged.memberParameters.WriteGuard).toBe(writeGuard);
      expect(tagging(hub, 'EncryptStreamRole')).toEqual(guard ? [...GUARD_ACTIONS].sort() : []);
      expect(tagging(hub, 'SweepRole')).toEqual(guard ? [...GUARD_ACTIONS].sort() : []);
      expect(tagging(hub, 'HubStreamRole')).toEqual(guard ? ['kinesis:AddTagsToStream'] : []);
      expect(tagging(hub, 'ConfirmEncryptionStateMachineRole')).toEqual([]);
      expect(tagging(member, 'MemberRole')).toEqual(guard ? [...GUARD_ACTIONS].sort() : []);
      expect(leastPrivilegeFindings(hub, hubRequirements(hub, { probe: false, guard }))).toEqual([]);
    },
    600_000
  );

  it('names every hub role that tags streams or writes as the write guard SCP exempts them: <member>-hub, -sweep, -function', () => {
    // Prepare
    const hub = hubUnder({ probe: true, guard: true });
    const exempt = guardPolicy({
      partition: 'aws',
      memberRoleName: MEMBER_ROLE_NAME,
      breakGlassRoles: [],
      exemptionApprovers: [],
      allowExemptions: true,
    }).policy.Statement.find(({ Sid }) => Sid === 'NoWriteUnguarded')?.Condition.ArnNotLike?.['aws:PrincipalArn'];
    // ArnLike: * matches any run of characters (IAM condition operators, ARN condition operators,
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN).
    const matches = (pattern: string, arn: string) =>
      new RegExp(
        `^${pattern
          .split('*')
          .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`
      ).test(arn);

    // Every role of the hub template allowed a call the SCP refuses to others: the guard tag calls and the writes.
    const GUARDED = [
      'kinesis:AddTagsToStream',
      'kinesis:RemoveTagsFromStream',
      'kinesis:PutRecord',
      'kinesis:PutRecords',
    ];
    const actionsOf = (resource: { Properties?: Record<string, unknown> }): string[] =>
      ((resource.Properties?.Policies ?? []) as { PolicyDocument?: { Statement?: unknown[] } }[]).flatMap((policy) =>
        (policy.PolicyDocument?.Statement ?? []).flatMap((statement) => {
          const action = (statement as { Action?: unknown } | null)?.Action;
          return action === undefined ? [] : [action].flat().map(String);
        })
      );
    const guardedRoles = Object.entries(hub.Resources)
      .filter(([, resource]) => resource.Type === 'AWS::IAM::Role')
      .filter(([, resource]) => actionsOf(resource).some((action) => GUARDED.includes(action)))
      .map(([id]) => id)
      .sort();

    // Act
    const names = guardedRoles.map((id) => hub.Resources[id]?.Properties?.RoleName);
    const arns = [MEMBER_ROLE_NAME, ...names].map((name) => `arn:aws:iam::111111111111:role/${String(name)}`);

    // Assess
    expect(guardedRoles).toEqual(['EncryptStreamRole', 'HubStreamRole', 'SweepRole']);
    expect(names).toEqual([`${MEMBER_ROLE_NAME}-function`, `${MEMBER_ROLE_NAME}-hub`, `${MEMBER_ROLE_NAME}-sweep`]);
    expect(arns.filter((arn) => ![exempt ?? []].flat().some((pattern) => matches(pattern, arn)))).toEqual([]);
  });

  it('scopes the STS grants of both hub roles to the organisation', () => {
    // Prepare
    const template = hubUnder({ probe: true, guard: true });

    // Act
    const conditions = ['EncryptStreamRole', 'ConfirmEncryptionStateMachineRole'].map(
      (roleId) => granting(template, roleId, 'sts:AssumeRole').Condition
    );
    const resources = ['EncryptStreamRole', 'ConfirmEncryptionStateMachineRole'].map((roleId) =>
      [granting(template, roleId, 'sts:AssumeRole').Resource].flat().map(cfnString)
    );

    // Assess
    expect(conditions).toEqual([
      { StringEquals: { 'aws:ResourceOrgID': 'o-example123' } },
      { StringEquals: { 'aws:ResourceOrgID': 'o-example123' } },
    ]);
    expect(resources).toEqual([[MEMBER_ROLES], [MEMBER_ROLES, HUB_STREAM_ROLE]]);
  });
});
