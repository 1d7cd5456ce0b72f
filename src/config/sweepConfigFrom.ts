import { ConfigurationError } from '../domain/errors';

/** The sweep function's own settings (serverless.yml: stage parameters sweepDescribePerSecond, …). */
export interface SweepConfig {
  bucketName: string;
  /** DescribeStreamSummary per second per account (Kinesis allows 20). */
  describePerSecond: number;
  concurrency: number;
  /** Account-regions a step holds open at once (clients, listing, checks): stage parameter sweepAccountRegionsInFlight. */
  accountRegionsInFlight: number;
  /** Organisation: role assumed for organizations:ListAccounts; empty = the sweep role calls it itself. */
  accountsRoleArn: string | undefined;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

const numberIn = (env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number => {
  const raw = env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(`${name}=${raw} must be an integer from ${min} to ${max}`);
  }
  return value;
};

/**
 * Reads the sweep function's environment (the pipeline's own variables are read by loadConfig).
 * @throws {ConfigurationError} naming the bad variable
 */
export const sweepConfigFrom = (env: NodeJS.ProcessEnv): SweepConfig => {
  const bucketName = env.SWEEP_BUCKET_NAME ?? '';
  if (bucketName === '') throw new ConfigurationError('SWEEP_BUCKET_NAME is not set');
  const role = env.SWEEP_ACCOUNTS_ROLE_ARN ?? '';
  if (role !== '' && !ROLE_ARN.test(role)) {
    throw new ConfigurationError(`SWEEP_ACCOUNTS_ROLE_ARN=${role} is not an IAM role ARN`);
  }
  return {
    bucketName,
    describePerSecond: numberIn(env, 'SWEEP_DESCRIBE_PER_SECOND', 10, 1, 20),
    concurrency: numberIn(env, 'SWEEP_CONCURRENCY', 8, 1, 64),
    accountRegionsInFlight: numberIn(env, 'SWEEP_ACCOUNT_REGIONS_IN_FLIGHT', 16, 1, 64),
    accountsRoleArn: role === '' ? undefined : role,
  };
};
