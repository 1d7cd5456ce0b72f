import type { LocalRequest } from '../src/gateway';
import { LocalKms } from '../src/kmsLocal';
import { lambdaFunctionArn } from '../src/lambdaWorkerPool';
import { type ServiceRole, serviceAccessKeyId, userIdentityFor } from '../src/localIdentities';
import { LocalSsm } from '../src/ssmLocal';

// An ARN starts with its partition: "aws" for AWS Regions, "aws-cn" for China Regions, "aws-us-gov" for AWS GovCloud
// (US) Regions (IAM identifiers, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html). The default
// key policy names the account root, arn:<partition>:iam::<account>:root
// (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).

const ACCOUNT = '444455556666';
const KEY_ID = '0b4b4a6c-5c7e-4f3e-9d8e-1a2b3c4d5e6f';
const ROLE: ServiceRole = { name: 'partition-test-role', code: 'PTNS', session: 'test' };

const request = (target: string, operation: string, json: unknown, region: string): LocalRequest => ({
  target: `${target}.${operation}`,
  operation,
  body: Buffer.from(JSON.stringify(json)),
  json,
  headers: {},
  account: ACCOUNT,
  region,
  accessKeyId: ACCOUNT,
});
// biome-ignore lint/suspicious/noExplicitAny: JSON bodies are read field by field in assertions
const body = (response: { body: unknown }): Record<string, any> => response.body as Record<string, any>;

describe('every ARN the local cloud makes is in the region’s partition', () => {
  it.each([
    ['us-east-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
  ])('%s → arn:%s:…', async (region, partition) => {
    // Prepare
    const kms = new LocalKms([{ keyId: KEY_ID, aliases: ['alias/org-kinesis'] }]);
    const ssm = new LocalSsm({ '/p': 'v' });

    // Act
    const key = body(await kms.service(request('TrentService', 'DescribeKey', { KeyId: 'alias/org-kinesis' }, region)));
    const policy = body(await kms.service(request('TrentService', 'GetKeyPolicy', { KeyId: KEY_ID }, region)));
    const aliases = body(await kms.service(request('TrentService', 'ListAliases', {}, region)));
    const missing = body(await kms.service(request('TrentService', 'DescribeKey', { KeyId: 'alias/none' }, region)));
    const parameter = body(await ssm.service(request('AmazonSSM', 'GetParameter', { Name: '/p' }, region)));
    const user = userIdentityFor(ACCOUNT, ACCOUNT, new Date(), region);
    const session = userIdentityFor(ACCOUNT, serviceAccessKeyId(ACCOUNT, ROLE), new Date(), region);

    // Assess
    const prefix = `arn:${partition}:`;
    expect(key.KeyMetadata.Arn).toBe(`${prefix}kms:${region}:${ACCOUNT}:key/${KEY_ID}`);
    expect(JSON.parse(policy.Policy).Statement[0].Principal).toEqual({ AWS: `${prefix}iam::${ACCOUNT}:root` });
    expect(aliases.Aliases.map((alias: { AliasArn: string }) => alias.AliasArn.slice(0, prefix.length))).toEqual(
      aliases.Aliases.map(() => prefix)
    );
    expect(missing.message).toContain(`${prefix}kms:${region}:${ACCOUNT}:alias/none`);
    expect(parameter.Parameter.ARN).toBe(`${prefix}ssm:${region}:${ACCOUNT}:parameter/p`);
    expect(user.arn).toBe(`${prefix}iam::${ACCOUNT}:user/local`);
    expect(session).toMatchObject({
      arn: `${prefix}sts::${ACCOUNT}:assumed-role/${ROLE.name}/${ROLE.session}`,
      sessionContext: { sessionIssuer: { arn: `${prefix}iam::${ACCOUNT}:role/${ROLE.name}` } },
    });
    expect(lambdaFunctionArn('f', ACCOUNT, region)).toBe(`${prefix}lambda:${region}:${ACCOUNT}:function:f`);
  });
});
