import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { matchesPattern } from '../../../tools/dev';
import { resolveConditions, withParameterValues } from '../../helpers/leastPrivilege';
import { withoutMonitoring } from '../../helpers/monitoringResources';
import { ORG_PACKAGE, type OrgPackage, packageOrg } from '../../helpers/orgPackage';
import {
  type CloudFormationResource,
  type CloudFormationTemplate,
  packageTemplate,
} from '../../helpers/packageTemplate';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const HUB = '111111111111';
const MEMBER = '222222222222';
const ORG = ORG_PACKAGE.params.organizationId;
const MEMBER_ROLE_NAME = 'kinesis-auto-encrypt-member';
const HUB_BUS_ARN = `arn:aws:events:us-east-1:${HUB}:event-bus/kinesis-auto-encrypt-hub`;
/** Role ARNs as CloudFormation resolves the hub's GetAtts (names are generated; any name of the account will do). */
const HUB_FUNCTION_ROLE = `arn:aws:iam::${HUB}:role/kinesis-auto-encrypt-org-EncryptStreamRole-ABC123`;
const HUB_STATE_MACHINE_ROLE = `arn:aws:iam::${HUB}:role/kinesis-auto-encrypt-org-ConfirmEncryptionStateMac-DEF456`;
const HUB_SWEEP_ROLE = `arn:aws:iam::${HUB}:role/kinesis-auto-encrypt-org-SweepRole-GHI789`;
const MEMBER_ROLE = `arn:aws:iam::${MEMBER}:role/${MEMBER_ROLE_NAME}`;

const sub = (value: string) => ({ 'Fn::Sub': value });
const getAtt = (id: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [id, attribute] });

type Statement = Record<string, unknown>;
type Simulation = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

const propertiesOf = (resource: CloudFormationResource | undefined): Record<string, unknown> =>
  resource?.Properties ?? {};

const ofType = (template: CloudFormationTemplate, type: string): [string, CloudFormationResource][] =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

/** A value with the given Fn::Sub variables resolved (and other Fn::Sub strings left as they are). */
const resolveSub = (node: unknown, variables: Record<string, string>): unknown => {
  if (Array.isArray(node)) return node.map((item) => resolveSub(item, variables));
  if (node === null || typeof node !== 'object') return node;
  const record = node as Record<string, unknown>;
  if (typeof record['Fn::Sub'] === 'string') {
    return record['Fn::Sub'].replace(/\$\{([^}]+)\}/g, (whole, name: string) => variables[name] ?? whole);
  }
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, resolveSub(value, variables)]));
};

/** One request evaluated by @cloud-copilot/iam-simulate against an identity policy and a resource policy. */
const simulate = async (request: {
  principal: string;
  action: string;
  resource: string;
  resourceAccount: string;
  orgId?: string;
  identity: Statement[];
  resourcePolicy: Statement[];
}): Promise<Simulation> => {
  const outcome = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: request.resourceAccount },
        contextVariables: request.orgId === undefined ? {} : { 'aws:PrincipalOrgID': request.orgId },
      },
      identityPolicies: [{ name: 'identity', policy: { Version: '2012-10-17', Statement: request.identity } }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(request.resourcePolicy.length > 0 && {
        resourcePolicy: { Version: '2012-10-17', Statement: request.resourcePolicy },
      }),
    },
    {}
  );
  if (outcome.resultType === 'error') throw new Error(JSON.stringify(outcome.errors));
  return outcome.overallResult as Simulation;
};

/** A CloudTrail trigger call as EventBridge delivers it, made by `userIdentity`. */
const triggerCall = (userIdentity: Record<string, unknown>) => ({
  source: 'aws.kinesis',
  'detail-type': 'AWS API Call via CloudTrail',
  account: MEMBER,
  region: 'eu-west-1',
  detail: {
    eventSource: 'kinesis.amazonaws.com',
    eventName: 'StartStreamEncryption',
    userIdentity,
    requestParameters: { streamARN: `arn:aws:kinesis:eu-west-1:${MEMBER}:stream/orders` },
  },
});
const roleSession = (roleArn: string) => ({
  type: 'AssumedRole',
  arn: `${roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/session`,
  sessionContext: { sessionIssuer: { type: 'Role', arn: roleArn } },
});

describe('serverless package --param deployment=org', () => {
  let org: OrgPackage;
  let hub: CloudFormationTemplate;
  let member: CloudFormationTemplate;
  let account: CloudFormationTemplate;

  beforeAll(async () => {
    [org, { template: account }] = await Promise.all([packageOrg(), packageTemplate()]);
    ({ hub, member } = org);
  }, 600_000);

  const hubRule = () => {
    const rules = ofType(withoutMonitoring(hub), 'AWS::Events::Rule').filter(
      ([, rule]) => JSON.stringify(propertiesOf(rule).EventBusName) === JSON.stringify({ Ref: 'HubEventBus' })
    );
    expect(rules).toHaveLength(1);
    return propertiesOf(rules[0]?.[1]);
  };
  const accountRule = (template: CloudFormationTemplate) => {
    const rules = ofType(template, 'AWS::Events::Rule').filter(
      ([, rule]) => propertiesOf(rule).EventBusName === undefined
    );
    expect(rules).toHaveLength(1);
    return propertiesOf(rules[0]?.[1]);
  };
  const memberPolicyValues = (region: string): Record<string, string> => ({
    HubEventBusArn: HUB_BUS_ARN,
    HubFunctionRoleArn: HUB_FUNCTION_ROLE,
    HubStateMachineRoleArn: HUB_STATE_MACHINE_ROLE,
    HubSweepRoleArn: HUB_SWEEP_ROLE,
    OrganizationId: ORG,
    MemberRoleName: MEMBER_ROLE_NAME,
    RoleRegion: String(org.memberParameters.RoleRegion),
    ProbeEnabled: String(org.memberParameters.ProbeEnabled),
    WriteGuard: String(org.memberParameters.WriteGuard),
    KmsKeyIamResource: '',
    'AWS::Region': region,
    'AWS::AccountId': MEMBER,
    'AWS::Partition': 'aws',
  });

  describe('hub bus', () => {
    it('is kinesis-auto-encrypt-hub, open to events:PutEvents of the organisation only', () => {
      // Prepare: aws:PrincipalOrgID in a bus policy (Amazon EventBridge User Guide, "Permissions for event buses",
      // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html).
      const [[busId, bus]] = ofType(hub, 'AWS::Events::EventBus') as [[string, CloudFormationResource]];

      // Act
      const policies = ofType(hub, 'AWS::Events::EventBusPolicy').map(([, policy]) => propertiesOf(policy));

      // Assess
      expect(propertiesOf(bus).Name).toBe('kinesis-auto-encrypt-hub');
      expect(policies).toEqual([
        {
          EventBusName: { Ref: busId },
          StatementId: expect.any(String),
          Statement: {
            Effect: 'Allow',
            Principal: '*',
            Action: 'events:PutEvents',
            Resource: getAtt(busId),
            Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } },
          },
        },
      ]);
    });

    it.each([
      { who: "a member's forward role", orgId: ORG, expected: 'Allowed' },
      { who: 'a role of another organisation', orgId: 'o-another0000', expected: 'ImplicitlyDenied' },
      { who: 'a role of an account outside any organisation', orgId: undefined, expected: 'ImplicitlyDenied' },
    ])('lets $who put events on it: $expected (iam-simulate)', async ({ orgId, expected }) => {
      // Prepare: the caller's own policy is the member ForwardRole's (events:PutEvents on the hub bus only).
      const [, policy] = ofType(hub, 'AWS::Events::EventBusPolicy')[0] as [string, CloudFormationResource];
      const statement = { ...(propertiesOf(policy).Statement as Statement), Resource: HUB_BUS_ARN };
      const forward = withParameterValues(member, memberPolicyValues('eu-west-1')).Resources.ForwardRole;
      const [forwardPolicy] = propertiesOf(forward).Policies as { PolicyDocument: { Statement: Statement[] } }[];

      // Act
      const result = await simulate({
        principal: `arn:aws:iam::${MEMBER}:role/member-ForwardRole-XYZ`,
        action: 'events:PutEvents',
        resource: HUB_BUS_ARN,
        resourceAccount: HUB,
        orgId,
        identity: forwardPolicy?.PolicyDocument.Statement ?? [],
        resourcePolicy: [statement],
      });

      // Assess
      expect(result).toBe(expected);
    });
  });

  describe('hub rule', () => {
    it("matches the account rule's pattern plus the own-call filter of the member role", () => {
      // Prepare
      const { detail, ...rest } = hubRule().EventPattern as { detail: Record<string, unknown> };

      // Act
      const { userIdentity, ...detailRest } = detail;

      // Assess
      expect({ ...rest, detail: detailRest }).toEqual(accountRule(account).EventPattern);
      expect(userIdentity).toEqual({
        sessionContext: {
          sessionIssuer: {
            arn: [
              { exists: false },
              { 'anything-but': { wildcard: sub(`arn:\${AWS::Partition}:iam::*:role/${MEMBER_ROLE_NAME}`) } },
            ],
          },
        },
      });
    });

    it.each([
      // A field the event lacks matches nothing but exists:false: "the event must contain all the field names listed
      // in the event pattern" (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern.html).
      {
        caller: 'an IAM user (no session)',
        identity: { type: 'IAMUser', arn: `arn:aws:iam::${MEMBER}:user/ana` },
        hit: true,
      },
      {
        caller: "a member's own role session",
        identity: roleSession(`arn:aws:iam::${MEMBER}:role/deployer`),
        hit: true,
      },
      // anything-but with a wildcard (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html).
      { caller: 'the member role (the pipeline)', identity: roleSession(MEMBER_ROLE), hit: false },
      {
        caller: 'a role whose name only starts like the member role',
        identity: roleSession(`${MEMBER_ROLE}-admin`),
        hit: true,
      },
    ])('passes a trigger call of $caller: $hit', ({ identity, hit }) => {
      // Prepare
      const pattern = resolveSub(hubRule().EventPattern, { 'AWS::Partition': 'aws' });

      // Act
      const matched = matchesPattern(pattern, triggerCall(identity));

      // Assess
      expect(matched).toBe(hit);
    });

    it("targets the function with the account rule's input transformer, retries and its own dead-letter queue", () => {
      // Prepare
      const [accountTarget] = accountRule(account).Targets as Record<string, unknown>[];

      // Act
      const [target = {}] = hubRule().Targets as Record<string, unknown>[];
      const deadLetter = target.DeadLetterConfig as { Arn: { 'Fn::GetAtt': string[] } };
      const dlq = /^(\w+)$/.exec(String(deadLetter.Arn['Fn::GetAtt'][0]));
      const policies = ofType(hub, 'AWS::SQS::QueuePolicy').map(([, policy]) => propertiesOf(policy));
      const permissions = ofType(hub, 'AWS::Lambda::Permission').map(([, permission]) => propertiesOf(permission));

      // Assess
      expect(target).toMatchObject({
        Arn: accountTarget?.Arn,
        InputTransformer: accountTarget?.InputTransformer,
        RetryPolicy: accountTarget?.RetryPolicy,
      });
      expect(hub.Resources[dlq?.[1] ?? '']?.Type).toBe('AWS::SQS::Queue');
      expect(policies).toContainEqual(
        expect.objectContaining({
          Queues: [{ Ref: dlq?.[1] }],
          PolicyDocument: expect.objectContaining({
            Statement: [
              expect.objectContaining({ Condition: { ArnEquals: { 'aws:SourceArn': getAtt('HubTriggerRule') } } }),
            ],
          }),
        })
      );
      expect(permissions).toContainEqual(
        expect.objectContaining({ Principal: 'events.amazonaws.com', SourceArn: getAtt('HubTriggerRule') })
      );
    });
  });

  describe('function and state machine', () => {
    const environment = () => {
      const [[, fn]] = ofType(hub, 'AWS::Lambda::Function') as [[string, CloudFormationResource]];
      return (propertiesOf(fn).Environment as { Variables: Record<string, unknown> }).Variables;
    };

    it.each([
      { name: 'DEPLOYMENT', value: 'org' },
      { name: 'ORGANIZATION_ID', value: ORG },
      { name: 'MEMBER_REGIONS', value: 'us-east-1,eu-west-1' },
      { name: 'MEMBER_ROLE_NAME', value: MEMBER_ROLE_NAME },
      { name: 'HUB_ROLE_ARN', value: getAtt('HubStreamRole') },
      // Completion events on the hub bus: one place to alert.
      { name: 'EVENT_BUS_NAME', value: 'kinesis-auto-encrypt-hub' },
    ])('sets $name', ({ name, value }) => {
      // Act
      const variables = environment();

      // Assess
      expect(variables[name]).toEqual(value);
    });

    it.each([
      { name: 'DEPLOYMENT', value: 'account' },
      { name: 'ORGANIZATION_ID', value: '' },
      { name: 'MEMBER_REGIONS', value: '' },
      { name: 'MEMBER_ROLE_NAME', value: '' },
      { name: 'HUB_ROLE_ARN', value: '' },
    ])('sets $name to $value in the account deployment', ({ name, value }) => {
      // Prepare
      const [[, fn]] = ofType(account, 'AWS::Lambda::Function') as [[string, CloudFormationResource]];

      // Act
      const variables = (propertiesOf(fn).Environment as { Variables: Record<string, unknown> }).Variables;

      // Assess
      expect(variables[name]).toEqual(value);
    });

    it('deploys statemachines/confirm-encryption-org.asl.json', () => {
      // Prepare
      const asl = JSON.parse(readFileSync(join(REPO_ROOT, 'statemachines', 'confirm-encryption-org.asl.json'), 'utf8'));

      // Act
      const stateMachine = hub.Resources.ConfirmEncryptionStateMachine;

      // Assess
      expect(JSON.parse(String(propertiesOf(stateMachine).DefinitionString))).toEqual(asl);
    });

    it("gives the hub's own streams a role only the state machine role may assume", () => {
      // Prepare
      const role = hub.Resources.HubStreamRole;

      // Act
      const trust = propertiesOf(role).AssumeRolePolicyDocument as { Statement: Statement[] };

      // Assess
      expect(propertiesOf(role).RoleName).toBe(`${MEMBER_ROLE_NAME}-hub`);
      expect(trust.Statement).toEqual([
        {
          Effect: 'Allow',
          Principal: { AWS: getAtt('ConfirmEncryptionStateMachineRole') },
          Action: 'sts:AssumeRole',
        },
      ]);
    });
  });

  describe('member StackSet', () => {
    const stackSet = () => propertiesOf(hub.Resources.MemberStackSet);

    it('is service-managed, auto-deploys to new accounts and removes stacks of accounts that leave', () => {
      // Prepare: AWS::CloudFormation::StackSet (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-stackset.html).
      const properties = stackSet();

      // Act
      const { OperationPreferences } = properties as { OperationPreferences: Record<string, number | string> };

      // Assess
      expect(properties).toMatchObject({
        PermissionModel: 'SERVICE_MANAGED',
        AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
        CallAs: 'DELEGATED_ADMIN',
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      });
      expect(OperationPreferences.RegionConcurrencyType).toBe('PARALLEL');
      expect(OperationPreferences.FailureTolerancePercentage).toBeGreaterThan(0);
      expect(OperationPreferences.MaxConcurrentPercentage).toBeGreaterThan(
        OperationPreferences.FailureTolerancePercentage as number
      );
    });

    it('deploys to memberTargets × memberRegions', () => {
      // Act
      const { StackInstancesGroup } = stackSet();

      // Assess
      expect(StackInstancesGroup).toEqual([
        { DeploymentTargets: { OrganizationalUnitIds: ['ou-abcd-11111111'] }, Regions: ['us-east-1', 'eu-west-1'] },
      ]);
    });

    it('deploys member/member.yml as it is, with every one of its parameters', () => {
      // Prepare
      const file = readFileSync(join(REPO_ROOT, 'member', 'member.yml'), 'utf8');

      // Act
      const declared = Object.keys(member.Parameters as Record<string, unknown>).sort();

      // Assess
      expect(org.memberText).toBe(file);
      expect(Object.keys(org.memberParameters).sort()).toEqual(declared);
      expect(declared).toEqual(
        [
          'HubEventBusArn',
          'HubFunctionRoleArn',
          'HubStateMachineRoleArn',
          'HubSweepRoleArn',
          'OrganizationId',
          'MemberRoleName',
          'RoleRegion',
          'ProbeEnabled',
          'WriteGuard',
          'KmsKeyIamResource',
        ].sort()
      );
    });

    it.each([
      { name: 'HubEventBusArn', value: getAtt('HubEventBus') },
      { name: 'HubFunctionRoleArn', value: getAtt('EncryptStreamRole') },
      { name: 'HubStateMachineRoleArn', value: getAtt('ConfirmEncryptionStateMachineRole') },
      { name: 'HubSweepRoleArn', value: getAtt('SweepRole') },
      { name: 'OrganizationId', value: ORG },
      { name: 'MemberRoleName', value: MEMBER_ROLE_NAME },
      // The first member region: a stack instance exists there in every target account.
      { name: 'RoleRegion', value: 'us-east-1' },
      { name: 'ProbeEnabled', value: 'false' },
      // The write guard's tagging grants follow the hub's writeGuard (default off).
      { name: 'WriteGuard', value: 'off' },
      // The hub's default scope names "this account": each member's own keys.
      { name: 'KmsKeyIamResource', value: sub('') },
    ])('passes $name', ({ name, value }) => {
      // Act
      const passed = org.memberParameters[name];

      // Assess
      expect(passed).toEqual(value);
    });
  });

  // issue 21 item 5: the hub account is governed in every member region, not only in the hub region. A service-managed
  // StackSet never deploys to the management account and deploys only to the accounts of its target OUs
  // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-associate-stackset-with-org.html):
  // the hub gets its forwarding from a self-managed StackSet whose administrator and target are the hub itself
  // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-prereqs-self-managed.html); a rule may
  // target a bus of another region of its account (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html).
  describe('the hub account in every member region', () => {
    const HUB_VALUES = { 'AWS::Partition': 'aws', 'AWS::AccountId': HUB, 'AWS::Region': 'us-east-1' };
    const HUB_STREAM_ROLE = `arn:aws:iam::${HUB}:role/${MEMBER_ROLE_NAME}-hub`;
    const PRINCIPALS: Record<string, string> = {
      EncryptStreamRole: HUB_FUNCTION_ROLE,
      SweepRole: HUB_SWEEP_ROLE,
      HubStreamRole: HUB_STREAM_ROLE,
    };
    const stream = (region: string, owner = HUB) => `arn:aws:kinesis:${region}:${owner}:stream/orders`;
    const key = (region: string) => `arn:aws:kms:${region}:${HUB}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    /** A key's default key policy lets the account's IAM policies grant its use
     * (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html); a stream has no policy. */
    const resourcePolicyOf = (resource: string): Statement[] =>
      resource.startsWith('arn:aws:kms:')
        ? [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${HUB}:root` }, Action: 'kms:*', Resource: '*' }]
        : [];
    const hubRegionsStackSet = () => propertiesOf(hub.Resources.HubRegionsStackSet);
    /** A hub role's identity policy as IAM reads it in the hub; statements on template resources (GetAtt) left out. */
    const identityOf = (roleId: string, conditions: Record<string, boolean>): Statement[] => {
      const template = resolveConditions(hub, conditions);
      const policies = propertiesOf(template.Resources[roleId]).Policies as {
        PolicyDocument: { Statement: Statement[] };
      }[];
      const statements = resolveSub(
        policies.flatMap(({ PolicyDocument }) => PolicyDocument.Statement),
        HUB_VALUES
      ) as Statement[];
      return statements.filter(({ Resource }) => [Resource].flat().every((item) => typeof item === 'string'));
    };

    it.each([
      { role: 'EncryptStreamRole', action: 'kinesis:StartStreamEncryption', resource: stream('eu-west-1') },
      { role: 'EncryptStreamRole', action: 'kinesis:StartStreamEncryption', resource: stream('us-east-1') },
      { role: 'EncryptStreamRole', action: 'kinesis:ListTagsForStream', resource: stream('eu-west-1') },
      { role: 'EncryptStreamRole', action: 'kms:DescribeKey', resource: key('eu-west-1') },
      { role: 'EncryptStreamRole', action: 'kinesis:AddTagsToStream', resource: stream('eu-west-1'), guard: true },
      { role: 'SweepRole', action: 'kinesis:DescribeStreamSummary', resource: stream('eu-west-1') },
      { role: 'SweepRole', action: 'kinesis:StartStreamEncryption', resource: stream('eu-west-1') },
      { role: 'SweepRole', action: 'kms:GetKeyPolicy', resource: key('eu-west-1') },
      { role: 'SweepRole', action: 'kinesis:RemoveTagsFromStream', resource: stream('eu-west-1'), guard: true },
      { role: 'HubStreamRole', action: 'kinesis:DescribeStreamSummary', resource: stream('eu-west-1') },
      { role: 'HubStreamRole', action: 'kinesis:PutRecord', resource: stream('eu-west-1'), probe: true },
      { role: 'HubStreamRole', action: 'kms:GenerateDataKey', resource: key('eu-west-1'), probe: true },
      { role: 'HubStreamRole', action: 'kinesis:AddTagsToStream', resource: stream('eu-west-1'), guard: true },
    ])('lets $role call $action on $resource (a member region of the hub account)', async (row) => {
      // Prepare
      const identity = identityOf(row.role, { ProbeEnabled: row.probe ?? false, WriteGuardOn: row.guard ?? false });

      // Act
      const result = await simulate({
        principal: PRINCIPALS[row.role] ?? '',
        action: row.action,
        resource: row.resource,
        resourceAccount: HUB,
        identity,
        resourcePolicy: resourcePolicyOf(row.resource),
      });

      // Assess
      expect(result).toBe('Allowed');
    });

    it.each([
      { role: 'EncryptStreamRole', action: 'kinesis:StartStreamEncryption', resource: stream('ap-southeast-2') },
      { role: 'SweepRole', action: 'kinesis:StartStreamEncryption', resource: stream('ap-southeast-2') },
      { role: 'HubStreamRole', action: 'kinesis:DescribeStreamSummary', resource: stream('eu-west-1', MEMBER) },
      { role: 'EncryptStreamRole', action: 'kms:DescribeKey', resource: key('ap-southeast-2') },
    ])('still denies $role $action on $resource (no member region, or another account)', async (row) => {
      // Prepare
      const identity = identityOf(row.role, { ProbeEnabled: true, WriteGuardOn: true });

      // Act
      const result = await simulate({
        principal: PRINCIPALS[row.role] ?? '',
        action: row.action,
        resource: row.resource,
        resourceAccount: row.resource.split(':')[4] ?? HUB,
        identity,
        resourcePolicy: resourcePolicyOf(row.resource),
      });

      // Assess
      expect(result).toBe('ImplicitlyDenied');
    });

    it('deploys the member template to the hub account itself in every other member region, self-managed', () => {
      // Act
      const properties = hubRegionsStackSet();
      const parameters = Object.fromEntries(
        (properties.Parameters as { ParameterKey: string; ParameterValue: unknown }[]).map(
          ({ ParameterKey, ParameterValue }) => [ParameterKey, ParameterValue]
        )
      );

      // Assess: the hub region has the function's own default-bus rule; the other member regions forward.
      expect(hub.Resources.HubRegionsStackSet?.Condition).toBe('HubHasOtherMemberRegions');
      expect(properties).toMatchObject({
        PermissionModel: 'SELF_MANAGED',
        AdministrationRoleARN: getAtt('HubRegionsStackSetAdministrationRole'),
        ExecutionRoleName: 'AWSCloudFormationStackSetExecutionRole',
        StackInstancesGroup: [{ DeploymentTargets: { Accounts: [{ Ref: 'AWS::AccountId' }] }, Regions: ['eu-west-1'] }],
      });
      expect(properties.CallAs).toBeUndefined();
      expect(properties.AutoDeployment).toBeUndefined();
      expect(properties.TemplateBody).toBe(org.memberText);
      // The member stack's parameters, its role region the hub region: none of these stacks creates the member role.
      expect(parameters).toEqual({ ...org.memberParameters, RoleRegion: { Ref: 'AWS::Region' } });
    });

    it("forwards the hub account's trigger calls of another member region to the hub bus, without a member role", () => {
      // Prepare
      const instance = withParameterValues(member, {
        ...memberPolicyValues('eu-west-1'),
        RoleRegion: 'us-east-1',
        'AWS::AccountId': HUB,
      });

      // Act
      const resolved = resolveConditions(instance);
      const forward = propertiesOf(resolved.Resources.ForwardTriggers);

      // Assess
      expect('MemberRole' in resolved.Resources).toBe(false);
      expect(forward.Targets).toMatchObject([{ Arn: HUB_BUS_ARN, RoleArn: getAtt('ForwardRole') }]);
      expect(resolveSub(forward.EventPattern, { 'AWS::Partition': 'aws', MemberRoleName: MEMBER_ROLE_NAME })).toEqual(
        resolveSub(hubRule().EventPattern, { 'AWS::Partition': 'aws' })
      );
      expect(Object.keys(resolved.Resources)).toEqual(
        expect.arrayContaining(['ForwardDeadLetterQueue', 'ForwardDeadLetterAlarm', 'AlarmStatesToHub'])
      );
    });

    it("brings the alarm of the hub's other regions to the alarm topic (the members' alarm rule matches its stacks)", () => {
      // Prepare: a stack instance is named StackSet-<StackSet name>-<id>
      // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-concepts.html).
      const pattern = propertiesOf(hub.Resources.MemberAlarmsToTopic).EventPattern as {
        detail: { alarmName: { prefix: string }[] };
      };

      // Act
      const stackName = `StackSet-${String(hubRegionsStackSet().StackSetName)}-0123abcd`;

      // Assess
      expect(stackName.startsWith(pattern.detail.alarmName[0]?.prefix ?? '-')).toBe(true);
    });

    it('lets CloudFormation of this account only assume the administration role, which assumes only the execution role', () => {
      // Act
      const role = propertiesOf(hub.Resources.HubRegionsStackSetAdministrationRole);
      const statements = (role.Policies as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
        ({ PolicyDocument }) => PolicyDocument.Statement
      );

      // Assess
      expect(hub.Resources.HubRegionsStackSetAdministrationRole?.Condition).toBe('HubHasOtherMemberRegions');
      expect(role.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'cloudformation.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      });
      expect(statements).toEqual([
        {
          Effect: 'Allow',
          Action: ['sts:AssumeRole'],
          Resource: [sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:role/AWSCloudFormationStackSetExecutionRole')],
        },
      ]);
    });

    it('creates no hub-regions StackSet when the hub region is the only member region', async () => {
      // Prepare
      const single = await packageOrg({ memberRegions: 'us-east-1' });

      // Act
      const resolved = resolveConditions(single.hub);

      // Assess
      expect('HubRegionsStackSet' in resolved.Resources).toBe(false);
      expect('HubRegionsStackSetAdministrationRole' in resolved.Resources).toBe(false);
      expect('MemberStackSet' in resolved.Resources).toBe(true);
    }, 600_000);
  });

  describe('member template', () => {
    // The trigger rules (source aws.kinesis); AlarmStatesToHub forwards alarm states (watchedResources.test.ts).
    const forwardRules = () =>
      ofType(member, 'AWS::Events::Rule').filter(([, rule]) =>
        JSON.stringify(propertiesOf(rule).EventPattern).includes('"aws.kinesis"')
      );

    it("forwards with rules on the default bus whose pattern is the hub rule's", () => {
      // Prepare
      const expected = resolveSub(hubRule().EventPattern, { 'AWS::Partition': 'aws' });

      // Act
      const rules = forwardRules().map(([id, rule]) => ({
        id,
        bus: propertiesOf(rule).EventBusName,
        pattern: resolveSub(propertiesOf(rule).EventPattern, {
          'AWS::Partition': 'aws',
          MemberRoleName: MEMBER_ROLE_NAME,
        }),
      }));

      // Assess
      expect(rules.length).toBeGreaterThan(0);
      for (const rule of rules) {
        expect(rule.id).toMatch(/^Forward/);
        expect(rule.bus).toBeUndefined();
        expect(rule.pattern).toEqual(expected);
      }
    });

    it('targets the hub bus with a role allowed only events:PutEvents on it', () => {
      // Prepare: a bus of another account (and region) as target needs a role of the sending account allowed
      // events:PutEvents on it (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html).
      const forwardRole = propertiesOf(member.Resources.ForwardRole);

      // Act
      const targets = forwardRules().flatMap(([, rule]) => propertiesOf(rule).Targets as Record<string, unknown>[]);
      const policies = forwardRole.Policies as { PolicyDocument: { Statement: Statement[] } }[];

      // Assess
      expect(targets.map(({ Arn, RoleArn }) => ({ Arn, RoleArn }))).toEqual(
        targets.map(() => ({ Arn: { Ref: 'HubEventBusArn' }, RoleArn: getAtt('ForwardRole') }))
      );
      expect(policies.flatMap(({ PolicyDocument }) => PolicyDocument.Statement)).toEqual([
        { Effect: 'Allow', Action: ['events:PutEvents'], Resource: [{ Ref: 'HubEventBusArn' }] },
      ]);
      expect(forwardRole.AssumeRolePolicyDocument).toMatchObject({
        Statement: [expect.objectContaining({ Principal: { Service: 'events.amazonaws.com' } })],
      });
    });

    it.each([
      { region: 'us-east-1', created: true },
      { region: 'eu-west-1', created: false },
    ])('creates the member role in $region: $created (IAM is global)', ({ region, created }) => {
      // Prepare
      const instance = withParameterValues(member, memberPolicyValues(region));

      // Act
      const resolved = resolveConditions(instance);

      // Assess
      expect(member.Resources.MemberRole?.Condition).toBe('IsRoleRegion');
      expect(propertiesOf(member.Resources.MemberRole).RoleName).toEqual({ Ref: 'MemberRoleName' });
      expect('MemberRole' in resolved.Resources).toBe(created);
      expect('ForwardTriggers' in resolved.Resources).toBe(true);
    });

    it('trusts only the hub function role, state machine role and sweep role, from the organisation', () => {
      // Act
      const trust = propertiesOf(member.Resources.MemberRole).AssumeRolePolicyDocument as { Statement: Statement[] };

      // Assess
      expect(trust.Statement).toEqual([
        {
          Effect: 'Allow',
          Principal: {
            AWS: [{ Ref: 'HubFunctionRoleArn' }, { Ref: 'HubStateMachineRoleArn' }, { Ref: 'HubSweepRoleArn' }],
          },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:PrincipalOrgID': { Ref: 'OrganizationId' } } },
        },
      ]);
    });

    it.each([
      { who: 'the hub function role', principal: HUB_FUNCTION_ROLE, orgId: ORG, expected: 'Allowed' },
      { who: 'the hub state machine role', principal: HUB_STATE_MACHINE_ROLE, orgId: ORG, expected: 'Allowed' },
      { who: 'the hub sweep role', principal: HUB_SWEEP_ROLE, orgId: ORG, expected: 'Allowed' },
      {
        who: 'another role of the hub account',
        principal: `arn:aws:iam::${HUB}:role/developer`,
        orgId: ORG,
        expected: 'ImplicitlyDenied',
      },
      {
        who: 'a role named like the function role outside the organisation',
        principal: HUB_FUNCTION_ROLE,
        orgId: 'o-another0000',
        expected: 'ImplicitlyDenied',
      },
      {
        who: 'a role of an account outside the organisation',
        principal: 'arn:aws:iam::999999999999:role/kinesis-auto-encrypt-org-EncryptStreamRole-ABC123',
        orgId: undefined,
        expected: 'ImplicitlyDenied',
      },
    ])('lets $who assume it: $expected (iam-simulate)', async ({ principal, orgId, expected }) => {
      // Prepare: cross-account AssumeRole needs the caller's policy and the role's trust policy
      // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html).
      const instance = withParameterValues(member, memberPolicyValues('us-east-1'));
      const trust = propertiesOf(instance.Resources.MemberRole).AssumeRolePolicyDocument as { Statement: Statement[] };

      // Act
      const result = await simulate({
        principal,
        action: 'sts:AssumeRole',
        resource: MEMBER_ROLE,
        resourceAccount: MEMBER,
        orgId,
        identity: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::*:role/${MEMBER_ROLE_NAME}` }],
        resourcePolicy: trust.Statement,
      });

      // Assess
      expect(result).toBe(expected);
    });
  });
});
