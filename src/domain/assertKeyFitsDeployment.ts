import type { Deployment } from './deployment';
import { ConfigurationError } from './errors';
import { KeyIdForm, type ParsedKeyId } from './keyId';

/** How a configured key is checked. */
export interface KeyFitOptions {
  /** What the key came from, named in the error (e.g. `DEFAULT_KMS_KEY_ID`). */
  source: string;
  /** A key (or alias) ARN of another account is accepted only when this is true. */
  allowCrossAccountKey: boolean;
  /** Whose partition, region and account `deployment` is, named in the error; default `this function runs in`. */
  subject?: string;
}

const AWS_MANAGED_ALIAS = /^alias\/aws\/(.+)$/;

const aliasOf = (keyId: ParsedKeyId): string | undefined => {
  if (keyId.form === KeyIdForm.AliasName) return keyId.value;
  if (keyId.form === KeyIdForm.AliasArn) return keyId.value.split(':').slice(5).join(':');
  return undefined;
};

/**
 * Checks a configured KeyId against where the function runs, so a key Kinesis can never use fails at
 * cold start instead of failing every stream: Kinesis needs a key of the stream's own partition and
 * region; `alias/aws/<service>` is the AWS managed key of that service, usable only by it; a key of
 * another account needs its key policy to grant this account, so it is accepted only when configured.
 * A key id or alias name is resolved in the function's own account and region and always fits.
 * @throws {ConfigurationError} naming the value and the function's region
 */
export const assertKeyFitsDeployment = (keyId: ParsedKeyId, deployment: Deployment, options: KeyFitOptions): void => {
  const where = `${options.subject ?? 'this function runs in'} ${deployment.region} (partition ${deployment.partition}, account ${deployment.account})`;
  const fail = (problem: string): never => {
    throw new ConfigurationError(`${options.source} ${keyId.value} ${problem}; ${where}`);
  };
  const managedService = AWS_MANAGED_ALIAS.exec(aliasOf(keyId) ?? '')?.[1];
  if (managedService !== undefined && managedService !== 'kinesis') {
    fail(
      `is the AWS managed key of ${managedService}, which Kinesis cannot use: use alias/aws/kinesis or a customer managed key`
    );
  }
  if (keyId.form !== KeyIdForm.KeyArn && keyId.form !== KeyIdForm.AliasArn) return;
  const [, partition, , region, account] = keyId.value.split(':');
  if (partition !== deployment.partition) {
    fail(`is in partition ${partition}: Kinesis only uses a key of the stream's partition`);
  }
  if (region !== deployment.region) {
    fail(`is a key of region ${region}: Kinesis only uses a key of the stream's region`);
  }
  if (account !== deployment.account && !options.allowCrossAccountKey) {
    fail(
      `belongs to account ${account}: set allowCrossAccountKey=true if its key policy grants this account (kms:GenerateDataKey, kms:Decrypt)`
    );
  }
};
