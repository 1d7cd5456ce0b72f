import type { KeyMetadata } from '@aws-sdk/client-kms';

/** DescribeKey's KeyMetadata of a usable key: enabled, symmetric ENCRYPT_DECRYPT, customer managed. */
export const usableKeyMetadata = (arn: string): KeyMetadata => ({
  KeyId: 'k',
  Arn: arn,
  Enabled: true,
  KeyState: 'Enabled',
  KeyUsage: 'ENCRYPT_DECRYPT',
  KeySpec: 'SYMMETRIC_DEFAULT',
  KeyManager: 'CUSTOMER',
});
