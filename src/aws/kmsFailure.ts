import type { AutoEncryptError } from '../domain/errors';
import { KeyProblem, KeyUnusableError } from '../domain/failures';
import { codeOf, serviceFailure } from './serviceFailure';

/**
 * KMS DescribeKey errors that mean the key cannot be used. AWS KMS API reference, DescribeKey "Errors":
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html
 */
const UNUSABLE: Record<string, [KeyProblem, string]> = {
  NotFoundException: [KeyProblem.NotFound, 'does not exist'],
  AccessDeniedException: [KeyProblem.Unreadable, 'cannot be read: the function lacks kms:DescribeKey on it'],
  InvalidArnException: [KeyProblem.InvalidArn, 'is not a valid key ARN'],
  DisabledException: [KeyProblem.Disabled, 'is disabled'],
};

/** Translates a KMS SDK error for `keyId` into a domain error. */
export const kmsFailure = (error: unknown, keyId: string): AutoEncryptError => {
  const code = codeOf(error);
  const unusable = UNUSABLE[code];
  if (unusable !== undefined) {
    const [problem, why] = unusable;
    return new KeyUnusableError(keyId, problem, `KMS key ${keyId} ${why} (KMS ${code})`, { cause: error, code });
  }
  return serviceFailure(error, `KMS DescribeKey of ${keyId}`, keyId);
};
