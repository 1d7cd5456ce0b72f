import { completionBase } from '../../../src/completion/completionBase';
import type { ConfirmationInput } from '../../../src/domain/confirmationInput';
import type { LocalRequest, LocalStepFunctions, UndeliveredCompletion } from '../../../tools/dev';
import { confirmEncryptionStepFunctions } from '../../../tools/dev';

const ACCOUNT = '111122223333';

const startExecution = (region: string, body: Record<string, unknown>): LocalRequest => ({
  target: 'AWSStepFunctions.StartExecution',
  operation: 'StartExecution',
  body: Buffer.from(JSON.stringify(body)),
  json: body,
  headers: {},
  account: ACCOUNT,
  region,
  accessKeyId: ACCOUNT,
});

describe('confirm-encryption on LocalStepFunctions', () => {
  let stepFunctions: LocalStepFunctions;
  let undelivered: UndeliveredCompletion[];

  beforeEach(() => {
    // Nothing listens on port 9: every Task call fails on the client side, as with a network outage.
    ({ stepFunctions, undelivered } = confirmEncryptionStepFunctions({
      endpoint: 'http://127.0.0.1:9',
      waitTimeOverrides: { Backoff: 0 },
      retryIntervalOverrides: { DescribeStream: 0, PublishCompletion: 0, KeepUndelivered: 0 },
    }));
  });

  afterEach(() => {
    stepFunctions.stop();
  });

  it.each([
    { region: 'eu-west-1', partition: 'aws' },
    { region: 'cn-north-1', partition: 'aws-cn' },
    { region: 'us-gov-west-1', partition: 'aws-us-gov' },
  ])('names the state machine and its executions in the partition of $region', async ({ region, partition }) => {
    // Prepare
    const stateMachineArn = stepFunctions.stateMachineArn(ACCOUNT, region);

    // Act
    const response = await stepFunctions.service(startExecution(region, { stateMachineArn, name: 'n-1', input: '{}' }));
    await stepFunctions.idle();

    // Assess
    expect(stateMachineArn).toBe(`arn:${partition}:states:${region}:${ACCOUNT}:stateMachine:confirm-encryption`);
    expect(response.body).toMatchObject({ executionArn: expect.stringMatching(`^arn:${partition}:states:`) });
  });

  it('keeps a completion it could not publish and fails the execution CompletionUndelivered', async () => {
    // Prepare
    const region = 'eu-west-1';
    const input: ConfirmationInput = {
      eventId: 'e-1',
      streamArn: `arn:aws:kinesis:${region}:${ACCOUNT}:stream/orders`,
      streamName: 'orders',
      account: ACCOUNT,
      region,
      keyId: 'alias/org',
      eventBusName: 'default',
      streamCreatedAt: '2025-03-01T10:00:00Z',
      appliedAt: '2025-03-01T10:00:01Z',
      applyLatencyMs: 1000,
      probe: false,
      trigger: 'CreateStream',
      policy: { mode: 'enforce', keySource: 'default' },
      otherKeyCompliance: 'Compliant',
    };
    const stateMachineArn = stepFunctions.stateMachineArn(ACCOUNT, region);

    // Act
    await stepFunctions.service(
      startExecution(region, {
        stateMachineArn,
        name: 'n-2',
        input: JSON.stringify({ ...input, completion: completionBase(input) }),
      })
    );
    await stepFunctions.idle();

    // Assess
    const [execution] = [...stepFunctions.executions.values()];
    expect(execution).toMatchObject({ status: 'FAILED', error: 'CompletionUndelivered' });
    expect(undelivered).toEqual([
      {
        executionArn: execution?.executionArn,
        queueUrl: expect.stringContaining('undelivered'),
        body: expect.objectContaining({
          streamArn: input.streamArn,
          completion: expect.objectContaining({ detailType: 'Stream Encryption Failed' }),
          publishError: expect.objectContaining({ Error: 'EventBridge.SdkClientException' }),
        }),
      },
    ]);
  });
});
