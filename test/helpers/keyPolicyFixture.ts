import type { KeyPolicyContext } from '../../src/keyPolicy/keyPolicyVerdict';

/** The stream account, region and key both key policy suites (evaluator and oracle) ask about. */
export const ACCOUNT = '111122223333';
export const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
/** kms:ViaService for Kinesis in the stream's region. */
export const KINESIS = 'kinesis.eu-west-1.amazonaws.com';
/** The condition key naming the encryption context Kinesis sends (the stream ARN). */
export const EC = 'kms:EncryptionContext:aws:kinesis:arn';

export const streamArn = (name: string): string => `arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/${name}`;
export const role = (name: string, account = ACCOUNT): string => `arn:aws:iam::${account}:role/${name}`;

/** The stream `orders` with the account's key. */
export const context: KeyPolicyContext = {
  account: ACCOUNT,
  region: 'eu-west-1',
  partition: 'aws',
  keyArn: KEY_ARN,
  streamArn: streamArn('orders'),
};

/**
 * A least-privilege key policy's two grants (issue 20): the `producer` role may GenerateDataKey through Kinesis for
 * any stream of the account, the `consumer` role may Decrypt through Kinesis.
 */
export const producers = {
  Sid: 'Producers',
  Effect: 'Allow',
  Principal: { AWS: role('producer') },
  Action: 'kms:GenerateDataKey',
  Resource: '*',
  Condition: { StringEquals: { 'kms:ViaService': KINESIS }, StringLike: { [EC]: streamArn('*') } },
};
export const consumers = {
  Sid: 'Consumers',
  Effect: 'Allow',
  Principal: { AWS: role('consumer') },
  Action: 'kms:Decrypt',
  Resource: '*',
  Condition: { StringEquals: { 'kms:ViaService': KINESIS } },
};
