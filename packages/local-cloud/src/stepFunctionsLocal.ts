import { EventEmitter } from 'node:events';
import type { LocalRequest, LocalResponse, LocalService } from './gateway';
import { awsJsonError } from './gateway';
import { isRecord } from './isRecord';
import { regionPartition as partitionForRegion } from './regionPartition';
import { runStateMachine } from './stateMachineRunner';
import type { ExecutionResult, JsonValue, TaskHandler } from './stateMachineTypes';

/** Options of {@link LocalStepFunctions}. */
export interface LocalStepFunctionsOptions {
  /** ASL file the state machine runs. */
  definitionPath: string;
  /** State machine name in every account and region. */
  stateMachineName: string;
  /** The Task states' local handlers for one execution (account, region and ARN of the execution). */
  taskHandlers: (account: string, region: string, executionArn: string) => Record<string, TaskHandler>;
  /** DefinitionSubstitutions; `Partition` is set to the execution region's partition. */
  substitutions?: Readonly<Record<string, string>>;
  /** Called by `stop()` (e.g. to close the task handlers' clients). */
  onStop?: () => void;
  /** Milliseconds per Wait state instead of its own duration, keyed by state name. */
  waitTimeOverrides?: Record<string, number>;
  /** Milliseconds between retries, keyed by state name. */
  retryIntervalOverrides?: Record<string, number | number[]>;
}

/** Status of a local execution, as DescribeExecution reports it. */
type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** One execution of the local state machine. */
export interface LocalExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  account: string;
  region: string;
  input: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  /** Settles when the execution ends. */
  done: Promise<ExecutionResult>;
  abort: () => void;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: Step Functions forbids control characters in names
const NAME_PATTERN = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;

const epochSeconds = (date: Date): number => date.getTime() / 1000;

const json = (body: object): LocalResponse => ({
  status: 200,
  headers: { 'content-type': 'application/x-amz-json-1.0' },
  body,
});

/**
 * Local Step Functions: `StartExecution`, `DescribeExecution` and `StopExecution` for one state machine, which
 * exists in every account and region. Executions run the real ASL; its Task states run the handlers the options
 * give for the execution's account and region; `${Partition}` is the region's partition. Emits `executionStarted`
 * and `executionFinished` (LocalExecution).
 */
export class LocalStepFunctions extends EventEmitter {
  readonly executions = new Map<string, LocalExecution>();
  readonly #options: LocalStepFunctionsOptions;

  constructor(options: LocalStepFunctionsOptions) {
    super();
    this.#options = options;
  }

  /** ARN of the state machine in an account and region. */
  stateMachineArn(account: string, region: string): string {
    return `arn:${partitionForRegion(region)}:states:${region}:${account}:stateMachine:${this.#options.stateMachineName}`;
  }

  /** Resolves once every execution started so far has ended. */
  async idle(): Promise<void> {
    for (;;) {
      const running = [...this.executions.values()].filter((execution) => execution.status === 'RUNNING');
      if (running.length === 0) return;
      await Promise.allSettled(running.map((execution) => execution.done));
    }
  }

  /** Aborts every running execution and calls `onStop`. */
  stop(): void {
    for (const execution of this.executions.values()) {
      if (execution.status === 'RUNNING') execution.abort();
    }
    this.#options.onStop?.();
  }

  /** The `AWSStepFunctions` service for the gateway. */
  readonly service: LocalService = async (req: LocalRequest): Promise<LocalResponse> => {
    const body = isRecord(req.json) ? req.json : {};
    switch (req.operation) {
      case 'StartExecution':
        return this.#startExecution(req, body);
      case 'DescribeExecution':
      case 'StopExecution': {
        const execution = this.executions.get(String(body.executionArn));
        if (execution === undefined || execution.account !== req.account) {
          return awsJsonError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(body.executionArn)}'`);
        }
        if (req.operation === 'StopExecution') {
          if (execution.status === 'RUNNING') {
            execution.abort();
            this.#finish(execution, { status: 'ABORTED' });
          }
          return json({ stopDate: epochSeconds(execution.stopDate ?? new Date()) });
        }
        return json({
          executionArn: execution.executionArn,
          stateMachineArn: execution.stateMachineArn,
          name: execution.name,
          status: execution.status,
          startDate: epochSeconds(execution.startDate),
          ...(execution.stopDate && { stopDate: epochSeconds(execution.stopDate) }),
          input: execution.input,
          inputDetails: { included: true },
          ...(execution.output !== undefined && { output: execution.output, outputDetails: { included: true } }),
          ...(execution.error !== undefined && { error: execution.error }),
          ...(execution.cause !== undefined && { cause: execution.cause }),
        });
      }
      default:
        return awsJsonError('UnknownOperationException', `Operation ${req.operation} is not supported locally`);
    }
  };

  #startExecution(req: LocalRequest, body: Record<string, unknown>): LocalResponse {
    const stateMachineArn = String(body.stateMachineArn ?? '');
    if (stateMachineArn !== this.stateMachineArn(req.account, req.region)) {
      return awsJsonError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    }
    const name = typeof body.name === 'string' ? body.name : crypto.randomUUID();
    if (!NAME_PATTERN.test(name)) {
      return awsJsonError('InvalidName', `Invalid Name: '${name}'`);
    }
    const input = typeof body.input === 'string' ? body.input : '{}';
    let parsed: JsonValue;
    try {
      parsed = JSON.parse(input) as JsonValue;
    } catch {
      return awsJsonError('InvalidExecutionInput', 'Invalid State Machine Execution Input: not valid JSON');
    }
    const partition = partitionForRegion(req.region);
    const executionArn = `arn:${partition}:states:${req.region}:${req.account}:execution:${this.#options.stateMachineName}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing !== undefined) {
      // Same name and input while running: Step Functions returns the original execution.
      if (existing.status === 'RUNNING' && existing.input === input) {
        return json({ executionArn, startDate: epochSeconds(existing.startDate) });
      }
      return awsJsonError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const { result, abort } = runStateMachine({
      definitionPath: this.#options.definitionPath,
      input: parsed,
      executionName: name,
      arns: { stateMachine: stateMachineArn, execution: executionArn },
      substitutions: { ...this.#options.substitutions, Partition: partition },
      taskHandlers: this.#options.taskHandlers(req.account, req.region, executionArn),
      waitTimeOverrides: this.#options.waitTimeOverrides,
      retryIntervalOverrides: this.#options.retryIntervalOverrides,
    });
    const execution: LocalExecution = {
      executionArn,
      stateMachineArn,
      name,
      account: req.account,
      region: req.region,
      input,
      status: 'RUNNING',
      startDate: new Date(),
      abort,
      done: result.then(
        (outcome) => {
          this.#finish(execution, outcome);
          return outcome;
        },
        (error: unknown) => {
          const outcome: ExecutionResult = { status: 'FAILED', error: 'States.Runtime', cause: String(error) };
          this.#finish(execution, outcome);
          return outcome;
        }
      ),
    };
    this.executions.set(executionArn, execution);
    this.emit('executionStarted', execution);
    return json({ executionArn, startDate: epochSeconds(execution.startDate) });
  }

  #finish(execution: LocalExecution, outcome: ExecutionResult): void {
    if (execution.status !== 'RUNNING') return;
    execution.status = outcome.status;
    execution.stopDate = new Date();
    if (outcome.status === 'SUCCEEDED') execution.output = JSON.stringify(outcome.output);
    if (outcome.status === 'FAILED') {
      execution.error = outcome.error;
      execution.cause = outcome.cause;
    }
    this.emit('executionFinished', execution);
  }
}
