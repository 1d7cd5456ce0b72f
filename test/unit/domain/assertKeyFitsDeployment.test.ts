import { assertKeyFitsDeployment } from '../../../src/domain/assertKeyFitsDeployment';
import { ConfigurationError } from '../../../src/domain/errors';
import { parseKeyId } from '../../../src/domain/keyId';

// AWS behaviour relied on:
// - KMS keys and aliases are regional, "The alias and its associated KMS key must be in the same AWS account
//   and Region" (AWS::KMS::Alias, https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-alias.html);
//   credentials of one partition cannot reach another ("Partitions", AWS Fault Isolation Boundaries,
//   https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html).
// - "Aliases for these KMS keys always have the form aws/<service-name>"; the alias/aws/ prefix is reserved for
//   AWS managed keys (Aliases in AWS KMS, https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html;
//   Create aliases, https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html).
// - A key of another account works only when its key policy grants this account ("Allowing users in other
//   accounts to use a KMS key", https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html).
const here = { partition: 'aws', region: 'eu-west-1', account: '111122223333' };
const KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';
const fits = (value: string, allowCrossAccountKey = false): void =>
  assertKeyFitsDeployment(parseKeyId(value, 'kmsKeyId'), here, {
    source: 'kmsKeyId',
    allowCrossAccountKey,
  });

describe('assertKeyFitsDeployment', () => {
  it.each([
    ['the AWS managed key of Kinesis', 'alias/aws/kinesis'],
    ['a key id', KEY],
    ['an alias name', 'alias/org-streams'],
    ['an alias name under aws-like path', 'alias/team/aws/kinesis'],
    ['a key ARN of this account and region', `arn:aws:kms:eu-west-1:111122223333:key/${KEY}`],
    ['an alias ARN of this account and region', 'arn:aws:kms:eu-west-1:111122223333:alias/org-streams'],
    ['the Kinesis managed alias by ARN', 'arn:aws:kms:eu-west-1:111122223333:alias/aws/kinesis'],
  ])('accepts %s', (_label, value) => {
    // Act & Assess
    expect(() => fits(value)).not.toThrow();
  });

  it.each([
    ['a key ARN of another region', `arn:aws:kms:us-east-1:111122223333:key/${KEY}`, /is a key of region us-east-1/],
    [
      'an alias ARN of another region',
      'arn:aws:kms:eu-central-1:111122223333:alias/x',
      /is a key of region eu-central-1/,
    ],
    ['a key ARN of another partition', `arn:aws-cn:kms:cn-north-1:111122223333:key/${KEY}`, /is in partition aws-cn/],
    ['a GovCloud key ARN', `arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/${KEY}`, /is in partition aws-us-gov/],
    ['the AWS managed key of S3', 'alias/aws/s3', /AWS managed key of s3/],
    ['the AWS managed key of EBS by ARN', 'arn:aws:kms:eu-west-1:111122223333:alias/aws/ebs', /AWS managed key of ebs/],
    ['the AWS managed key of Firehose', 'alias/aws/firehose', /AWS managed key of firehose/],
    [
      'a key ARN of another account',
      `arn:aws:kms:eu-west-1:999988887777:key/${KEY}`,
      /belongs to account 999988887777/,
    ],
    ['an alias ARN of another account', 'arn:aws:kms:eu-west-1:999988887777:alias/x', /allowCrossAccountKey=true/],
  ])('rejects %s, naming the value and the function region', (_label, value, problem) => {
    // Act & Assess
    expect(() => fits(value)).toThrow(ConfigurationError);
    expect(() => fits(value)).toThrow(problem);
    expect(() => fits(value)).toThrow(`kmsKeyId ${value} `);
    expect(() => fits(value)).toThrow('this function runs in eu-west-1');
  });

  it.each([
    ['a key ARN', `arn:aws:kms:eu-west-1:999988887777:key/${KEY}`],
    ['an alias ARN', 'arn:aws:kms:eu-west-1:999988887777:alias/shared'],
  ])('accepts %s of another account when cross-account keys are allowed', (_label, value) => {
    // Act & Assess
    expect(() => fits(value, true)).not.toThrow();
  });

  it.each([
    ['another region', `arn:aws:kms:us-east-1:999988887777:key/${KEY}`, /region us-east-1/],
    ['an AWS managed key of another service', 'alias/aws/dynamodb', /AWS managed key of dynamodb/],
  ])('still rejects %s when cross-account keys are allowed', (_label, value, problem) => {
    // Act & Assess
    expect(() => fits(value, true)).toThrow(problem);
  });
});
