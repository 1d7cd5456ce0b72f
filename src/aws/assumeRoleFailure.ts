import type { AutoEncryptError } from '../domain/errors';
import { AccountUnreachableError } from '../domain/failures';
import { codeOf, messageOf, serviceFailure } from './serviceFailure';

/**
 * Translates an `sts:AssumeRole` error into a domain error. STS answers a role that is missing, or whose trust
 * policy does not allow the caller, with `AccessDenied` (AssumeRole API reference, "Errors"); a member account
 * that left the organisation loses its member stack and so its role. `RegionDisabledException`: STS is not
 * activated in the hub's region for that account. Both are permanent for this event ({@link AccountUnreachableError});
 * throttling and service faults stay retryable ({@link serviceFailure}).
 */
export const assumeRoleFailure = (error: unknown, account: string, roleArn: string): AutoEncryptError => {
  const code = codeOf(error);
  const detail = `(${code}: ${messageOf(error).slice(0, 500)})`;
  const options = { cause: error, code };
  switch (code) {
    case 'AccessDenied':
    case 'AccessDeniedException':
      return new AccountUnreachableError(
        account,
        `Cannot act in account ${account}: sts:AssumeRole of ${roleArn} was denied; the member role is missing or does not trust this hub, or the account left the organisation ${detail}`,
        options
      );
    case 'RegionDisabledException':
      return new AccountUnreachableError(
        account,
        `Cannot act in account ${account}: STS is not activated in the hub's region for it, so ${roleArn} cannot be assumed; activate the region in that account's IAM settings ${detail}`,
        options
      );
    default:
      return serviceFailure(error, `sts:AssumeRole of ${roleArn}`, roleArn);
  }
};
