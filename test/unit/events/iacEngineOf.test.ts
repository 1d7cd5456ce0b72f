import { iacEngineOf } from '../../../src/events/iacEngineOf';

describe('iacEngineOf', () => {
  // CloudTrail records a call CloudFormation makes for a stack with userIdentity.invokedBy and
  // sourceIPAddress/userAgent "cloudformation.amazonaws.com" (CloudTrail userIdentity element:
  // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).
  // The Terraform AWS provider sends "APN/1.0 HashiCorp/1.0 Terraform/<v> (+https://www.terraform.io)
  // terraform-provider-aws/<v> …"; AWS CLI v2 appends "exec-env/<AWS_EXECUTION_ENV>".
  it.each<[string, { userAgent?: string; invokedBy?: string }, string | undefined]>([
    ['CloudFormation by invokedBy', { invokedBy: 'cloudformation.amazonaws.com', userAgent: 'x' }, 'CloudFormation'],
    ['CloudFormation by user agent', { userAgent: 'cloudformation.amazonaws.com' }, 'CloudFormation'],
    [
      'the Terraform AWS provider',
      {
        userAgent:
          'APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.80.0 aws-sdk-go-v2/1.32.6',
      },
      'Terraform',
    ],
    [
      'the AWS CLI with AWS_EXECUTION_ENV=Terraform/1.9.8',
      { userAgent: 'aws-cli/2.22.0 md/Botocore#2.0.0 exec-env/Terraform/1.9.8' },
      'Terraform',
    ],
    ['CDK', { userAgent: 'aws-sdk-js/3.600.0 aws-cdk/2.150.0' }, 'CDK'],
    ['Pulumi', { userAgent: 'aws-sdk-go/1.50 Pulumi/3.0 pulumi-aws/6.0' }, 'Pulumi'],
    ['Crossplane', { userAgent: 'crossplane-provider-aws/v0.40' }, 'Crossplane'],
    ['a person with the AWS CLI', { userAgent: 'aws-cli/2.15.0 Python/3.11' }, undefined],
    ['the console', { userAgent: 'AWS Internal', invokedBy: 'signin.amazonaws.com' }, undefined],
    ['no user agent', {}, undefined],
  ])('%s', (_label, origin, engine) => {
    expect(iacEngineOf(origin)).toBe(engine);
  });

  it('uses a configured list of fragments (case-insensitive), naming an unknown engine by its fragment', () => {
    // Act
    const engine = iacEngineOf({ userAgent: 'Spacelift/1.0 go-sdk' }, ['spacelift/']);

    // Assess
    expect(engine).toBe('spacelift/');
    expect(iacEngineOf({ userAgent: 'Terraform/1.9.8' }, ['spacelift/'])).toBeUndefined();
  });
});
