import {
  CreateStreamCommand,
  KinesisClient,
  StartStreamEncryptionCommand,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { TEAM_KEY_ALIAS } from '../../../tools/dev';
import { type Harness, startHarness } from './harness';

const ACCOUNT = '540000000004';
const REGION = 'us-east-1';

/**
 * Terraform's aws_kinesis_stream creates the stream, waits for ACTIVE, then calls StartStreamEncryption
 * itself (hashicorp/terraform-provider-aws, resource_kinesis_stream.go); CloudFormation and CDK do the
 * same for StreamEncryption. Its user agent carries "Terraform/<version>"; the AWS CLI carries
 * AWS_EXECUTION_ENV as "exec-env/<value>".
 */
const terraformClient = (endpoint: string): KinesisClient =>
  new KinesisClient({
    endpoint,
    region: REGION,
    credentials: { accessKeyId: ACCOUNT, secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler(),
    customUserAgent: 'APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.80.0',
    maxAttempts: 8,
  });

describe('a stream created by Terraform, which applies its own key after ACTIVE', () => {
  let harness: Harness;
  let terraform: KinesisClient;

  beforeAll(async () => {
    harness = await startHarness({
      accounts: [ACCOUNT],
      environment: { IAC_GRACE_SECONDS: '2', POWERTOOLS_LOG_LEVEL: 'WARN' },
    });
    terraform = terraformClient(harness.cloud.endpoint);
  }, 60_000);

  afterAll(async () => {
    terraform?.destroy();
    await harness?.stop();
  });

  it('ends on the team key, with no apply by the pipeline and a truthful Skipped event', async () => {
    // Act: what the provider does
    await terraform.send(new CreateStreamCommand({ StreamName: 'tf-analytics', ShardCount: 1 }));
    await waitUntilStreamExists(
      { client: terraform, maxWaitTime: 30, minDelay: 0.2, maxDelay: 0.5 },
      { StreamName: 'tf-analytics' }
    );
    await terraform.send(
      new StartStreamEncryptionCommand({ StreamName: 'tf-analytics', EncryptionType: 'KMS', KeyId: TEAM_KEY_ALIAS })
    );
    await harness.completionFor(ACCOUNT, REGION, 'tf-analytics', 30_000);
    await harness.cloud.idle();

    // Assess
    const applies = harness.cloudTrailFor('tf-analytics', 'StartStreamEncryption');
    expect(applies.map((event) => String(event.detail.userAgent))).toEqual([
      expect.stringContaining('Terraform/1.9.8'),
    ]);
    // One completion per trigger: the CreateStream, and Terraform's StartStreamEncryption (someone else's
    // key switch is re-decided), both Skipped on the team key.
    const [created] = harness.cloudTrailFor('tf-analytics', 'CreateStream');
    const [switched] = applies;
    const completions = harness.completionsFor('tf-analytics');
    expect(completions).toHaveLength(2);
    expect(completions.find(({ detail }) => detail.eventId === created?.detail.eventID)?.detail).toMatchObject({
      outcome: 'Skipped',
      streamKeyId: TEAM_KEY_ALIAS,
      reason: expect.stringMatching(
        /^Its owner \(Terraform\) encrypted the stream with its own KMS key \(alias\/team-analytics\)/
      ),
    });
    expect(completions.find(({ detail }) => detail.eventId === switched?.detail.eventID)?.detail).toMatchObject({
      outcome: 'Skipped',
      streamKeyId: TEAM_KEY_ALIAS,
    });
    expect(await harness.streamSummary(ACCOUNT, REGION, 'tf-analytics')).toMatchObject({
      EncryptionType: 'KMS',
      KeyId: TEAM_KEY_ALIAS,
    });
  }, 60_000);

  it('applies the default key after the grace when Terraform does not encrypt', async () => {
    // Act
    await terraform.send(new CreateStreamCommand({ StreamName: 'tf-plain', ShardCount: 1 }));
    const completion = await harness.completionFor(ACCOUNT, REGION, 'tf-plain', 30_000);

    // Assess
    expect(completion.detail.outcome).toBe('Encrypted');
    expect(harness.cloudTrailFor('tf-plain', 'StartStreamEncryption')).toHaveLength(1);
  }, 60_000);
});
