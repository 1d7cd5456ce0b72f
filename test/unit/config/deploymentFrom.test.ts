import { deploymentFrom } from '../../../src/config/deploymentFrom';

describe('deploymentFrom', () => {
  it.each([
    ['arn:aws:states:eu-west-1:111122223333:stateMachine:confirm', 'eu-west-1', 'aws', 'eu-west-1', '111122223333'],
    [
      'arn:aws-cn:states:cn-north-1:111122223333:stateMachine:confirm',
      'cn-north-1',
      'aws-cn',
      'cn-north-1',
      '111122223333',
    ],
    [
      'arn:aws-us-gov:states:us-gov-west-1:210987654321:stateMachine:c',
      undefined,
      'aws-us-gov',
      'us-gov-west-1',
      '210987654321',
    ],
    ['arn:aws:states:us-east-1:111122223333:stateMachine:confirm', 'eu-west-1', 'aws', 'eu-west-1', '111122223333'],
  ])('reads %s with AWS_REGION %s', (arn, awsRegion, partition, region, account) => {
    // Act
    const deployment = deploymentFrom(arn, awsRegion);

    // Assess
    expect(deployment).toEqual({ partition, region, account });
  });
});
