import type { ConfirmationInput } from '../../src/domain/confirmationInput';
import type { ConfirmationPort } from '../../src/domain/ports';

/** In-memory {@link ConfirmationPort}: keeps started executions by name; `failWith` makes the next start throw. */
export class FakeConfirmations implements ConfirmationPort {
  public readonly started = new Map<string, ConfirmationInput>();
  public failWith: Error | undefined;

  public async start(executionName: string, input: ConfirmationInput): Promise<boolean> {
    if (this.failWith !== undefined) throw this.failWith;
    if (this.started.has(executionName)) return false;
    this.started.set(executionName, input);
    return true;
  }
}
