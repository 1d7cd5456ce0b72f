import type { LocalCloudOptions } from './localCloudOptions';

/** `AWS_EXECUTION_ENV` of the function: the SDK adds `exec-env/<value>` to its user agent. */
export const LAMBDA_EXECUTION_ENV = 'AWS_Lambda_nodejs22.x';

/** Lambda execution environments per account: Lambda scales far beyond this; 10 is twice the streams an account has CREATING at once. */
export const LAMBDA_MAX_INSTANCES = 10;
/** Stream and CloudTrail durations of a bench run (`--quick` shortens them). */
export interface BenchDurations {
  createMs: number;
  updateMs: number;
  cloudTrailDelayMs: number;
}

/** Local cloud options every latency load shares: the run's durations, Lambda's environment and scaling, cold starts. */
export const benchCloudOptions = (durations: BenchDurations): LocalCloudOptions => ({
  createDurationMs: durations.createMs,
  updateDurationMs: durations.updateMs,
  cloudTrailDelayMs: durations.cloudTrailDelayMs,
  environment: { AWS_EXECUTION_ENV: LAMBDA_EXECUTION_ENV },
  lambdaMaxInstances: LAMBDA_MAX_INSTANCES,
  warm: false,
});
