import type { MiddlewareStack } from '@smithy/types';
import { AccountUnreachableError } from '../domain/failures';
import { codeOf, messageOf } from './serviceFailure';

/**
 * Codes of a request whose credentials the service does not recognise: `UnrecognizedClientException` (JSON
 * services: Kinesis, KMS) and `InvalidClientTokenId` (Query services). With fresh credentials of a regional STS
 * endpoint (valid in every region, IAM User Guide "Manage AWS STS in an AWS Region") that means the region is not
 * enabled for the account (opt-in region) or the account was closed.
 */
const UNRECOGNISED = new Set(['UnrecognizedClientException', 'InvalidClientTokenId']);

/** Where a client of another account (or region) acts: named in the error. */
export interface AccountScope {
  account: string;
  region: string;
}

/**
 * Translates an error of a call in another account or region: unrecognised credentials become a permanent
 * {@link AccountUnreachableError}; anything else is returned as is (the adapters translate it).
 */
export const accountFailure = (error: unknown, scope: AccountScope): unknown => {
  const code = codeOf(error);
  if (!UNRECOGNISED.has(code)) return error;
  return new AccountUnreachableError(
    scope.account,
    `Cannot act in account ${scope.account} in ${scope.region}: its credentials are not recognised there; the region is not enabled for the account, or the account was closed (${code}: ${messageOf(error).slice(0, 500)})`,
    { cause: error, code }
  );
};

/** Makes every call of a client of another account or region throw {@link accountFailure}'s translation. */
export const translateAccountFailures = <Input extends object, Output extends object>(
  client: { middlewareStack: MiddlewareStack<Input, Output> },
  scope: AccountScope
): void => {
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        throw accountFailure(error, scope);
      }
    },
    { step: 'initialize', name: 'accountFailure' }
  );
};
