// Stage parameters of the deployment, resolved and checked once when `serverless package` resolves serverless.yml
// (rules: deploy/stageParameters.js). Used from serverless.yml as ${file(deploy/deployment.js):<name>}.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
// A ServerlessError whose message starts so is reported as is (osls lib/configuration/variables/sources/file.js),
// without a stack trace.
const ServerlessError = require('osls/lib/serverless-error');
const { STAGE_PARAMETER_NAMES, stageParameterProblems, list } = require('./stageParameters');

// osls resolves every ${file(deploy/deployment.js):…} reference on its own and lists the error of each property
// that failed, de-duplicated by identity (lib/configuration/variables/eventually-report-resolution-errors.js): one
// verdict per input, the same error object thrown at every reference, so it is printed once.
const verdicts = new Map();

const namesOf = (section) => (section !== null && typeof section === 'object' ? Object.keys(section) : []);

/**
 * The stage parameters (name → string), every one checked; throws one error naming each bad value and each unknown
 * name. A parameter osls cannot resolve yet (an early resolution pass) rejects with its MISSING_VARIABLE_DEPENDENCY,
 * and osls asks again later.
 */
const stageParameters = async ({ options, resolveVariable, resolveConfigurationProperty }) => {
  const values = {};
  for (const name of STAGE_PARAMETER_NAMES) values[name] = String((await resolveVariable(`param:${name}`)) ?? '');
  const stage = await resolveVariable('sls:stage');
  const cli = (options?.param ?? []).map((item) => String(item).split('=')[0]);
  const given = [
    ...cli,
    ...namesOf(await resolveConfigurationProperty(['params', String(stage)])),
    ...namesOf(await resolveConfigurationProperty(['params', 'default'])),
  ];
  const region = String((await resolveConfigurationProperty(['provider', 'region'])) ?? '');
  const key = JSON.stringify([values, given, region]);
  if (!verdicts.has(key)) {
    const problems = stageParameterProblems({ values, given, region: region || undefined });
    verdicts.set(
      key,
      problems.length === 0
        ? undefined
        : new ServerlessError(
            `Cannot resolve variable at "params": invalid stage parameters:${problems.map((line) => `\n      ${line}`).join('')}`,
            'INVALID_STAGE_PARAMETERS'
          )
    );
  }
  const error = verdicts.get(key);
  if (error !== undefined) throw error;
  return values;
};

/** Every stage parameter checked: serverless.yml resolves this once so a bad value fails even if nothing reads it. */
const checkedStageParameters = async (context) => Object.keys(await stageParameters(context)).length;

/** `account` or `org`. */
const deployment = async (context) => (await stageParameters(context)).deployment;

const isOrg = async (context) => (await deployment(context)) === 'org';

/** The organisation id (deployment=org), else empty. */
const organizationId = async (context) =>
  (await isOrg(context)) ? (await stageParameters(context)).organizationId : '';

/** OU or root ids of the StackSet's targets (deployment=org). */
const memberTargets = async (context) =>
  (await isOrg(context)) ? list((await stageParameters(context)).memberTargets) : [];

/** Regions of the member stacks (deployment=org); the first holds the member role (IAM is global). */
const memberRegions = async (context) =>
  (await isOrg(context)) ? list((await stageParameters(context)).memberRegions) : [];

/** MEMBER_REGIONS of the function: the member regions, comma-separated. */
const memberRegionList = async (context) => (await memberRegions(context)).join(',');

/**
 * RoleRegion of the member stacks: memberRoleRegion, else the hub region (checked to be one of memberRegions, where
 * a stack instance exists in every account). Not the order of memberRegions: reordering them must not move the role.
 */
const memberRoleRegion = async (context) => {
  if (!(await isOrg(context))) return '';
  const value = (await stageParameters(context)).memberRoleRegion;
  return value !== '' ? value : hubRegion(context);
};

/** The hub's own region (provider.region). */
const hubRegion = async (context) => String((await context.resolveConfigurationProperty(['provider', 'region'])) ?? '');

/**
 * The regions where the hub account's own streams are governed: the hub region and, deployment=org, every member
 * region (the hub's forwarding there comes from HubRegionsStackSet). Empty in account mode (pinned to the stack's).
 */
const hubGovernedRegions = async (context) =>
  (await isOrg(context)) ? [...new Set([await hubRegion(context), ...(await memberRegions(context))])] : [];

/** deployment=org: the member regions other than the hub region (HubRegionsStackSet's regions); else empty. */
const hubOtherMemberRegions = async (context) => {
  const home = await hubRegion(context);
  return [...new Set(await memberRegions(context))].filter((region) => region !== home);
};

/** "true" when HubRegionsStackSet has a region to deploy to (the HubHasOtherMemberRegions condition). */
const hubHasOtherMemberRegions = async (context) => String((await hubOtherMemberRegions(context)).length > 0);

/**
 * IAM Resource list of a hub role's grant on the hub account's own resources: `template` (an Fn::Sub template
 * scoped with ${AWS::Region}) once per governed region, the region written out; as it is when it names no
 * ${AWS::Region}, and in account mode (the stack's region only).
 */
const perHubRegion = async (context, template) => {
  const regions = await hubGovernedRegions(context);
  if (regions.length === 0 || !template.includes('${AWS::Region}')) return [{ 'Fn::Sub': template }];
  return regions.map((region) => ({ 'Fn::Sub': template.replaceAll('${AWS::Region}', region) }));
};

/** The hub account's streams in every region it governs (its roles' Kinesis grants). */
const hubStreamArns = (context) =>
  perHubRegion(context, 'arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/*');

/** kmsKeyIamResource of the hub's roles: a ${AWS::Region}-scoped value in every region the hub governs. */
const hubKmsKeyIamResources = async (context) =>
  perHubRegion(context, (await stageParameters(context)).kmsKeyIamResource);

/** Name of the role the hub assumes in each member account (deployment=org). */
const memberRoleName = async (context) =>
  (await isOrg(context)) ? (await stageParameters(context)).memberRoleName : '';

/** SELF from the management account, DELEGATED_ADMIN from a delegated administrator account (deployment=org). */
const stackSetCallAs = async (context) =>
  (await isOrg(context)) ? (await stageParameters(context)).stackSetCallAs : '';

/**
 * KmsKeyIamResource of the member stacks: empty (each member's own keys in any region) when the hub's value is
 * scoped to "this" account or region, which only the member can resolve; else the hub's value (a key of a central
 * account), in which ${AWS::Partition} is the hub's partition.
 */
const memberKmsKeyIamResource = async (context) => {
  const value = (await stageParameters(context)).kmsKeyIamResource;
  return /\$\{AWS::(AccountId|Region)\}/.test(value) ? '' : value;
};

/** The scheduled sweep's expression: `off`, `rate(…)` or `cron(…)`. */
const sweepSchedule = async (context) => (await stageParameters(context)).sweepSchedule;

/** "true" unless sweepSchedule=off (the SweepEnabled condition). */
const sweepEnabled = async (context) => String((await sweepSchedule(context)) !== 'off');

/** ScheduleExpression of the schedule (a valid placeholder when it is off and the schedule is not created). */
const sweepScheduleExpression = async (context) => {
  const value = await sweepSchedule(context);
  return value === 'off' ? 'rate(1 day)' : value;
};

const RATE_UNIT_SECONDS = { minute: 60, hour: 3600, day: 86400 };
// An alarm's Period × EvaluationPeriods: at most 7 days
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html).
const MAX_ALARM_PERIOD = 7 * 86400;

/**
 * Period of the missing-sweep alarm: the schedule's interval for `rate(…)` (at least an hour, for the sweep's own
 * duration; at most 7 days), a day for a daily `cron(…)`, 7 days for a cron that names days of the month or week.
 */
const sweepAlarmPeriodSeconds = async (context) => {
  const expression = await sweepScheduleExpression(context);
  const rate = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
  if (rate !== null) {
    const seconds = Number(rate[1]) * RATE_UNIT_SECONDS[rate[2]];
    return Math.min(MAX_ALARM_PERIOD, Math.max(3600, Math.ceil(seconds / 60) * 60));
  }
  const [, , dayOfMonth = '*', , dayOfWeek = '*'] = expression.replace(/^cron\(|\)$/g, '').split(' ');
  return ['*', '?'].includes(dayOfMonth) && ['*', '?'].includes(dayOfWeek) ? 86400 : MAX_ALARM_PERIOD;
};

/** DescribeStreamSummary per second per account of the sweep: an integer from 1 to 20. */
const sweepDescribePerSecond = async (context) => (await stageParameters(context)).sweepDescribePerSecond;

/** Account-regions a sweep step holds open at once: an integer from 1 to 64. */
const sweepAccountRegionsInFlight = async (context) => (await stageParameters(context)).sweepAccountRegionsInFlight;

/** deployment=org: role (management account or delegated administrator) for organizations:ListAccounts, or empty. */
const sweepAccountsRoleArn = async (context) =>
  (await isOrg(context)) ? (await stageParameters(context)).sweepAccountsRoleArn : '';

/** The member template as text: a StackSet's TemplateBody is a string (the hub must not resolve its intrinsics). */
const memberTemplateBody = () => readFileSync(join(__dirname, '..', 'member', 'member.yml'), 'utf8');

/** Optional alarm subscription: empty, or one e-mail address. */
const alarmEmail = async (context) => (await stageParameters(context)).alarmEmail;

/** The exposure alarm's threshold: maxExposureMinutes (1-1440) in seconds. */
const maxExposureSeconds = async (context) => Number((await stageParameters(context)).maxExposureMinutes) * 60;

/**
 * The effective settings the CLI applies with `--stage` (src/config/stageSettings.ts parses them): one JSON document,
 * the value of the String parameter /kinesis-auto-encrypt/<stage>/settings (deploy/settings.yml).
 */
const stageSettings = async (context) => {
  const values = await stageParameters(context);
  const flag = (name) => values[name] === 'true';
  return JSON.stringify({
    version: '1',
    stage: String(await context.resolveVariable('sls:stage')),
    deployment: values.deployment,
    kmsKeyId: values.kmsKeyId,
    kmsKeySsmParameter: String(await context.resolveVariable('self:custom.kmsKeySsmParameter')),
    mode: values.mode,
    overrideForeignKeys: flag('overrideForeignKeys'),
    allowExemptions: flag('allowExemptions'),
    allowKeyTags: flag('allowKeyTags'),
    keyPolicyCheck: values.keyPolicyCheck,
    allowCrossAccountKey: flag('allowCrossAccountKey'),
    keyBudgetReserve: Number(values.keyBudgetReserve),
    maxDriftRepairsPerDay: Number(values.maxDriftRepairsPerDay),
  });
};

module.exports = {
  checkedStageParameters,
  stageSettings,
  deployment,
  alarmEmail,
  maxExposureSeconds,
  organizationId,
  memberTargets,
  memberRegions,
  memberRegionList,
  memberRoleRegion,
  hubOtherMemberRegions,
  hubHasOtherMemberRegions,
  hubStreamArns,
  hubKmsKeyIamResources,
  memberRoleName,
  stackSetCallAs,
  memberKmsKeyIamResource,
  memberTemplateBody,
  sweepEnabled,
  sweepScheduleExpression,
  sweepAlarmPeriodSeconds,
  sweepDescribePerSecond,
  sweepAccountRegionsInFlight,
  sweepAccountsRoleArn,
};
