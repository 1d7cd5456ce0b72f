// The rule of every stage parameter of serverless.yml (`params.default`), checked when `serverless package` resolves
// them (deploy/deployment.js): osls accepts any value and any name, and a bad value would otherwise fail late in
// CloudFormation, at the function's cold start, or never (a mode nobody meant). Pure: no osls, no AWS calls.
const { classifyKeyId, awsManagedServiceOf, partitionOf, scheduleProblem } = require('./awsFormats');

// Organizations ids (https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html,
// API_OrganizationalUnit.html, API_Root.html).
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const TARGET = /^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/;
// IAM role names (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html); `-hub` is appended.
const ROLE_NAME = /^[\w+=,.@-]{1,60}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,64}$/;
// OUs of one stack instance operation (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackInstances.html).
const MAX_TARGETS = 50;
// Event bus names (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateEventBus.html): a name,
// not an ARN (serverless.yml builds the ARN).
const EVENT_BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;
// The IAM Resource of the kms: grants, an Fn::Sub template: a key ARN whose parts may be ${AWS::…} or *.
const KMS_KEY_RESOURCE =
  /^arn:(aws[a-z-]*|\$\{AWS::Partition\}):kms:([a-z0-9-]+|\*|\$\{AWS::Region\}):(\d{12}|\*|\$\{AWS::AccountId\}):key\/[a-zA-Z0-9*-]+$/;
// An address SNS can deliver to; CloudFormation accepts any Endpoint string.
const EMAIL = /^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/;
// Powertools logger levels (case-insensitive; an unknown one silently becomes INFO).
const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'];
const KEY_ID_FORMS = 'a key id (GUID or mrk-…), a key ARN, an alias ARN, alias/<name> or alias/aws/kinesis';

const list = (value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

const oneOf =
  (...allowed) =>
  (value) =>
    allowed.includes(value) ? undefined : `is not one of ${allowed.join(', ')}`;

const boolean = oneOf('true', 'false');

const integer =
  (min, max, unit = '', note = '') =>
  (value) =>
    /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max
      ? undefined
      : `is not a whole number${unit} from ${min} to ${max}${note}`;

const optional = (check) => (value, context) => (value === '' ? undefined : check(value, context));

/** A key or alias ARN must be of the deployment's region (and so its partition): Kinesis and SNS use no other. */
const regionProblem = (keyId, { region }) => {
  const [, arnPartition, , arnRegion] = keyId.split(':');
  if (region === undefined || partitionOf(region) === undefined) return undefined;
  if (arnRegion !== region) return `is a key of region ${arnRegion}, the stack's region is ${region}`;
  if (arnPartition !== partitionOf(region))
    return `is in partition ${arnPartition}, the stack in ${partitionOf(region)}`;
  return undefined;
};

const keyId = (value, context) => {
  const form = classifyKeyId(value);
  if (form === undefined) return `is not a KMS KeyId: use ${KEY_ID_FORMS}`;
  const managed = awsManagedServiceOf(value);
  if (managed !== undefined && managed !== 'kinesis') {
    return `is the AWS managed key of ${managed}, which Kinesis cannot use: use alias/aws/kinesis or a customer managed key`;
  }
  return form === 'KeyArn' || form === 'AliasArn' ? regionProblem(value, context) : undefined;
};

const customerKeyArn = (value, context) => {
  const form = classifyKeyId(value);
  if (form !== 'KeyArn' && form !== 'AliasArn') return 'is not a KMS key ARN (arn:<partition>:kms:<region>:…:key/…)';
  if (awsManagedServiceOf(value) !== undefined) return 'is an AWS managed key: use a customer managed key';
  return regionProblem(value, context);
};

/** Comma-separated values, each matching `pattern`; none twice; at least one with deployment=org. */
const listOf =
  (pattern, example, max = Number.POSITIVE_INFINITY, more = () => undefined) =>
  (value, context) => {
    const items = list(value);
    if (items.length === 0) {
      return context.deployment === 'org' ? `is empty: comma-separated, e.g. ${example} (deployment=org)` : undefined;
    }
    const wrong = items.filter((item) => !pattern.test(item));
    if (wrong.length > 0) return `has ${wrong.join(', ')}, expected values like ${example}`;
    if (new Set(items).size !== items.length) return 'lists a value twice';
    if (items.length > max) return `lists ${items.length} values, at most ${max}`;
    return more(items, context);
  };

const sameRegionPartition = (regions, { region }) => {
  const unknown = regions.filter((item) => partitionOf(item) === undefined);
  if (unknown.length > 0) return `has ${unknown.join(', ')}, not a region the AWS SDK's partition data knows`;
  const hub = region === undefined ? undefined : partitionOf(region);
  const other = regions.filter((item) => hub !== undefined && partitionOf(item) !== hub);
  if (other.length > 0) return `has ${other.join(', ')}, outside the stack's partition ${hub} (${region})`;
  return undefined;
};

/** name → why a value is wrong (a phrase after `name=value`), or undefined; `context`: deployment, mode, region. */
const RULES = {
  kmsKeyId: keyId,
  kmsKeyIamResource: (value) =>
    KMS_KEY_RESOURCE.test(value)
      ? undefined
      : 'is not a KMS key ARN pattern (arn:${AWS::Partition}:kms:…:key/<id or *>)',
  eventBusName: (value) => (EVENT_BUS_NAME.test(value) ? undefined : 'is not an event bus name (not an ARN)'),
  mode: oneOf('enforce', 'audit'),
  writeGuard: (value, { mode, deployment, memberRoleName }) => {
    const problem = oneOf('off', 'prepare', 'enforce')(value);
    if (problem !== undefined || value === 'off') return problem;
    if (mode === 'audit') return 'needs mode=enforce: mode=audit tags no stream, so the guard would refuse every write';
    if (value === 'enforce' && deployment !== 'org') {
      return 'needs deployment=org (the fixed-named member roles); in an account deployment, generate the SCP with npx kinesis-auto-encrypt guard-policy and attach it yourself';
    }
    // The SCP names <memberRoleName>-function too (src/guard/guardPolicy.ts): IAM role names have at most 64 characters.
    if (value === 'enforce' && memberRoleName.length > 55) {
      return `needs a memberRoleName of at most 55 characters (the SCP names ${memberRoleName.slice(0, 20)}…-function)`;
    }
    return undefined;
  },
  allowExemptions: boolean,
  allowKeyTags: boolean,
  keyBudgetReserve: integer(0, 24),
  maxDriftRepairsPerDay: integer(1, 24),
  overrideForeignKeys: boolean,
  probeAfterConfirm: boolean,
  confirmTimeoutSeconds: integer(60, 3600, ' of seconds'),
  iacGraceSeconds: integer(0, 600, ' of seconds'),
  iacUserAgents: (value) =>
    list(value).length > 0 && /^[\x20-\x7e]+$/.test(value) ? undefined : 'is not comma-separated user-agent fragments',
  keyPolicyCheck: oneOf('enforce', 'warn', 'off'),
  allowCrossAccountKey: boolean,
  logLevel: (value) =>
    LOG_LEVELS.includes(value.toUpperCase()) ? undefined : `is not one of ${LOG_LEVELS.join(', ')}`,
  deployment: oneOf('account', 'org'),
  organizationId: (value, { deployment }) =>
    (value !== '' || deployment === 'org') && !ORGANIZATION_ID.test(value)
      ? 'is not an organization id (o-…)'
      : undefined,
  memberTargets: listOf(TARGET, 'ou-abcd-11111111 or r-abcd', MAX_TARGETS),
  memberRegions: listOf(/^\S+$/, 'us-east-1,eu-west-1', Number.POSITIVE_INFINITY, sameRegionPartition),
  // IAM is global: one member stack per account creates the role. Its region is fixed (not the order of
  // memberRegions): a new region first would create a role of the same name while the old one still holds it.
  memberRoleRegion: (value, { deployment, region, memberRegions }) => {
    if (deployment !== 'org') return undefined;
    if (value !== '' && partitionOf(value) === undefined) return "is not a region the AWS SDK's partition data knows";
    const home = value === '' ? region : value;
    const regions = list(memberRegions);
    if (home === undefined || regions.length === 0 || regions.includes(home)) return undefined;
    if (sameRegionPartition(regions, { region }) !== undefined) return undefined; // memberRegions says why
    const which = value === '' ? `means the hub region ${home}, which is` : 'is';
    return `${which} not one of memberRegions=${regions.join(',')}: the member stack of that region creates the member role (IAM is global); add it to memberRegions, or set memberRoleRegion to the member region that holds the role today (docs/organisation.md)`;
  },
  memberRoleName: (value) => (ROLE_NAME.test(value) ? undefined : 'is not an IAM role name of at most 60 characters'),
  stackSetCallAs: oneOf('SELF', 'DELEGATED_ADMIN'),
  alarmEmail: optional((value) => (EMAIL.test(value) ? undefined : 'is not one e-mail address (or empty for none)')),
  maxExposureMinutes: integer(1, 1440, ' of minutes'),
  alarmTopicKmsKeyArn: optional(customerKeyArn),
  // Written into alarm descriptions (at most 1024 characters, about 230 of them the description's own).
  runbookUrl: (value) => (/^\S{1,512}$/.test(value) ? undefined : 'is not a URL or path of 1-512 characters'),
  sweepSchedule: (value) => (value === 'off' ? undefined : scheduleProblem(value)),
  sweepDescribePerSecond: integer(1, 20, ' of calls per second', ' (Kinesis allows 20 per account)'),
  sweepAccountRegionsInFlight: integer(1, 64, ' of account-regions', ' (each holds its clients and listing)'),
  sweepAccountsRoleArn: optional((value) => (ROLE_ARN.test(value) ? undefined : 'is not an IAM role ARN')),
};

const NAMES = Object.keys(RULES);

const distance = (a, b) => {
  let row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const next = [i];
    for (let j = 1; j <= b.length; j += 1) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
};

const unknownName = (name) => {
  const near = NAMES.find((known) => distance(known.toLowerCase(), name.toLowerCase()) <= 2);
  return `${name} is not a stage parameter${near === undefined ? '' : ` (did you mean ${near}?)`}; known: ${[...NAMES].sort().join(', ')}`;
};

const shown = (value) => {
  if (value === '') return '(empty)';
  return value.length > 80 ? `${value.slice(0, 77)}…` : value;
};

/**
 * Every problem of the stage parameters, one line each naming the parameter (empty when all are fine).
 * @param values - name → value as the `param` source resolves it (CLI, then the stage's section, then `default`)
 * @param given - every name set anywhere (CLI `--param`, `params.<stage>`, `params.default`): unknown ones are typos
 * @param region - the stack's region (provider.region), for the partition and region of ARNs and member regions
 */
const stageParameterProblems = ({ values, given, region }) => {
  const unknown = [...new Set(given)].filter((name) => !NAMES.includes(name)).map(unknownName);
  const text = (name) => String(values[name] ?? '');
  const context = {
    deployment: text('deployment'),
    mode: text('mode'),
    memberRoleName: text('memberRoleName'),
    region,
    memberRegions: text('memberRegions'),
  };
  const wrong = NAMES.flatMap((name) => {
    const problem = RULES[name](text(name), context);
    return problem === undefined ? [] : [`${name}=${shown(text(name))} ${problem}`];
  });
  return [...unknown, ...wrong];
};

module.exports = { STAGE_PARAMETER_NAMES: NAMES, stageParameterProblems, list };
