import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { completionBase } from '../completion/completionBase';
import type { ConfirmationInput } from '../domain/confirmationInput';
import type { ConfirmationPort } from '../domain/ports';
import { serviceFailure } from './serviceFailure';

/**
 * {@link ConfirmationPort} on Step Functions StartExecution; ExecutionAlreadyExists counts as started. The execution
 * input is the {@link ConfirmationInput} plus `completion`, the verdict-free completion detail ({@link completionBase}),
 * and, in an organisation, `roleArn`: the role the state machine's Kinesis tasks assume for the stream's account.
 */
export class SfnConfirmationPort implements ConfirmationPort {
  readonly #client: SFNClient;
  readonly #stateMachineArn: string;
  readonly #roleArnOf: ((account: string) => string) | undefined;

  public constructor(client: SFNClient, stateMachineArn: string, roleArnOf?: (account: string) => string) {
    this.#client = client;
    this.#stateMachineArn = stateMachineArn;
    this.#roleArnOf = roleArnOf;
  }

  public async start(executionName: string, input: ConfirmationInput): Promise<boolean> {
    try {
      await this.#client.send(
        new StartExecutionCommand({
          stateMachineArn: this.#stateMachineArn,
          name: executionName,
          input: JSON.stringify({
            ...input,
            ...(this.#roleArnOf !== undefined && { roleArn: this.#roleArnOf(input.account) }),
            completion: completionBase(input),
          }),
        })
      );
      return true;
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists || (error as Error).name === 'ExecutionAlreadyExists') return false;
      throw serviceFailure(error, 'states:StartExecution', this.#stateMachineArn);
    }
  }
}
