// Stage parameters of the deployment, checked when `serverless package` resolves them: osls accepts any value, and
// CloudFormation would fail late (or deploy a hub nobody can reach). Used from serverless.yml as
// ${file(deploy/deployment.js):<name>}; each organisation value is checked with deployment=org and empty otherwise.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
// A ServerlessError whose message starts so is reported as is (osls lib/configuration/variables/sources/file.js),
// without a stack trace.
const ServerlessError = require('osls/lib/serverless-error');

const DEPLOYMENTS = ['account', 'org'];
// Organizations ids (https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html,
// API_OrganizationalUnit.html, API_Root.html).
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const TARGET = /^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
// IAM role names (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html); `-hub` is appended.
const ROLE_NAME = /^[\w+=,.@-]{1,60}$/;
const CALL_AS = ['SELF', 'DELEGATED_ADMIN'];
// EventBridge Scheduler expressions (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html):
// rate(value unit) or cron(six fields); `off` disables the scheduled sweep.
const SCHEDULE = /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\((\S+ ){5}\S+\))$/;
// DescribeStreamSummary: 20 per second per account (Kinesis API reference); the sweep takes at most all of it.
const MAX_DESCRIBE_PER_SECOND = 20;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,64}$/;
// OUs of one stack instance operation (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackInstances.html);
// target a parent OU instead (child OUs are included).
const MAX_TARGETS = 50;

const refuse = (message) => {
  throw new ServerlessError(`Cannot resolve variable at "params": ${message}`, 'INVALID_STAGE_PARAMETERS');
};

const fail = (message) => refuse(`invalid stage parameters for deployment=org: ${message}`);

const list = (value) =>
  String(value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

const param = (resolveVariable, name) => resolveVariable(`param:${name}`);

/** `account` or `org`; anything else stops the packaging. */
const deployment = async ({ resolveVariable }) => {
  const value = String(await param(resolveVariable, 'deployment'));
  if (!DEPLOYMENTS.includes(value)) {
    refuse(`invalid stage parameter deployment=${value}: use one of ${DEPLOYMENTS.join(', ')}`);
  }
  return value;
};

const isOrg = async (resolveVariable) => (await deployment({ resolveVariable })) === 'org';

const checkedList = async (resolveVariable, name, pattern, example, max = Number.POSITIVE_INFINITY) => {
  if (!(await isOrg(resolveVariable))) return [];
  const items = list(await param(resolveVariable, name));
  if (items.length === 0) fail(`${name} is empty (comma-separated, e.g. ${example})`);
  const wrong = items.filter((item) => !pattern.test(item));
  if (wrong.length > 0) fail(`${name} has ${wrong.join(', ')}, expected values like ${example}`);
  if (new Set(items).size !== items.length) fail(`${name} lists a value twice`);
  if (items.length > max) fail(`${name} lists ${items.length} values, at most ${max}`);
  return items;
};

/** The organisation id, checked. */
const organizationId = async ({ resolveVariable }) => {
  if (!(await isOrg(resolveVariable))) return '';
  const value = String(await param(resolveVariable, 'organizationId'));
  if (!ORGANIZATION_ID.test(value)) fail(`organizationId=${value || '(empty)'} is not an organization id (o-…)`);
  return value;
};

/** MEMBER_REGIONS of the function: the member regions, comma-separated. */
const memberRegionList = async (options) => (await memberRegions(options)).join(',');

/** RoleRegion of the member stacks: the first member region (a stack instance exists there in every account). */
const memberRoleRegion = async (options) => (await memberRegions(options))[0] ?? '';

/** OU or root ids of the StackSet's targets. */
const memberTargets = ({ resolveVariable }) =>
  checkedList(resolveVariable, 'memberTargets', TARGET, 'ou-abcd-11111111 or r-abcd', MAX_TARGETS);

/** Regions of the member stacks; the first holds the member role (IAM is global). */
const memberRegions = ({ resolveVariable }) =>
  checkedList(resolveVariable, 'memberRegions', REGION, 'us-east-1,eu-west-1');

/** Name of the role the hub assumes in each member account. */
const memberRoleName = async ({ resolveVariable }) => {
  if (!(await isOrg(resolveVariable))) return '';
  const value = String(await param(resolveVariable, 'memberRoleName'));
  if (!ROLE_NAME.test(value)) fail(`memberRoleName=${value} is not an IAM role name of at most 60 characters`);
  return value;
};

/** SELF from the management account, DELEGATED_ADMIN from a delegated administrator account. */
const stackSetCallAs = async ({ resolveVariable }) => {
  if (!(await isOrg(resolveVariable))) return '';
  const value = String(await param(resolveVariable, 'stackSetCallAs'));
  if (!CALL_AS.includes(value)) fail(`stackSetCallAs=${value}: use one of ${CALL_AS.join(', ')}`);
  return value;
};

/**
 * KmsKeyIamResource of the member stacks: empty (each member's own keys in any region) when the hub's value is
 * scoped to "this" account or region, which only the member can resolve; else the hub's value (a key of a central
 * account), in which ${AWS::Partition} is the hub's partition.
 */
const memberKmsKeyIamResource = async ({ resolveVariable }) => {
  const value = String(await param(resolveVariable, 'kmsKeyIamResource'));
  return /\$\{AWS::(AccountId|Region)\}/.test(value) ? '' : value;
};

/** The scheduled sweep's expression: `off`, `rate(…)` or `cron(…)`. */
const sweepSchedule = async ({ resolveVariable }) => {
  const value = String(await param(resolveVariable, 'sweepSchedule')).trim();
  if (value !== 'off' && !SCHEDULE.test(value)) {
    refuse(`invalid stage parameter sweepSchedule=${value}: use off, rate(1 day) or cron(0 3 * * ? *)`);
  }
  return value;
};

/** "true" unless sweepSchedule=off (the SweepEnabled condition). */
const sweepEnabled = async (options) => String((await sweepSchedule(options)) !== 'off');

/** ScheduleExpression of the schedule (a valid placeholder when it is off and the schedule is not created). */
const sweepScheduleExpression = async (options) => {
  const value = await sweepSchedule(options);
  return value === 'off' ? 'rate(1 day)' : value;
};

/** DescribeStreamSummary per second per account of the sweep: an integer from 1 to 20. */
const sweepDescribePerSecond = async ({ resolveVariable }) => {
  const raw = String(await param(resolveVariable, 'sweepDescribePerSecond'));
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > MAX_DESCRIBE_PER_SECOND) {
    refuse(
      `invalid stage parameter sweepDescribePerSecond=${raw}: an integer from 1 to ${MAX_DESCRIBE_PER_SECOND} (Kinesis allows 20/s per account)`
    );
  }
  return String(value);
};

/** deployment=org: role (management account or delegated administrator) for organizations:ListAccounts, or empty. */
const sweepAccountsRoleArn = async ({ resolveVariable }) => {
  if (!(await isOrg(resolveVariable))) return '';
  const value = String((await param(resolveVariable, 'sweepAccountsRoleArn')) ?? '');
  if (value !== '' && !ROLE_ARN.test(value)) fail(`sweepAccountsRoleArn=${value} is not an IAM role ARN`);
  return value;
};

/** The member template as text: a StackSet's TemplateBody is a string (the hub must not resolve its intrinsics). */
const memberTemplateBody = () => readFileSync(join(__dirname, '..', 'member', 'member.yml'), 'utf8');

// An address SNS can deliver to; checked here because CloudFormation accepts any Endpoint string.
const EMAIL = /^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/;

/** Optional alarm subscription: empty, or one e-mail address. */
const alarmEmail = async ({ resolveVariable }) => {
  const value = String((await param(resolveVariable, 'alarmEmail')) ?? '').trim();
  if (value !== '' && !EMAIL.test(value)) {
    refuse(`invalid stage parameter alarmEmail=${value}: one e-mail address, or empty for no subscription`);
  }
  return value;
};

/** The exposure alarm's threshold: maxExposureMinutes (1-1440) in seconds. */
const maxExposureSeconds = async ({ resolveVariable }) => {
  const value = String(await param(resolveVariable, 'maxExposureMinutes'));
  const minutes = Number(value);
  if (!/^\d+$/.test(value) || minutes < 1 || minutes > 1440) {
    refuse(`invalid stage parameter maxExposureMinutes=${value}: whole minutes from 1 to 1440`);
  }
  return minutes * 60;
};

module.exports = {
  deployment,
  alarmEmail,
  maxExposureSeconds,
  organizationId,
  memberTargets,
  memberRegions,
  memberRegionList,
  memberRoleRegion,
  memberRoleName,
  stackSetCallAs,
  memberKmsKeyIamResource,
  memberTemplateBody,
  sweepSchedule,
  sweepEnabled,
  sweepScheduleExpression,
  sweepDescribePerSecond,
  sweepAccountsRoleArn,
};
