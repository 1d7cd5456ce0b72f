import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { type AwsCall, functionAwsCalls, stateMachineAwsCalls } from '../../helpers/awsCalls';
import {
  cfnString,
  conditionValues,
  type Finding,
  FindingKind,
  functionPlatformGrants,
  leastPrivilegeFindings,
  type PolicyStatement,
  type RequiredGrant,
  type RoleRequirement,
  resolveConditions,
} from '../../helpers/leastPrivilege';
import { type CloudFormationTemplate, type PackagedService, packageTemplate } from '../../helpers/packageTemplate';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const HANDLER = 'handlers/encrypt-stream.handler';
const BUNDLE_MAP = 'handlers/encrypt-stream.js.map';
const STAGE = 'dev';

// Derived, not listed: the SDK commands our sources send, the Powertools calls we trigger, the ASL tasks.
const functionAnalysis = functionAwsCalls();
// recordMetrics (deploy/monitoring.yml) writes EMF to stdout: its only grants are the Lambda service's own.
const metricsFunctionCalls = functionAwsCalls(join(REPO_ROOT, 'handlers', 'record-metrics.ts')).calls;
const METRICS_FUNCTION_ID = 'RecordMetricsLambdaFunction';
const stateMachineCalls = stateMachineAwsCalls(
  JSON.parse(readFileSync(join(REPO_ROOT, 'statemachines', 'confirm-encryption.asl.json'), 'utf8'))
);
const distinctActions = (calls: AwsCall[]): string[] => [...new Set(calls.map(({ action }) => action))].sort();

/** Opt-in Task states: their action is granted only under this CloudFormation condition. */
const CONDITIONAL_TASKS: Record<string, string> = { ProbeRecord: 'ProbeEnabled', TagGuard: 'WriteGuardOn' };
/** Every condition of the template switched on: every opt-in permission present. */
const ALL_ON = { ProbeEnabled: true, WriteGuardOn: true };
/** The guard tag calls (src/aws/kinesisStreamPort.ts): made only with writeGuard prepare or enforce. */
const GUARD_TAG_ACTIONS: Record<string, string> = {
  'kinesis:AddTagsToStream': 'WriteGuardOn',
  'kinesis:RemoveTagsFromStream': 'WriteGuardOn',
};

/**
 * Function calls made only by the organisation deployment (credentials per member account, src/aws): granted
 * only under this condition; orgLeastPrivilege.test.ts checks them.
 */
const CONDITIONAL_ACTIONS: Record<string, string> = { 'sts:AssumeRole': 'IsOrg', ...GUARD_TAG_ACTIONS };

/** Function calls a deployment makes under the template's evaluated conditions. */
const functionCallsUnder = (template: CloudFormationTemplate): AwsCall[] => {
  const values = conditionValues(template);
  return functionAnalysis.calls.filter(({ action }) => {
    const condition = CONDITIONAL_ACTIONS[action];
    if (condition === undefined) return true;
    if (!(condition in values)) throw new Error(`Condition ${condition} is not in the template`);
    return values[condition] === true;
  });
};

/** State machine calls a deployment makes under the template's evaluated conditions. */
const stateMachineCallsUnder = (template: CloudFormationTemplate): AwsCall[] => {
  const values = conditionValues(template);
  return stateMachineCalls.filter(({ origin }) => {
    const condition = CONDITIONAL_TASKS[origin.replace(/ \(ASL\)$/, '')];
    if (condition === undefined) return true;
    if (!(condition in values)) throw new Error(`Condition ${condition} is not in the template`);
    return values[condition] === true;
  });
};

/** Where each call may apply, read from the template and the service's parameters. */
interface Scopes {
  functionId: string;
  functionRoleId: string;
  stateMachineRoleId: string;
  byService: Record<string, string>;
}

const roleIdOf = (arn: unknown): string => {
  const match = /^\$\{([A-Za-z0-9]+)\.Arn\}$/.exec(cfnString(arn));
  if (!match?.[1]) throw new Error(`Role ${cfnString(arn)} is not a role of the template`);
  return match[1];
};

const refId = (value: unknown): string => {
  const match = /^\$\{([A-Za-z0-9]+)\}$/.exec(cfnString(value));
  if (!match?.[1]) throw new Error(`${cfnString(value)} is not a Ref`);
  return match[1];
};

const scopesOf = (template: CloudFormationTemplate): Scopes => {
  const [functionId, fn] = Object.entries(template.Resources).find(
    ([, resource]) => resource.Type === 'AWS::Lambda::Function' && resource.Properties?.Handler === HANDLER
  ) ?? ['', undefined];
  if (fn === undefined) throw new Error(`No function with handler ${HANDLER}`);
  const env = (fn.Properties?.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables ?? {};
  const stateMachineId = refId(env.STATE_MACHINE_ARN);
  const substitutions = template.Resources[stateMachineId]?.Properties?.DefinitionSubstitutions as
    | Record<string, unknown>
    | undefined;
  const serverless = parse(readFileSync(join(REPO_ROOT, 'serverless.yml'), 'utf8'), { logLevel: 'error' }) as {
    params: Record<string, Record<string, string> | undefined>;
  };
  const kmsKeyIamResource = serverless.params[STAGE]?.kmsKeyIamResource ?? serverless.params.default?.kmsKeyIamResource;
  const account = 'arn:${AWS::Partition}:%s:${AWS::Region}:${AWS::AccountId}:';
  const arn = (service: string, rest: string) => `${account.replace('%s', service)}${rest}`;
  return {
    functionId,
    functionRoleId: roleIdOf(fn.Properties?.Role),
    stateMachineRoleId: roleIdOf(template.Resources[stateMachineId]?.Properties?.RoleArn),
    byService: {
      // Any stream of this account and region: streams are created by others, after deployment.
      kinesis: arn('kinesis', 'stream/*'),
      dynamodb: `\${${refId(env.IDEMPOTENCY_TABLE_NAME)}.Arn}`,
      states: `\${${stateMachineId}}`,
      events: arn('events', `event-bus/${String(env.EVENT_BUS_NAME)}`),
      kms: String(kmsKeyIamResource),
      ssm: arn('ssm', `parameter${String(env.KMS_KEY_SSM_PARAMETER)}`),
      // KeepUndelivered: the queue the definition's ${UndeliveredQueueUrl} names.
      sqs: `\${${refId(substitutions?.UndeliveredQueueUrl)}.Arn}`,
    },
  };
};

const grantsFor = (calls: AwsCall[], scopes: Scopes): RequiredGrant[] =>
  calls.map(({ action, origin }) => {
    const resource = scopes.byService[action.split(':')[0] ?? ''];
    if (resource === undefined) throw new Error(`No expected resource for ${action} (${origin})`);
    return { action, resource, origin };
  });

// The scheduled sweep (deploy/sweep.yml): its function's calls, derived from handlers/sweep.ts like the
// pipeline's; its state machine's tasks from the ASL; its schedule's target.
const sweepAnalysis = functionAwsCalls(join(REPO_ROOT, 'handlers', 'sweep.ts'));
const sweepStateMachineCalls = stateMachineAwsCalls(
  JSON.parse(readFileSync(join(REPO_ROOT, 'statemachines', 'sweep.asl.json'), 'utf8'))
);
/** Sweep calls made only under a condition; `never`: in the import graph, not called by the deployed sweep. */
const SWEEP_CONDITIONS: Record<string, string> = {
  // sweepTargets calls account:ListRegions only for `--region all` (the CLI); the sweep names its regions.
  'account:ListRegions': 'never',
  'sts:AssumeRole': 'IsOrg',
  'organizations:ListAccounts': 'SweepListsAccountsItself',
  ...GUARD_TAG_ACTIONS,
};
/** Actions with no resource type (Service Authorization Reference): granted on `*`. */
const SWEEP_UNSCOPED = new Set([
  'kinesis:ListStreams',
  'tag:GetResources',
  'organizations:ListAccounts',
  // The report's createdBy and receivingWrites (src/audit/streamActivity.ts): no resource type / metrics have no ARN.
  'cloudtrail:LookupEvents',
  'cloudwatch:GetMetricData',
]);

const sweepCallsUnder = (template: CloudFormationTemplate): AwsCall[] => {
  const values = conditionValues(template);
  return sweepAnalysis.calls.filter(({ action }) => {
    const condition = SWEEP_CONDITIONS[action];
    if (condition === undefined) return true;
    if (condition === 'never') return false;
    if (!(condition in values)) throw new Error(`Condition ${condition} is not in the template`);
    return values[condition] === true;
  });
};

const sweepRequirementsOf = (template: CloudFormationTemplate, scopes: Scopes): RoleRequirement[] => {
  const fn = template.Resources.SweepLambdaFunction;
  if (fn === undefined) throw new Error('No SweepLambdaFunction');
  const byService: Record<string, string> = { ...scopes.byService, s3: '${SweepBucket.Arn}/*' };
  const grants = sweepCallsUnder(template).map(({ action, origin }) => {
    const resource = SWEEP_UNSCOPED.has(action) ? '*' : byService[action.split(':')[0] ?? ''];
    if (resource === undefined) throw new Error(`No expected resource for ${action} (${origin})`);
    return { action, resource, origin };
  });
  const requirements: RoleRequirement[] = [
    {
      roleId: roleIdOf(fn.Properties?.Role),
      grants: [...grants, ...functionPlatformGrants(template, 'SweepLambdaFunction')],
    },
    {
      roleId: roleIdOf(template.Resources.SweepStateMachine?.Properties?.RoleArn),
      grants: sweepStateMachineCalls.map(({ action, origin }) => ({
        action,
        resource: '${SweepLambdaFunction.Arn}',
        origin,
      })),
    },
  ];
  const schedule = template.Resources.SweepSchedule;
  if (schedule !== undefined) {
    const target = schedule.Properties?.Target as { Arn: unknown; RoleArn: unknown };
    requirements.push({
      roleId: roleIdOf(target.RoleArn),
      grants: [{ action: 'states:StartExecution', resource: `\${${refId(target.Arn)}}`, origin: 'SweepSchedule' }],
    });
  }
  return requirements;
};

const requirementsOf = (template: CloudFormationTemplate): RoleRequirement[] => {
  const scopes = scopesOf(template);
  return [
    ...sweepRequirementsOf(template, scopes),
    {
      roleId: scopes.functionRoleId,
      grants: [
        ...grantsFor(functionCallsUnder(template), scopes),
        ...functionPlatformGrants(template, scopes.functionId),
      ],
    },
    { roleId: scopes.stateMachineRoleId, grants: grantsFor(stateMachineCallsUnder(template), scopes) },
    {
      roleId: roleIdOf(template.Resources[METRICS_FUNCTION_ID]?.Properties?.Role),
      grants: [...grantsFor(metricsFunctionCalls, scopes), ...functionPlatformGrants(template, METRICS_FUNCTION_ID)],
    },
  ];
};

const clone = (template: CloudFormationTemplate): CloudFormationTemplate => structuredClone(template);

const inlinePolicies = (template: CloudFormationTemplate, roleId: string) =>
  template.Resources[roleId]?.Properties?.Policies as { PolicyDocument: { Statement: PolicyStatement[] } }[];

/** Statements of a role's inline policies (all of them). */
const inlineStatements = (template: CloudFormationTemplate, roleId: string): PolicyStatement[] =>
  inlinePolicies(template, roleId).flatMap(({ PolicyDocument }) => PolicyDocument.Statement);

/** The statement list of a role's first inline policy, to add statements to. */
const firstPolicyStatements = (template: CloudFormationTemplate, roleId: string): PolicyStatement[] => {
  const [first] = inlinePolicies(template, roleId);
  if (first === undefined) throw new Error(`${roleId} has no inline policy`);
  return first.PolicyDocument.Statement;
};

const statementGranting = (template: CloudFormationTemplate, roleId: string, action: string): PolicyStatement => {
  const found = inlineStatements(template, roleId).find((statement) => [statement.Action].flat().includes(action));
  if (found === undefined) throw new Error(`${roleId} does not grant ${action}`);
  return found;
};

describe('least privilege of the packaged CloudFormation', () => {
  let service: PackagedService;
  /** As deployed with the default parameters (opt-ins off). */
  let deployed: CloudFormationTemplate;
  /** As deployed with every opt-in on. */
  let allOn: CloudFormationTemplate;
  /** As deployed with `--param writeGuard=prepare` (an account deployment: enforce needs deployment=org). */
  let guarded: CloudFormationTemplate;

  beforeAll(async () => {
    service = await packageTemplate();
    deployed = resolveConditions(service.template);
    allOn = resolveConditions(service.template, ALL_ON);
    guarded = resolveConditions((await packageTemplate({ params: { writeGuard: 'prepare' } })).template);
  }, 8 * 60_000);

  it('lets CloudFormation name the sweep role of an account deployment (a fixed name would collide across regions)', () => {
    // Act
    const name = deployed.Resources.SweepRole?.Properties?.RoleName;

    // Assess
    expect(name).toBeUndefined();
  });

  describe('derived calls', () => {
    it('reads every source file the function bundle ships, and the Powertools code it bundles', () => {
      // Prepare
      const map = JSON.parse(service.zip.read(BUNDLE_MAP).toString('utf8')) as { sources: string[] };
      const bundled = map.sources.map((source) => resolve(REPO_ROOT, source.replace(/^(\.\.\/)+/, '')));

      // Act
      const ours = bundled.filter((file) => !file.includes('/node_modules/'));
      const missedSources = ours.filter((file) => !functionAnalysis.sources.includes(file));
      const unbundledLibraries = functionAnalysis.libraryFiles.filter((file) => !bundled.includes(file));

      // Assess
      expect(ours).toContain(join(REPO_ROOT, 'handlers', 'encrypt-stream.ts'));
      expect(missedSources).toEqual([]);
      expect(unbundledLibraries).toEqual([]);
    });

    it('finds the calls of our adapters and of the Powertools classes we use', () => {
      // Prepare
      const { calls } = functionAnalysis;

      // Act
      const fromOurSources = calls.filter(({ origin }) => !origin.startsWith('node_modules/'));
      const fromPowertools = calls.filter(({ origin }) => origin.startsWith('node_modules/@aws-lambda-powertools/'));

      // Assess
      expect(fromOurSources.length).toBeGreaterThan(0);
      expect(fromPowertools.length).toBeGreaterThan(0);
      expect(fromOurSources.length + fromPowertools.length).toBe(calls.length);
    });

    it('derives a command of our sources and the SDK calls a Powertools method reaches', () => {
      // Prepare
      const entry = join(REPO_ROOT, 'test', 'fixtures', 'leastPrivilege', 'extraCalls.ts');

      // Act
      const { calls } = functionAwsCalls(entry);

      // Assess
      expect(distinctActions(calls)).toEqual(['kinesis:DeleteStream', 'ssm:GetParametersByPath']);
    });

    it('reads the same Task states from the packaged state machine as from the ASL file', () => {
      // Prepare
      const stateMachine = service.template.Resources.ConfirmEncryptionStateMachine;

      // Act
      const packaged = stateMachineAwsCalls(JSON.parse(String(stateMachine?.Properties?.DefinitionString)));

      // Assess
      expect(packaged).toEqual(stateMachineCalls);
      expect(packaged.length).toBeGreaterThan(0);
    });
  });

  describe('grants', () => {
    it.each(functionAnalysis.calls)('function: $action ($origin) granted once, on its own resource', ({ action }) => {
      // Prepare
      const requirements = requirementsOf(deployed);

      // Act
      const findings = leastPrivilegeFindings(deployed, requirements);

      // Assess
      expect(findings.filter((finding) => finding.action === action)).toEqual([]);
    });

    it.each(stateMachineCalls)('state machine: $action ($origin) granted once, on its own resource', ({ action }) => {
      // Prepare
      const requirements = requirementsOf(allOn);

      // Act
      const findings = leastPrivilegeFindings(allOn, requirements);

      // Assess
      expect(findings.filter((finding) => finding.action === action)).toEqual([]);
    });

    it('grants the Lambda service only its own log group and the failure destination', () => {
      // Prepare
      const scopes = scopesOf(deployed);

      // Act
      const platform = functionPlatformGrants(deployed, scopes.functionId);
      const findings = leastPrivilegeFindings(deployed, requirementsOf(deployed));

      // Assess
      expect(platform.map(({ action }) => action).sort()).toEqual(
        expect.arrayContaining(['logs:CreateLogStream', 'logs:PutLogEvents', 'sqs:SendMessage'])
      );
      expect(findings.filter(({ action }) => platform.some((grant) => grant.action === action))).toEqual([]);
    });

    it.each([
      ['with the default parameters', () => deployed],
      ['with every opt-in on', () => allOn],
      ['with writeGuard=prepare', () => guarded],
    ])(
      'grants nothing unused, no wildcard action, no unscoped resource, in any role of the template, %s',
      (_label, template) => {
        // Prepare
        const requirements = requirementsOf(template());

        // Act
        const findings = leastPrivilegeFindings(template(), requirements);

        // Assess
        expect(requirements.map(({ grants }) => grants.length)).not.toContain(0);
        expect(findings).toEqual([]);
      }
    );

    it.each([
      { action: 'kinesis:PutRecord', resource: () => scopesOf(allOn).byService.kinesis },
      // The probe is a producer: Kinesis needs its kms:GenerateDataKey for a customer managed key
      // (https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html, "Example producer permissions").
      { action: 'kms:GenerateDataKey', resource: () => scopesOf(allOn).byService.kms },
    ])(
      'grants $action to the state machine only when the probe is enabled, on its own resource',
      ({ action, resource }) => {
        // Prepare
        const { stateMachineRoleId } = scopesOf(deployed);
        const granting = (template: CloudFormationTemplate) =>
          inlineStatements(template, stateMachineRoleId).filter((statement) =>
            [statement.Action].flat().includes(action)
          );

        // Act
        const whenOff = granting(deployed);
        const whenOn = granting(allOn);

        // Assess
        expect(stateMachineCalls).toContainEqual({ action, origin: 'ProbeRecord (ASL)' });
        expect(whenOff).toEqual([]);
        expect(whenOn.map((statement) => [statement.Resource].flat().map(cfnString))).toEqual([[resource()]]);
      }
    );
  });

  describe('write guard', () => {
    const STREAMS = 'arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/*';
    const BOTH = ['kinesis:AddTagsToStream', 'kinesis:RemoveTagsFromStream'];

    it.each([
      {
        role: 'function',
        roleId: () => scopesOf(deployed).functionRoleId,
        calls: () => functionAnalysis.calls,
        actions: BOTH,
      },
      {
        role: 'state machine',
        roleId: () => scopesOf(deployed).stateMachineRoleId,
        calls: () => stateMachineCalls.filter(({ origin }) => origin === 'TagGuard (ASL)'),
        actions: ['kinesis:AddTagsToStream'],
      },
      { role: 'sweep', roleId: () => 'SweepRole', calls: () => sweepAnalysis.calls, actions: BOTH },
    ])(
      "grants the $role role the guard tag calls only when writeGuard is not off, on this account's streams",
      ({ roleId, calls, actions }) => {
        // Prepare
        const granted = (template: CloudFormationTemplate) =>
          inlineStatements(template, roleId())
            .filter((statement) => actions.some((action) => [statement.Action].flat().includes(action)))
            .map((statement) => ({
              actions: [statement.Action].flat(),
              resources: [statement.Resource].flat().map(cfnString),
            }));

        // Act
        const whenOff = granted(deployed);
        const whenPrepare = granted(guarded);

        // Assess: the calls are derived from the code and the ASL, the grants follow the parameter
        expect(distinctActions(calls()).filter((action) => actions.includes(action))).toEqual(actions);
        expect(whenOff).toEqual([]);
        expect(whenPrepare).toEqual([{ actions, resources: [STREAMS] }]);
      }
    );
  });

  describe('checker', () => {
    const findingsAfter = (mutate: (template: CloudFormationTemplate, scopes: Scopes) => void): Finding[] => {
      const template = clone(allOn);
      mutate(template, scopesOf(template));
      return leastPrivilegeFindings(template, requirementsOf(template));
    };

    it.each([
      ...distinctActions(functionAnalysis.calls)
        .filter((action) => CONDITIONAL_ACTIONS[action] === undefined)
        .map((action) => ({ role: 'function' as const, action })),
      ...distinctActions(stateMachineCalls).map((action) => ({ role: 'state machine' as const, action })),
    ])('reports $action missing when the $role role no longer grants it', ({ role, action }) => {
      // Prepare
      const drop = (template: CloudFormationTemplate, scopes: Scopes) => {
        const roleId = role === 'function' ? scopes.functionRoleId : scopes.stateMachineRoleId;
        const statement = statementGranting(template, roleId, action);
        statement.Action = [statement.Action].flat().filter((granted) => granted !== action) as string[];
      };

      // Act
      const findings = findingsAfter(drop);

      // Assess
      expect(findings).toContainEqual(expect.objectContaining({ kind: FindingKind.Missing, action }));
    });

    it.each([
      {
        change: 'kinesis:DeleteStream added to the function role',
        mutate: (template: CloudFormationTemplate, scopes: Scopes) => {
          const statement = statementGranting(template, scopes.functionRoleId, 'kinesis:StartStreamEncryption');
          statement.Action = [...[statement.Action].flat(), 'kinesis:DeleteStream'] as string[];
        },
        expected: { kind: FindingKind.Unused, action: 'kinesis:DeleteStream' },
      },
      {
        change: 'kms:Decrypt added to the state machine role',
        mutate: (template: CloudFormationTemplate, scopes: Scopes) => {
          firstPolicyStatements(template, scopes.stateMachineRoleId).push({
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: '*',
          });
        },
        expected: { kind: FindingKind.Unused, action: 'kms:Decrypt' },
      },
      {
        change: 'the DynamoDB resource widened to "*"',
        mutate: (template: CloudFormationTemplate, scopes: Scopes) => {
          statementGranting(template, scopes.functionRoleId, 'dynamodb:GetItem').Resource = '*';
        },
        expected: { kind: FindingKind.Unscoped },
      },
      {
        change: 'the stream resource widened to every account',
        mutate: (template: CloudFormationTemplate, scopes: Scopes) => {
          statementGranting(template, scopes.stateMachineRoleId, 'kinesis:DescribeStreamSummary').Resource =
            'arn:aws:kinesis:*:*:stream/*';
        },
        expected: { kind: FindingKind.Unscoped },
      },
      {
        change: 'states:StartExecution on another state machine',
        mutate: (template: CloudFormationTemplate, scopes: Scopes) => {
          statementGranting(template, scopes.functionRoleId, 'states:StartExecution').Resource = {
            'Fn::Sub': 'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:other',
          };
        },
        expected: { kind: FindingKind.WrongResource, action: 'states:StartExecution' },
      },
      {
        change: 'the state machine keeps undelivered completions in the failure queue instead',
        mutate: (template: CloudFormationTemplate, scopes: Scopes) => {
          statementGranting(template, scopes.stateMachineRoleId, 'sqs:SendMessage').Resource = {
            'Fn::GetAtt': ['FailureQueue', 'Arn'],
          };
        },
        expected: { kind: FindingKind.WrongResource, action: 'sqs:SendMessage' },
      },
      {
        change: 'kinesis:* granted',
        mutate: (template: CloudFormationTemplate, scopes: Scopes) => {
          statementGranting(template, scopes.functionRoleId, 'kinesis:StartStreamEncryption').Action = 'kinesis:*';
        },
        expected: { kind: FindingKind.WildcardAction, action: 'kinesis:*' },
      },
      {
        change: 'ssm:GetParameter granted twice',
        mutate: (template: CloudFormationTemplate, scopes: Scopes) => {
          const statement = statementGranting(template, scopes.functionRoleId, 'ssm:GetParameter');
          firstPolicyStatements(template, scopes.functionRoleId).push(structuredClone(statement));
        },
        expected: { kind: FindingKind.Duplicate, action: 'ssm:GetParameter' },
      },
      {
        change: 'a managed policy attached to the function role',
        mutate: (template: CloudFormationTemplate, scopes: Scopes) => {
          const role = template.Resources[scopes.functionRoleId];
          if (role?.Properties) role.Properties.ManagedPolicyArns = ['arn:aws:iam::aws:policy/ReadOnlyAccess'];
        },
        expected: { kind: FindingKind.Unverifiable },
      },
    ])('reports $expected.kind when $change', ({ mutate, expected }) => {
      // Prepare
      const baseline = leastPrivilegeFindings(allOn, requirementsOf(allOn));

      // Act
      const findings = findingsAfter(mutate);

      // Assess
      expect(baseline).toEqual([]);
      expect(findings).toContainEqual(expect.objectContaining(expected));
    });
  });
});
