import { InvalidEventError } from '../domain/errors';
import type { StreamRequest } from '../domain/streamRequest';

/**
 * The function acts with its own account's credentials in its own region: an event about a stream
 * elsewhere (forwarded from another bus) cannot be handled here and is rejected, not silently skipped.
 */
export const assertHomeStream = (request: StreamRequest, invokedFunctionArn: string): void => {
  const [, , , region, account] = invokedFunctionArn.split(':');
  const issues = [];
  if (account !== undefined && /^\d{12}$/.test(account) && account !== request.account) {
    issues.push({
      path: 'detail.recipientAccountId',
      message: `stream is in account ${request.account} but this function runs in ${account}; deploy it in that account`,
    });
  }
  if (region !== undefined && region !== '' && region !== request.region) {
    issues.push({
      path: 'detail.awsRegion',
      message: `stream is in ${request.region} but this function runs in ${region}; deploy it in that region`,
    });
  }
  if (issues.length > 0) throw new InvalidEventError(issues);
};
