import { readFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { LOCAL_SUBSTITUTIONS } from '../../../tools/dev';
import {
  ACTIONS_ON_UNNAMED_RESOURCES,
  ACTIONS_WITHOUT_RESOURCE_TYPES,
  resolveConditions,
} from '../../helpers/leastPrivilege';
import { withoutMonitoring } from '../../helpers/monitoringResources';
import {
  type CloudFormationResource,
  type CloudFormationTemplate,
  type PackagedService,
  packageTemplate,
} from '../../helpers/packageTemplate';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const ASL_PATH = join(REPO_ROOT, 'statemachines', 'confirm-encryption.asl.json');
const POWERTOOLS_DYNAMODB_LAYER = join(
  REPO_ROOT,
  'node_modules/@aws-lambda-powertools/idempotency/lib/cjs/persistence/DynamoDBPersistenceLayer.js'
);
const HANDLER = 'handlers/encrypt-stream.handler';
const BUNDLE = 'handlers/encrypt-stream.js';
const STATE_MACHINE_ID = 'ConfirmEncryptionStateMachine';
const TABLE_ID = 'IdempotencyTable';
const QUEUE_ID = 'FailureQueue';
const UNDELIVERED_ID = 'UndeliveredQueue';
const RULE_DLQ_ID = 'CreateStreamRuleDeadLetterQueue';
/**
 * Partition of each region packaged here (aws-cn for the China regions, aws-us-gov for AWS GovCloud (US);
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html); CloudFormation resolves AWS::Partition to it.
 */
const PARTITION_OF: Record<string, string> = {
  'us-east-1': 'aws',
  'cn-north-1': 'aws-cn',
  'us-gov-west-1': 'aws-us-gov',
};

const sub = (value: string) => ({ 'Fn::Sub': value });
const STREAMS = sub('arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/*');
const DEFAULT_BUS = sub('arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default');
const TABLE_ARN = { 'Fn::GetAtt': [TABLE_ID, 'Arn'] };
const UNDELIVERED_ARN = { 'Fn::GetAtt': [UNDELIVERED_ID, 'Arn'] };
const QUEUE_ARN = { 'Fn::GetAtt': [QUEUE_ID, 'Arn'] };

interface Statement {
  Effect: string;
  Action?: string | string[];
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
}

interface NamedStatement {
  where: string;
  statement: Statement;
}

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

const propertiesOf = (resource: CloudFormationResource): Record<string, unknown> => resource.Properties ?? {};

const resourcesOfType = (template: CloudFormationTemplate, type: string): [string, CloudFormationResource][] =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

const onlyResourceOfType = (template: CloudFormationTemplate, type: string): [string, CloudFormationResource] => {
  const found = resourcesOfType(template, type);
  expect(found).toHaveLength(1);
  return found[0] as [string, CloudFormationResource];
};

const functionOf = (template: CloudFormationTemplate): [string, CloudFormationResource] => {
  const found = resourcesOfType(template, 'AWS::Lambda::Function').filter(
    ([, resource]) => propertiesOf(resource).Handler === HANDLER
  );
  expect(found).toHaveLength(1);
  return found[0] as [string, CloudFormationResource];
};

/** Statements of the identity policies of every IAM role, policy and managed policy. */
/**
 * A statement of actions that support no resource-level permission (ListStreams, tag:GetResources, LookupEvents) or
 * read what has no ARN (GetMetricData): `*` only.
 */
const onlyUnscopable = (statement: { Action?: unknown }): boolean =>
  asArray(statement.Action as string | string[] | undefined).every(
    (action) => ACTIONS_WITHOUT_RESOURCE_TYPES.has(String(action)) || ACTIONS_ON_UNNAMED_RESOURCES.has(String(action))
  );

const iamStatements = (template: CloudFormationTemplate): NamedStatement[] =>
  Object.entries(template.Resources).flatMap(([id, resource]) => {
    const properties = propertiesOf(resource);
    const documents: [string, unknown][] = [];
    if (resource.Type === 'AWS::IAM::Role') {
      documents.push([`${id}.AssumeRolePolicyDocument`, properties.AssumeRolePolicyDocument]);
      for (const policy of asArray(properties.Policies as { PolicyDocument: unknown }[] | undefined)) {
        documents.push([`${id}.Policies`, policy.PolicyDocument]);
      }
    }
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
      documents.push([`${id}.PolicyDocument`, properties.PolicyDocument]);
    }
    return documents.flatMap(([where, document]) =>
      asArray((document as { Statement?: Statement | Statement[] } | undefined)?.Statement).map((statement) => ({
        where,
        statement,
      }))
    );
  });

/** Whether a statement found at `where` (allStatements) belongs to the KeyPolicy of an AWS::KMS::Key. */
const isKeyPolicy = (where: string): boolean => /^\w+\.Properties\.KeyPolicy$/.test(where);

/** Every `Statement` entry found anywhere in the template (resource policies included). */
const allStatements = (node: unknown, where = ''): NamedStatement[] => {
  if (Array.isArray(node)) return node.flatMap((item, index) => allStatements(item, `${where}[${index}]`));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'Statement'
      ? asArray(value as Statement | Statement[]).map((statement) => ({ where, statement }))
      : allStatements(value, where ? `${where}.${key}` : key)
  );
};

const roleStatements = (template: CloudFormationTemplate, roleId: string): Statement[] =>
  iamStatements(template)
    .filter(({ where }) => where === `${roleId}.Policies`)
    .map(({ statement }) => statement);

const allowedActions = (statements: Statement[]): string[] =>
  [...new Set(statements.filter((s) => s.Effect === 'Allow').flatMap((s) => asArray(s.Action)))].sort();

const resourcesFor = (statements: Statement[], action: string): unknown[] =>
  statements
    .filter((s) => s.Effect === 'Allow' && asArray(s.Action).includes(action))
    .flatMap((s) => asArray(s.Resource));

interface AslState {
  Type: string;
  Resource?: string;
  Branches?: { States: Record<string, AslState> }[];
  ItemProcessor?: { States: Record<string, AslState> };
  Iterator?: { States: Record<string, AslState> };
}

const taskResources = (states: Record<string, AslState>): string[] =>
  Object.values(states).flatMap((state) => [
    ...(state.Type === 'Task' && state.Resource ? [state.Resource] : []),
    ...(state.Branches ?? []).flatMap((branch) => taskResources(branch.States)),
    ...taskResources(state.ItemProcessor?.States ?? state.Iterator?.States ?? {}),
  ]);

/** `arn:${Partition}:states:::aws-sdk:kinesis:describeStreamSummary` → `kinesis:DescribeStreamSummary`. */
const iamActionOfTask = (resource: string): string => {
  const match = /^arn:\$\{Partition\}:states:::(?:aws-sdk:)?([a-z0-9-]+):([a-zA-Z0-9]+)(?:\.\w+)?$/.exec(resource);
  if (!match) throw new Error(`Not a service integration: ${resource}`);
  const [, service, api] = match as unknown as [string, string, string];
  return `${service}:${api.charAt(0).toUpperCase()}${api.slice(1)}`;
};

describe('serverless package', () => {
  let packaged: PackagedService;
  let template: CloudFormationTemplate;

  beforeAll(async () => {
    packaged = await packageTemplate();
    template = packaged.template;
  }, 300_000);

  describe('function', () => {
    it('runs on nodejs22.x arm64 with a timeout that covers the CREATING wait and the IaC grace', () => {
      // Prepare
      const [, fn] = functionOf(template);

      // Act
      const properties = propertiesOf(fn);
      const variables = (properties.Environment as { Variables: Record<string, unknown> }).Variables;

      // Assess
      expect(properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], MemorySize: 256 });
      expect(properties.Timeout).toBe(300);
      expect(Number(variables.CREATING_WAIT_SECONDS) + Number(variables.IAC_GRACE_SECONDS) + 20).toBeLessThan(
        properties.Timeout as number
      );
    });

    it.each([
      { name: 'DEFAULT_KMS_KEY_ID', value: 'alias/aws/kinesis' },
      { name: 'KMS_KEY_SSM_PARAMETER', value: '/kinesis-auto-encrypt/dev/default-kms-key-id' },
      { name: 'IDEMPOTENCY_TABLE_NAME', value: { Ref: TABLE_ID } },
      { name: 'STATE_MACHINE_ARN', value: { Ref: STATE_MACHINE_ID } },
      { name: 'EVENT_BUS_NAME', value: 'default' },
      { name: 'OVERRIDE_FOREIGN_KEYS', value: 'false' },
      { name: 'CREATING_WAIT_SECONDS', value: '90' },
      // The stage parameter writeGuard (default off): the guard tag is kept only when it is prepare or enforce.
      { name: 'WRITE_GUARD', value: 'off' },
      { name: 'POWERTOOLS_SERVICE_NAME', value: 'kinesis-auto-encrypt' },
      { name: 'POWERTOOLS_LOG_LEVEL', value: 'INFO' },
      // The own-call filter: CloudTrail events of sessions of these two roles are the pipeline's own.
      {
        name: 'OWN_ROLE_ARNS',
        value: {
          'Fn::Join': [
            ',',
            [
              { 'Fn::GetAtt': ['EncryptStreamRole', 'Arn'] },
              { 'Fn::GetAtt': ['ConfirmEncryptionStateMachineRole', 'Arn'] },
              { 'Fn::GetAtt': ['SweepRole', 'Arn'] },
            ],
          ],
        },
      },
    ])('sets environment variable $name', ({ name, value }) => {
      // Prepare
      const [, fn] = functionOf(template);

      // Act
      const variables = (propertiesOf(fn).Environment as { Variables: Record<string, unknown> }).Variables;

      // Assess
      expect(variables[name]).toEqual(value);
    });

    it('keeps its logs for 30 days', () => {
      // Prepare
      const [, fn] = functionOf(template);
      const logGroups = resourcesOfType(template, 'AWS::Logs::LogGroup');

      // Act
      const logGroup = logGroups.find(
        ([, resource]) => propertiesOf(resource).LogGroupName === `/aws/lambda/${String(propertiesOf(fn).FunctionName)}`
      );

      // Assess
      expect(logGroup).toBeDefined();
      expect(propertiesOf((logGroup as [string, CloudFormationResource])[1]).RetentionInDays).toBe(30);
    });

    it('is invoked by a rule matching successful CloudTrail trigger calls only', () => {
      // Prepare
      const [functionId] = functionOf(template);

      // Act
      const [, rule] = onlyResourceOfType(withoutMonitoring(template), 'AWS::Events::Rule');
      const [, permission] = onlyResourceOfType(withoutMonitoring(template), 'AWS::Lambda::Permission');

      // Assess
      expect(propertiesOf(rule).EventPattern).toEqual({
        source: ['aws.kinesis'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['kinesis.amazonaws.com'],
          errorCode: [{ exists: false }],
          // EventBridge content filtering: $or, prefix (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html).
          $or: [
            {
              eventName: [
                'CreateStream',
                'StopStreamEncryption',
                'StartStreamEncryption',
                'AddTagsToStream',
                'TagResource',
              ],
            },
            {
              eventName: ['RemoveTagsFromStream', 'UntagResource'],
              requestParameters: { tagKeys: [{ prefix: 'kinesis-auto-encrypt:' }] },
            },
          ],
        },
      });
      expect(propertiesOf(rule).EventBusName).toBeUndefined();
      expect(propertiesOf(rule).Targets).toEqual([
        expect.objectContaining({ Arn: { 'Fn::GetAtt': [functionId, 'Arn'] } }),
      ]);
      expect(propertiesOf(permission)).toMatchObject({
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
      });
    });

    it('retries async invocations twice, then sends them to the failure queue', () => {
      // Prepare
      const [functionId] = functionOf(template);

      // Act
      const [, config] = onlyResourceOfType(withoutMonitoring(template), 'AWS::Lambda::EventInvokeConfig');
      const properties = propertiesOf(config);

      // Assess
      expect(properties).toMatchObject({
        FunctionName: { Ref: functionId },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: QUEUE_ARN } },
      });
      expect(properties.MaximumEventAgeInSeconds).toBeGreaterThanOrEqual(60);
      expect(properties.MaximumEventAgeInSeconds).toBeLessThanOrEqual(21_600);
    });
  });

  describe('resources', () => {
    it('creates an on-demand, encrypted idempotency table keyed on id with TTL on expiration', () => {
      // Prepare
      const table = template.Resources[TABLE_ID];

      // Act
      const properties = propertiesOf(table as CloudFormationResource);

      // Assess
      expect(table?.Type).toBe('AWS::DynamoDB::Table');
      expect(properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
        SSESpecification: { SSEEnabled: true },
      });
    });

    it('creates an encrypted failure queue that keeps messages for 14 days', () => {
      // Prepare
      const queue = template.Resources[QUEUE_ID];

      // Act
      const properties = propertiesOf(queue as CloudFormationResource);

      // Assess
      expect(queue?.Type).toBe('AWS::SQS::Queue');
      expect(properties.SqsManagedSseEnabled === true || properties.KmsMasterKeyId !== undefined).toBe(true);
      expect(properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    });

    it.each([UNDELIVERED_ID, RULE_DLQ_ID])('creates the encrypted queue %s that keeps messages for 14 days', (id) => {
      // Prepare
      const queue = template.Resources[id];

      // Act
      const properties = propertiesOf(queue as CloudFormationResource);

      // Assess
      expect(queue?.Type).toBe('AWS::SQS::Queue');
      expect(properties.SqsManagedSseEnabled).toBe(true);
      expect(properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    });

    it('gives the rule target a retry policy and a dead-letter queue only this rule may send to', () => {
      // Prepare: EventBridge needs sqs:SendMessage on the DLQ, scoped with aws:SourceArn to the rule
      // (Amazon EventBridge User Guide, "Using dead-letter queues to process undelivered events",
      // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-event-delivery.html#eb-rule-dlq).
      const [, rule] = onlyResourceOfType(withoutMonitoring(template), 'AWS::Events::Rule');
      const [, policy] = onlyResourceOfType(template, 'AWS::SQS::QueuePolicy');

      // Act
      const [target] = propertiesOf(rule).Targets as Record<string, unknown>[];
      const { Queues, PolicyDocument } = propertiesOf(policy) as {
        Queues: unknown[];
        PolicyDocument: { Statement: unknown[] };
      };

      // Assess
      expect(target).toMatchObject({
        RetryPolicy: { MaximumRetryAttempts: expect.any(Number), MaximumEventAgeInSeconds: expect.any(Number) },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [RULE_DLQ_ID, 'Arn'] } },
      });
      expect(Queues).toEqual([{ Ref: RULE_DLQ_ID }]);
      expect(PolicyDocument.Statement).toEqual([
        {
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: { 'Fn::GetAtt': [RULE_DLQ_ID, 'Arn'] },
          Condition: {
            ArnEquals: {
              'aws:SourceArn': sub(
                `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:rule/${String(propertiesOf(rule).Name)}`
              ),
            },
          },
        },
      ]);
    });

    it.each([
      { output: 'UndeliveredQueueUrl', value: { Ref: UNDELIVERED_ID } },
      { output: 'CreateStreamRuleDeadLetterQueueUrl', value: { Ref: RULE_DLQ_ID } },
      { output: 'IdempotencyTableName', value: { Ref: TABLE_ID } },
      { output: 'FailureQueueUrl', value: { Ref: QUEUE_ID } },
      { output: 'FailureQueueArn', value: QUEUE_ARN },
      { output: 'ConfirmEncryptionStateMachineArn', value: { Ref: STATE_MACHINE_ID } },
    ])('outputs $output', ({ output, value }) => {
      // Prepare
      const outputs = template.Outputs ?? {};

      // Act
      const found = outputs[output];

      // Assess
      expect(found?.Value).toEqual(value);
    });
  });

  describe('state machine', () => {
    it('deploys the ASL file unchanged as a standard workflow', async () => {
      // Prepare
      const asl: unknown = JSON.parse(await readFile(ASL_PATH, 'utf8'));

      // Act
      const stateMachine = template.Resources[STATE_MACHINE_ID];
      const properties = propertiesOf(stateMachine as CloudFormationResource);

      // Assess
      expect(stateMachine?.Type).toBe('AWS::StepFunctions::StateMachine');
      expect(properties.StateMachineType).toBe('STANDARD');
      expect(JSON.parse(properties.DefinitionString as string)).toEqual(asl);
    });

    it('fills every ${Name} of the ASL from DefinitionSubstitutions, as the local runner does', async () => {
      // Prepare: CloudFormation replaces ${Name} in DefinitionString with DefinitionSubstitutions.Name
      // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-stepfunctions-statemachine.html).
      const asl = await readFile(ASL_PATH, 'utf8');
      const placeholders = [...new Set([...asl.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map(([, name]) => name))].sort();

      // Act
      const properties = propertiesOf(template.Resources[STATE_MACHINE_ID] as CloudFormationResource);
      const substitutions = properties.DefinitionSubstitutions as Record<string, unknown>;

      // Assess
      expect(Object.keys(substitutions).sort()).toEqual(placeholders);
      expect(Object.keys(LOCAL_SUBSTITUTIONS).sort()).toEqual(placeholders);
      expect(substitutions).toEqual({
        Partition: { Ref: 'AWS::Partition' },
        UndeliveredQueueUrl: { Ref: UNDELIVERED_ID },
        DefaultConfirmTimeoutSeconds: LOCAL_SUBSTITUTIONS.DefaultConfirmTimeoutSeconds,
      });
    });

    it('has its own role granting exactly the actions of its task states, on scoped resources', async () => {
      // Prepare: the probe's PutRecord is a producer call, which needs kms:GenerateDataKey on a customer managed
      // key (https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html).
      const asl = JSON.parse(await readFile(ASL_PATH, 'utf8')) as { States: Record<string, AslState> };
      const taskActions = taskResources(asl.States).map(iamActionOfTask);
      const expected = [
        ...new Set([...taskActions, ...(taskActions.includes('kinesis:PutRecord') ? ['kms:GenerateDataKey'] : [])]),
      ].sort();

      // Act
      const roleArn = propertiesOf(template.Resources[STATE_MACHINE_ID] as CloudFormationResource).RoleArn as {
        'Fn::GetAtt': [string, string];
      };
      const [roleId] = roleArn['Fn::GetAtt'];
      // With the opt-in probe and the write guard on, every task state runs.
      const statements = roleStatements(
        resolveConditions(template, { ProbeEnabled: true, WriteGuardOn: true }),
        roleId
      );

      // Assess
      expect(template.Resources[roleId]?.Type).toBe('AWS::IAM::Role');
      expect(expected).toEqual([
        'events:PutEvents',
        'kinesis:AddTagsToStream',
        'kinesis:DescribeStreamSummary',
        'kinesis:PutRecord',
        'kms:GenerateDataKey',
        'sqs:SendMessage',
      ]);
      expect(allowedActions(statements)).toEqual(expected);
      expect(resourcesFor(statements, 'kms:GenerateDataKey')).toEqual([
        sub('arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/*'),
      ]);
      expect(resourcesFor(statements, 'sqs:SendMessage')).toEqual([UNDELIVERED_ARN]);
      expect(resourcesFor(statements, 'kinesis:DescribeStreamSummary')).toEqual([STREAMS]);
      expect(resourcesFor(statements, 'kinesis:PutRecord')).toEqual([STREAMS]);
      expect(resourcesFor(statements, 'kinesis:AddTagsToStream')).toEqual([STREAMS]);
      expect(resourcesFor(statements, 'events:PutEvents')).toEqual([DEFAULT_BUS]);
    });
  });

  describe('IAM', () => {
    const LOG_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
    const FUNCTION_GRANTS = [
      { action: 'kinesis:DescribeStreamSummary', resource: STREAMS },
      { action: 'kinesis:ListTagsForStream', resource: STREAMS },
      { action: 'kinesis:StartStreamEncryption', resource: STREAMS },
      { action: 'states:StartExecution', resource: { Ref: STATE_MACHINE_ID } },
      { action: 'dynamodb:GetItem', resource: TABLE_ARN },
      { action: 'dynamodb:PutItem', resource: TABLE_ARN },
      { action: 'dynamodb:UpdateItem', resource: TABLE_ARN },
      { action: 'dynamodb:DeleteItem', resource: TABLE_ARN },
      { action: 'events:PutEvents', resource: DEFAULT_BUS },
      { action: 'kms:DescribeKey', resource: sub('arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/*') },
      { action: 'kms:GetKeyPolicy', resource: sub('arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/*') },
      {
        action: 'ssm:GetParameter',
        resource: sub(
          'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/kinesis-auto-encrypt/dev/default-kms-key-id'
        ),
      },
      { action: 'sqs:SendMessage', resource: QUEUE_ARN },
    ];

    const functionRoleStatements = (): Statement[] => {
      const [, fn] = functionOf(template);
      const [roleId] = (propertiesOf(fn).Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
      return roleStatements(template, roleId);
    };

    it.each(FUNCTION_GRANTS)('grants the function $action on one resource', ({ action, resource }) => {
      // Prepare
      const statements = functionRoleStatements();

      // Act
      const resources = resourcesFor(statements, action);

      // Assess
      expect(resources).toEqual([resource]);
    });

    it('grants the function nothing beyond its calls and its logs', () => {
      // Prepare
      const expected = [...FUNCTION_GRANTS.map(({ action }) => action), ...LOG_ACTIONS].sort();

      // Act
      const actions = allowedActions(functionRoleStatements());

      // Assess
      expect(actions).toEqual(expected);
    });

    it('grants exactly the DynamoDB calls the Powertools persistence layer makes', async () => {
      // Prepare
      const source = await readFile(POWERTOOLS_DYNAMODB_LAYER, 'utf8');
      const calls = [...source.matchAll(/new client_dynamodb_\d+\.(\w+)Command\(/g)].map(
        ([, name]) => `dynamodb:${name}`
      );

      // Act
      const granted = allowedActions(functionRoleStatements()).filter((action) => action.startsWith('dynamodb:'));

      // Assess
      expect(calls.length).toBeGreaterThan(0);
      expect(granted).toEqual([...new Set(calls)].sort());
    });

    it('has no wildcard action and no "*" resource in any IAM role or policy', () => {
      // Prepare
      const statements = iamStatements(template);

      // Act
      const violations = statements.filter(
        ({ statement }) =>
          statement.NotAction !== undefined ||
          statement.NotResource !== undefined ||
          asArray(statement.Action).some((action) => action.includes('*')) ||
          (asArray(statement.Resource).some((resource) => resource === '*') && !onlyUnscopable(statement))
      );

      // Assess
      // Function, confirm state machine, sweep function, sweep state machine, sweep schedule, recordMetrics
      // (deploy/monitoring.yml).
      expect(resourcesOfType(template, 'AWS::IAM::Role')).toHaveLength(6);
      expect(statements.length).toBeGreaterThan(FUNCTION_GRANTS.length);
      expect(violations).toEqual([]);
    });

    it('has no Allow statement with a wildcard action or "*" resource anywhere in the template', () => {
      // Prepare
      const statements = allStatements(template.Resources);

      // Act
      const violations = statements.filter(
        ({ where, statement }) =>
          statement.Effect === 'Allow' &&
          (asArray(statement.Action).some((action) => action.includes('*')) ||
            // In a key policy "*" is the key itself (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html).
            (asArray(statement.Resource).some((resource) => resource === '*') &&
              !isKeyPolicy(where) &&
              !onlyUnscopable(statement)))
      );

      // Assess
      expect(statements.length).toBeGreaterThanOrEqual(iamStatements(template).length);
      expect(violations).toEqual([]);
    });
  });

  describe('artifact', () => {
    it('bundles the handler with its dependencies, AWS SDK included', () => {
      // Prepare
      const names = packaged.zip.entries.map(({ name }) => name);

      // Act
      const bundle = packaged.zip.read(BUNDLE).toString('utf8');
      const packagesRequired = [...bundle.matchAll(/require\("([^"]+)"\)/g)]
        .map(([, specifier]) => specifier as string)
        .filter((specifier) => !isBuiltin(specifier));
      const installed = packagesRequired.filter((specifier) => {
        try {
          require.resolve(specifier, { paths: [REPO_ROOT] });
          return true;
        } catch {
          return false;
        }
      });

      // Assess
      expect(names).toEqual(expect.arrayContaining([BUNDLE, `${BUNDLE}.map`]));
      expect(names.filter((name) => name.startsWith('node_modules/'))).toEqual([]);
      expect(installed).toEqual([]);
    });
  });

  describe.each(['cn-north-1', 'us-gov-west-1'])('in %s', (region) => {
    const partition = PARTITION_OF[region] as string;
    let regional: CloudFormationTemplate;

    /** A value as CloudFormation resolves it in the region: pseudo parameters and Fn::Sub; other Refs kept as names. */
    const resolve = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(resolve);
      if (node === null || typeof node !== 'object') return node;
      const record = node as Record<string, unknown>;
      if (record.Ref === 'AWS::Partition') return partition;
      if (record.Ref === 'AWS::Region') return region;
      if ('Fn::Sub' in record && typeof record['Fn::Sub'] === 'string') {
        return record['Fn::Sub'].replaceAll('${AWS::Partition}', partition).replaceAll('${AWS::Region}', region);
      }
      return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, resolve(value)]));
    };

    beforeAll(async () => {
      regional = (await packageTemplate({ region })).template;
    }, 300_000);

    it("builds every task resource of the deployed definition in the region's partition", () => {
      // Prepare: a task resource of another partition fails the execution with States.Runtime
      // ("The resource belongs to a different partition from the running execution", aws-cdk #4597).
      const properties = propertiesOf(regional.Resources[STATE_MACHINE_ID] as CloudFormationResource);
      const substitutions = resolve(properties.DefinitionSubstitutions) as Record<string, unknown>;

      // Act
      const deployed = (properties.DefinitionString as string).replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, name: string) =>
        String(substitutions[name])
      );
      const resources = taskResources((JSON.parse(deployed) as { States: Record<string, AslState> }).States);

      // Assess
      expect(resources.length).toBeGreaterThan(0);
      expect(resources.filter((resource) => !resource.startsWith(`arn:${partition}:states:::`))).toEqual([]);
      expect(deployed).not.toContain('arn:aws:');
    });

    it('names no arn:aws: resource anywhere in the template, IAM policies included', () => {
      // Prepare
      const resolved = JSON.stringify(resolve(regional.Resources));

      // Act
      const foreign = [...resolved.matchAll(/arn:aws:[^"\\]*/g)].map(([arn]) => arn);

      // Assess
      expect(resolved).toContain(`arn:${partition}:`);
      expect(foreign).toEqual([]);
    });
  });
});
