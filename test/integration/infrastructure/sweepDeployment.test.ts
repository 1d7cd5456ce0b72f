import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConditions } from '../../helpers/leastPrivilege';
import { type CloudFormationTemplate, PackageFailedError, packageTemplate } from '../../helpers/packageTemplate';

const REPO_ROOT = join(__dirname, '..', '..', '..');

const packagingError = async (params: Record<string, string>): Promise<string | undefined> => {
  try {
    await packageTemplate({ stage: 'sweepcheck', params });
    return undefined;
  } catch (error) {
    if (error instanceof PackageFailedError) return error.output;
    throw error;
  }
};

describe('the deployed sweep in the packaged template', () => {
  let template: CloudFormationTemplate;
  let off: CloudFormationTemplate;

  beforeAll(async () => {
    template = resolveConditions((await packageTemplate()).template);
    off = resolveConditions((await packageTemplate({ stage: 'sweepoff', params: { sweepSchedule: 'off' } })).template);
  }, 10 * 60_000);

  it('schedules the sweep state machine once a day by default, with the first step as input', () => {
    // Act
    const schedule = template.Resources.SweepSchedule?.Properties as Record<string, unknown>;

    // Assess
    expect(schedule).toMatchObject({
      ScheduleExpression: 'rate(1 day)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: { Arn: { Ref: 'SweepStateMachine' }, Input: '{"step":0}' },
    });
  });

  it('creates no schedule (nor its role) with sweepSchedule=off; the state machine stays for a manual start', () => {
    // Act
    const ids = Object.keys(off.Resources);

    // Assess
    expect(ids).not.toContain('SweepSchedule');
    expect(ids).not.toContain('SweepScheduleRole');
    expect(ids).toContain('SweepStateMachine');
  });

  it('runs statemachines/sweep.asl.json with the sweep function substituted', () => {
    // Prepare
    const asl = JSON.parse(readFileSync(join(REPO_ROOT, 'statemachines', 'sweep.asl.json'), 'utf8'));

    // Act
    const properties = template.Resources.SweepStateMachine?.Properties as Record<string, unknown>;

    // Assess
    expect(JSON.parse(String(properties.DefinitionString))).toEqual(asl);
    expect(properties.DefinitionSubstitutions).toEqual({
      Partition: { Ref: 'AWS::Partition' },
      SweepFunctionArn: { 'Fn::GetAtt': ['SweepLambdaFunction', 'Arn'] },
    });
  });

  it("gives the sweep function the longest Lambda timeout, the pipeline's environment and its own settings", () => {
    // Act
    const fn = template.Resources.SweepLambdaFunction?.Properties as {
      Timeout: number;
      Environment: { Variables: Record<string, unknown> };
    };
    const pipeline = template.Resources.EncryptStreamLambdaFunction?.Properties as typeof fn;

    // Assess
    expect(fn.Timeout).toBe(900);
    expect(fn.Environment.Variables).toMatchObject({
      ...pipeline.Environment.Variables,
      SWEEP_BUCKET_NAME: { Ref: 'SweepBucket' },
      SWEEP_DESCRIBE_PER_SECOND: '10',
      SWEEP_ACCOUNT_REGIONS_IN_FLIGHT: '16',
    });
  });

  it('keeps state and reports in a bucket with SSE-KMS, a lifecycle, no public access and TLS only', () => {
    // Act
    const bucket = template.Resources.SweepBucket?.Properties as Record<string, unknown>;
    const policy = template.Resources.SweepBucketPolicy?.Properties as { PolicyDocument: { Statement: unknown[] } };

    // Assess
    expect(bucket.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true },
      ],
    });
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.LifecycleConfiguration).toMatchObject({
      Rules: [
        { Prefix: 'sweeps/', ExpirationInDays: 7, Status: 'Enabled' },
        { Prefix: 'reports/', ExpirationInDays: 90, Status: 'Enabled' },
      ],
    });
    // aws:SecureTransport (https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html).
    expect(policy.PolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    ]);
  });

  it.each<{ params: Record<string, string>; message: string }>([
    {
      params: { sweepSchedule: 'daily' },
      message: 'sweepSchedule=daily is not rate(<value> minutes|hours|days) or cron(<6 fields>)',
    },
    {
      params: { sweepSchedule: 'rate(1 fortnight)' },
      message: 'sweepSchedule=rate(1 fortnight) is not rate(<value> minutes|hours|days) or cron(<6 fields>)',
    },
    {
      params: { sweepDescribePerSecond: '25' },
      message: 'sweepDescribePerSecond=25 is not a whole number of calls per second from 1 to 20',
    },
    {
      params: { sweepDescribePerSecond: '0' },
      message: 'sweepDescribePerSecond=0 is not a whole number of calls per second from 1 to 20',
    },
  ])(
    'refuses $params when packaging',
    async ({ params, message }) => {
      // Act
      const output = await packagingError(params);

      // Assess
      expect(output).toContain(message);
    },
    120_000
  );
});
