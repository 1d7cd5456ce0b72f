import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { codeOf, serviceFailure } from './serviceFailure';
import { createSweepStsClient } from './sweepClients';

/** Where the CLI's own calls go: its credentials, its home region, `--endpoint-url`. */
export interface CliSessionOptions {
  region: string;
  credentials: AwsCredentialIdentityProvider;
  endpoint?: string;
}

/** SSM of the CLI's own account and home region (the stage's settings and key parameter). */
export const createCliSsmClient = (options: CliSessionOptions): SSMClient =>
  new SSMClient({ ...options, maxAttempts: 4 });

/**
 * The account the CLI's credentials belong to (sts:GetCallerIdentity, which needs no permission).
 * @throws {AutoEncryptError} translated when STS refuses the credentials
 */
export const callerAccount = async (options: CliSessionOptions): Promise<string> => {
  const sts = createSweepStsClient(options);
  try {
    const { Account } = await sts.send(new GetCallerIdentityCommand({}));
    if (Account === undefined) throw new Error('GetCallerIdentity returned no account');
    return Account;
  } catch (error) {
    throw serviceFailure(error, 'sts:GetCallerIdentity', '*');
  } finally {
    sts.destroy();
  }
};

/**
 * A String parameter's value (ssm:GetParameter), or undefined when it does not exist.
 * @throws {AutoEncryptError} translated (denied, throttled, …)
 */
export const parameterValue = async (client: SSMClient, name: string): Promise<string | undefined> => {
  try {
    const { Parameter } = await client.send(new GetParameterCommand({ Name: name }));
    return Parameter?.Value;
  } catch (error) {
    if (error instanceof ParameterNotFound || codeOf(error) === 'ParameterNotFound') return undefined;
    throw serviceFailure(error, 'ssm:GetParameter', name);
  }
};
