import { classifyKeyId } from '../../../src/domain/keyId';
import { partitionOf } from '../../../src/events/partitionOf';

/** deploy/awsFormats.js as the tests use it: plain JS (serverless loads deploy/ without a TypeScript loader). */
interface AwsFormats {
  classifyKeyId: (value: string) => string | undefined;
  awsManagedServiceOf: (keyId: string) => string | undefined;
  partitionOf: (region: string) => string | undefined;
  scheduleProblem: (value: string) => string | undefined;
}

const formats = require('../../../deploy/awsFormats') as AwsFormats;

// KeyId forms of Kinesis StartStreamEncryption: "key GUID, key ARN, alias ARN, alias name alias/Name, or the AWS
// managed alias/aws/kinesis" (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StartStreamEncryption.html);
// alias names: 1-256 characters of [a-zA-Z0-9/_-], alias/aws/ reserved for AWS managed keys
// (https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html); multi-Region key ids start with mrk-.
const KEY_IDS = [
  '1234abcd-12ab-34cd-56ef-1234567890ab',
  'mrk-1234abcd12ab34cd56ef1234567890ab',
  'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  'arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  'arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab',
  'arn:aws:kms:us-east-1:111122223333:alias/ExampleAlias',
  'arn:aws-iso-f:kms:us-isof-south-1:111122223333:alias/ExampleAlias',
  'alias/ExampleAlias',
  'alias/team/data_streams-1',
  'alias/aws/kinesis',
  'alias/aws/s3',
  `alias/${'a'.repeat(250)}`,
  `alias/${'a'.repeat(251)}`,
  '',
  'my-key',
  'not-a-key',
  '1234ABCD-12AB-34CD-56EF-1234567890AB',
  '1234abcd-12ab-34cd-56ef-1234567890a',
  'mrk-1234',
  'alias/',
  'alias',
  'alias/with space',
  'alias/a//b',
  'alias/ünïcode',
  'arn:aws:kms:us-east-1:1111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  'arn:aws:kms:us-east-1:111122223333:key/not-a-guid',
  'arn:aws:kms:us-east-1:111122223333:alias/',
  'arn:aws:s3:::bucket',
  ' alias/padded',
];

const REGIONS = [
  'us-east-1',
  'eu-west-1',
  'ap-southeast-5',
  'cn-north-1',
  'cn-south-9',
  'us-gov-west-1',
  'us-iso-east-1',
  'us-isof-north-2',
  'eusc-de-east-1',
  'eu-west',
  'eu-west-99',
  'aws-global',
  'US-EAST-1',
  '',
];

describe('deploy/awsFormats.js agrees with the TypeScript rules it repeats', () => {
  it.each(KEY_IDS)('classifies %j as src/domain/keyId.ts does', (value) => {
    // Act
    const form = formats.classifyKeyId(value);

    // Assess
    expect(form).toBe(classifyKeyId(value));
  });

  it.each(REGIONS)('maps region %j to the partition src/events/partitionOf.ts finds', (region) => {
    // Act
    const name = formats.partitionOf(region);

    // Assess
    expect(name).toBe(partitionOf(region)?.name);
  });

  it.each([
    ['alias/aws/kinesis', 'kinesis'],
    ['alias/aws/s3', 's3'],
    ['arn:aws:kms:us-east-1:111122223333:alias/aws/sns', 'sns'],
    ['alias/awsome', undefined],
    ['arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', undefined],
  ])('finds the AWS managed service of %s', (value, service) => {
    // Act & Assess
    expect(formats.awsManagedServiceOf(value)).toBe(service);
  });
});

// EventBridge Scheduler expressions (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html):
// rate(value unit), value a positive integer, unit minute(s) | hour(s) | day(s); cron(minutes hours day-of-month month
// day-of-week year) with the wildcards of each field and ? in exactly one of day-of-month and day-of-week.
describe('scheduleProblem', () => {
  it.each([
    'rate(1 day)',
    'rate(5 minutes)',
    'rate(1 minute)',
    'rate(12 hours)',
    'cron(0 3 * * ? *)',
    'cron(0/15 * ? * MON-FRI *)',
    'cron(30 8 1 JAN,JUL ? 2030-2040)',
    'cron(0 12 L * ? *)',
    'cron(0 12 15W * ? *)',
    'cron(0 9 ? * 6L *)',
    'cron(0 9 ? * 2#1 *)',
    'cron(5,35 14 * * ? *)',
    'cron(0 0 1 */3 ? *)',
  ])('accepts %s', (value) => {
    // Act & Assess
    expect(formats.scheduleProblem(value)).toBeUndefined();
  });

  it.each([
    ['daily', /is not rate/],
    ['rate(1 fortnight)', /is not rate/],
    ['rate(0 minutes)', /rate of 0/],
    ['rate(-1 days)', /is not rate/],
    ['rate(1.5 hours)', /is not rate/],
    ['at(2030-01-01T00:00:00)', /is not rate/],
    ['cron(0 3 * * *)', /has 5 cron fields/],
    ['cron(0 3 * * ? * *)', /has 7 cron fields/],
    ['cron(60 3 * * ? *)', /minutes field/],
    ['cron(0 24 * * ? *)', /hours field/],
    ['cron(0 3 32 * ? *)', /day-of-month field/],
    ['cron(0 3 * 13 ? *)', /month field/],
    ['cron(0 3 ? * 8 *)', /day-of-week field/],
    ['cron(0 3 * * ? 1969)', /year field/],
    ['cron(0 3 * * * *)', /exactly one of day-of-month and day-of-week/],
    ['cron(0 3 ? * ? *)', /exactly one of day-of-month and day-of-week/],
    ['cron(0 3 1,? * ? *)', /day-of-month field/],
    ['cron(0/0 3 * * ? *)', /minutes field/],
  ])('refuses %s', (value, problem) => {
    // Act & Assess
    expect(formats.scheduleProblem(value)).toMatch(problem);
  });
});
