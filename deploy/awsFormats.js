// AWS value formats the stage parameter checks (deploy/stageParameters.js) need, in plain JS: serverless loads
// deploy/ without a TypeScript loader. classifyKeyId and partitionOf are the rules of src/domain/keyId.ts and
// src/events/partitionOf.ts; test/unit/deploy/awsFormats.test.ts keeps each pair in agreement.
const { partition } = require('@aws-sdk/util-endpoints');

// KeyId forms of Kinesis StartStreamEncryption
// (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StartStreamEncryption.html); alias names 1-256
// characters of [a-zA-Z0-9/_-] (https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html).
const KEY_ID = '(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})';
const ALIAS_NAME = 'alias/[a-zA-Z0-9/_-]{1,250}';
const ARN_PREFIX = 'arn:aws(?:-[a-z]+)*:kms:[a-z]{2,4}(?:-[a-z]+)+-\\d+:\\d{12}:';
const KEY_ID_FORMS = [
  ['AwsManagedKinesis', /^alias\/aws\/kinesis$/],
  ['KeyId', new RegExp(`^${KEY_ID}$`)],
  ['KeyArn', new RegExp(`^${ARN_PREFIX}key/${KEY_ID}$`)],
  ['AliasArn', new RegExp(`^${ARN_PREFIX}${ALIAS_NAME}$`)],
  ['AliasName', new RegExp(`^${ALIAS_NAME}$`)],
];

/** The KeyId form (KeyId, KeyArn, AliasArn, AliasName, AwsManagedKinesis), or undefined for none of them. */
const classifyKeyId = (value) => {
  if (value.length > 2048 || value.includes('//') || value.endsWith('/')) return undefined;
  return KEY_ID_FORMS.find(([, pattern]) => pattern.test(value))?.[0];
};

/** `<service>` of an alias name or alias ARN `alias/aws/<service>` (an AWS managed key), else undefined. */
const awsManagedServiceOf = (keyId) => /(?:^|:)alias\/aws\/(.+)$/.exec(keyId)?.[1];

// A region code; excludes the SDK's pseudo-regions such as `aws-global`.
const REGION_CODE = /^[a-z]{2,4}(?:-[a-z]+)+-\d+$/;

/**
 * Partition name of a region the installed AWS SDK knows (listed, or matching a non-default partition's
 * regionRegex), else undefined: the SDK maps any other string to `aws`.
 */
const partitionOf = (region) => {
  if (!REGION_CODE.test(region)) return undefined;
  const resolved = partition(region);
  if (!('description' in resolved) && resolved.name === 'aws') return undefined;
  return resolved.name;
};

const CRON_FIELDS = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, extra: /^(\?|L|LW|([1-9]|[12]\d|3[01])W)$/ },
  { name: 'month', min: 1, max: 12, names: 'JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC' },
  { name: 'day-of-week', min: 1, max: 7, names: 'SUN MON TUE WED THU FRI SAT', extra: /^(\?|L|[1-7]L|[1-7]#[1-5])$/ },
  { name: 'year', min: 1970, max: 2199 },
];

const cronValue = (field, text) => {
  const named = field.names?.split(' ').indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + 1;
  return /^\d+$/.test(text) ? Number(text) : Number.NaN;
};

const inField = (field, text) => {
  const value = cronValue(field, text);
  return value >= field.min && value <= field.max;
};

// One comma-separated item: *, a value or a range, with an optional /increment.
const cronItemFits = (field, item) => {
  if (field.extra?.test(item)) return true;
  const [base = '', step, ...rest] = item.split('/');
  if (rest.length > 0 || (step !== undefined && !/^[1-9]\d*$/.test(step))) return false;
  if (base === '*') return true;
  const [from = '', to, ...more] = base.split('-');
  return more.length === 0 && inField(field, from) && (to === undefined || inField(field, to));
};

/**
 * Why a cron(…) body (six fields: minutes hours day-of-month month day-of-week year) is not an EventBridge
 * Scheduler expression (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#cron-based),
 * or undefined when it is one.
 */
const cronProblem = (body) => {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) return `has ${fields.length} cron fields, expected 6`;
  const wrong = CRON_FIELDS.find((field, index) => {
    const items = (fields[index] ?? '').split(',');
    if (items.length > 1 && items.includes('?')) return true;
    return !items.every((item) => cronItemFits(field, item));
  });
  if (wrong !== undefined) return `has an invalid ${wrong.name} field`;
  if ((fields[2] === '?') === (fields[4] === '?')) return 'needs ? in exactly one of day-of-month and day-of-week';
  return undefined;
};

/** Why a value is not a recurring EventBridge Scheduler expression (rate or cron), or undefined when it is one. */
const scheduleProblem = (value) => {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(value);
  if (rate !== null) return Number(rate[1]) >= 1 ? undefined : 'has a rate of 0';
  const cron = /^cron\((.*)\)$/.exec(value);
  if (cron !== null) return cronProblem(cron[1] ?? '');
  return 'is not rate(<value> minutes|hours|days) or cron(<6 fields>)';
};

module.exports = { classifyKeyId, awsManagedServiceOf, partitionOf, scheduleProblem };
