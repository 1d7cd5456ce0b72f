import type { Deployment } from '../domain/deployment';

/**
 * The function's partition, region and account at cold start: partition and account from the state
 * machine ARN (same stack, same account), region from `AWS_REGION` (set by Lambda) or, when absent,
 * from that ARN.
 * @param stateMachineArn - a validated `arn:<partition>:states:<region>:<account>:stateMachine:<name>`
 */
export const deploymentFrom = (stateMachineArn: string, awsRegion: string | undefined): Deployment => {
  const [, partition = '', , arnRegion = '', account = ''] = stateMachineArn.split(':');
  return { partition, region: awsRegion ?? arnRegion, account };
};
