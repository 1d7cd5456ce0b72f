import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { SfnConfirmationPort } from '../../../src/aws/sfnConfirmationPort';
import { completionBase } from '../../../src/completion/completionBase';
import type { ConfirmationInput } from '../../../src/domain/confirmationInput';
import { confirmationInputFixture } from '../../helpers/confirmationInputFixture';

const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:111122223333:stateMachine:confirm-encryption';
const sfn = mockClient(SFNClient);

const input: ConfirmationInput = confirmationInputFixture({ keyId: 'alias/org' });

// StartExecution: `input` is a string of JSON; a name already used answers ExecutionAlreadyExists
// (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html).
describe('SfnConfirmationPort', () => {
  const port = new SfnConfirmationPort(new SFNClient({ region: 'eu-west-1', maxAttempts: 1 }), STATE_MACHINE_ARN);

  afterEach(() => {
    sfn.reset();
  });

  it('starts the execution with the ConfirmationInput plus its completion base', async () => {
    // Prepare
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${STATE_MACHINE_ARN}:e-1`, startDate: new Date() });

    // Act
    const started = await port.start('e-1', input);

    // Assess
    expect(started).toBe(true);
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, { stateMachineArn: STATE_MACHINE_ARN, name: 'e-1' });
    const sent = JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input ?? '{}');
    expect(sent).toEqual({
      ...input,
      completion: {
        version: '3',
        eventId: input.eventId,
        streamArn: input.streamArn,
        streamName: input.streamName,
        account: input.account,
        region: input.region,
        keyId: input.keyId,
        desiredKeyId: input.keyId,
        trigger: 'CreateStream',
        actor: null,
        policy: { mode: 'enforce', keySource: 'default' },
        streamStatus: null,
        encryptionType: null,
        streamKeyId: null,
        timestamps: { streamCreatedAt: input.streamCreatedAt, appliedAt: input.appliedAt, confirmedAt: null },
        timeToEncryptedMs: null,
        exposureMs: null,
        settleSeconds: 5,
        error: null,
      },
    });
    expect(sent.completion).toEqual(completionBase(input));
  });

  it.each([
    ['the SDK exception class', new ExecutionAlreadyExists({ message: 'exists', $metadata: {} })],
    ['an error named ExecutionAlreadyExists', Object.assign(new Error('exists'), { name: 'ExecutionAlreadyExists' })],
  ])('answers false when the execution already exists (%s)', async (_label, error) => {
    // Prepare
    sfn.on(StartExecutionCommand).rejects(error);

    // Act
    const started = await port.start('e-1', input);

    // Assess
    expect(started).toBe(false);
  });

  it.each([
    [
      'an organisation',
      (account: string) => `arn:aws:iam::${account}:role/member`,
      'arn:aws:iam::111122223333:role/member',
    ],
    ['an account deployment', undefined, undefined],
  ])('writes roleArn, the role for the stream account, in %s only', async (_label, roleArnOf, roleArn) => {
    // Prepare
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${STATE_MACHINE_ARN}:e-2`, startDate: new Date() });
    const client = new SFNClient({ region: 'eu-west-1', maxAttempts: 1 });

    // Act
    await new SfnConfirmationPort(client, STATE_MACHINE_ARN, roleArnOf).start('e-2', input);

    // Assess
    const sent = JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input ?? '{}');
    expect(sent.roleArn).toBe(roleArn);
    expect('roleArn' in sent).toBe(roleArn !== undefined);
  });

  it('translates any other failure, naming the operation', async () => {
    // Prepare
    sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    // Act
    const starting = port.start('e-1', input);

    // Assess
    await expect(starting).rejects.toThrow(/states:StartExecution/);
  });
});
