/**
 * The default key policy KMS gives a key created without one: the account root may use the key, which
 * delegates to IAM (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
 */
export const defaultKeyPolicy = (account: string, partition = 'aws'): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  });
