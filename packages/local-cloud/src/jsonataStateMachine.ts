import type { JsonataState, JsonataStateMachine } from './jsonataDefinition';
import { evaluateTemplate } from './jsonataExpression';
import type { ExecutionResult, JsonValue, TaskCredentials, TaskHandler } from './stateMachineTypes';
import { statesError } from './statesError';
import { catcherFor, nextRetryDelayMs, type RetryCounts, type RetryIntervalOverride } from './statesRetry';

/** A Standard-billed state transition: every state entered, every retry. */
export interface TransitionEvent {
  type: 'StateEntered' | 'StateRetried';
  stateName: string;
}

/** How to run one execution of a {@link JsonataStateMachine}. */
export interface JsonataRunOptions {
  input: JsonValue;
  /** Every Task state, keyed by state name. */
  taskHandlers: Record<string, TaskHandler>;
  /** Milliseconds to wait instead of the Wait state's own duration, keyed by state name. */
  waitTimeOverrides?: Record<string, number>;
  /** Milliseconds between retries instead of the retrier's own, keyed by state name. */
  retryIntervalOverrides?: Record<string, RetryIntervalOverride>;
  /** Context object identities: `Execution.Id`/`Name`, `StateMachine.Id`/`Name`. */
  context: { Execution: { Id: string; Name: string }; StateMachine: { Id: string; Name: string } };
  /** Called on every state entered and every retry. */
  onTransition?: (event: TransitionEvent) => void;
}

/** Why an execution stopped before a terminal state. */
class Stopped extends Error {
  constructor(readonly status: 'ABORTED' | 'TIMED_OUT') {
    super(status);
  }
}

/** What a state produced: its output, the variables it assigns, the next state (none: the execution ends). */
interface Step {
  output: JsonValue;
  assigned: Record<string, JsonValue>;
  next: string | undefined;
}

type Bindings = Record<string, unknown>;

/**
 * Run a JSONata state machine: Pass, Task (Retry, Catch, Credentials, TimeoutSeconds), Choice, Wait, Succeed and
 * Fail states, `{% %}` expressions and workflow variables, each Task served by a local handler.
 *
 * @returns `result` settles with the final {@link ExecutionResult}; `abort` stops the execution
 */
export const runJsonataStateMachine = (
  machine: JsonataStateMachine,
  options: JsonataRunOptions
): { result: Promise<ExecutionResult>; abort: () => void } => {
  const controller = new AbortController();
  const stopped = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  stopped.catch(() => undefined);
  const interruptible = <T>(work: Promise<T>): Promise<T> => Promise.race([work, stopped]);
  const sleep = async (ms: number): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await interruptible(new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))));
    } finally {
      clearTimeout(timer);
    }
  };
  const executionTimer =
    machine.TimeoutSeconds === undefined
      ? undefined
      : setTimeout(() => controller.abort(new Stopped('TIMED_OUT')), machine.TimeoutSeconds * 1000);
  const startTime = new Date().toISOString();
  let variables: Record<string, JsonValue> = {};

  const contextOf = (stateName: string, enteredTime: string, retryCount: number) => ({
    Execution: { ...options.context.Execution, Input: options.input, StartTime: startTime },
    StateMachine: options.context.StateMachine,
    State: { Name: stateName, EnteredTime: enteredTime, RetryCount: retryCount },
  });
  const bindingsOf = (input: JsonValue, context: object, extra: object = {}): Bindings => ({
    ...variables,
    states: { input, context, ...extra },
  });
  const evaluate = (template: unknown, bindings: Bindings, state: string, field: string) =>
    evaluateTemplate(template, bindings, { state, field });
  /** `Output` (default: `fallback`) and `Assign`, evaluated together against the same variables. */
  const outputAndAssign = async (
    owner: { Output?: unknown; Assign?: Record<string, unknown> },
    fallback: JsonValue,
    bindings: Bindings,
    state: string,
    prefix = ''
  ): Promise<Pick<Step, 'output' | 'assigned'>> => {
    const [output, assigned] = await Promise.all([
      owner.Output === undefined ? fallback : evaluate(owner.Output, bindings, state, `${prefix}Output`),
      evaluate(owner.Assign ?? {}, bindings, state, `${prefix}Assign`),
    ]);
    return { output, assigned: assigned as Record<string, JsonValue> };
  };

  const runTask = async (name: string, state: JsonataState, input: JsonValue, enteredTime: string): Promise<Step> => {
    const handler = options.taskHandlers[name];
    // Reached without a handler: fails the execution (States.Runtime is neither retried nor caught).
    if (handler === undefined) throw statesError('States.Runtime', `Task state ${name} has no local task handler`);
    const counts: RetryCounts = [];
    for (let retryCount = 0; ; retryCount++) {
      const context = contextOf(name, enteredTime, retryCount);
      try {
        const bindings = bindingsOf(input, context);
        const args =
          state.Arguments === undefined ? input : await evaluate(state.Arguments, bindings, name, 'Arguments');
        const credentials = state.Credentials === undefined ? undefined : await roleOf(state, bindings, name);
        const timeout =
          state.TimeoutSeconds === undefined ? undefined : await seconds(state, 'TimeoutSeconds', bindings, name);
        const call = Promise.resolve().then(() =>
          credentials === undefined ? handler(args) : handler(args, credentials)
        );
        const result = await interruptible(timeout === undefined ? call : withTimeout(call, timeout * 1000, name));
        const step = await outputAndAssign(state, result, bindingsOf(input, context, { result }), name);
        return { ...step, next: state.Next };
      } catch (thrown) {
        if (thrown instanceof Stopped) throw thrown;
        const error = asStatesError(thrown);
        const override = options.retryIntervalOverrides?.[name];
        const delay = nextRetryDelayMs(state.Retry ?? [], counts, error.name, override);
        if (delay !== undefined) {
          await sleep(delay);
          options.onTransition?.({ type: 'StateRetried', stateName: name });
          continue;
        }
        const catcher = catcherFor(state.Catch ?? [], error.name);
        if (catcher === undefined) throw error;
        const errorOutput = { Error: error.name, Cause: error.message };
        const bindings = bindingsOf(input, context, { errorOutput });
        const step = await outputAndAssign(catcher, errorOutput, bindings, name, 'Catch.');
        return { ...step, next: catcher.Next };
      }
    }
  };

  const runChoice = async (name: string, state: JsonataState, bindings: Bindings, input: JsonValue): Promise<Step> => {
    const rules = state.Choices ?? [];
    for (const [index, rule] of rules.entries()) {
      const field = `Choices[${index}].Condition`;
      const matched = await evaluate(rule.Condition, bindings, name, field);
      if (typeof matched !== 'boolean') {
        throw statesError('States.QueryEvaluationError', `State ${name}, field ${field}: not a boolean`);
      }
      if (!matched) continue;
      // The state-level Assign applies whichever rule matches; the rule's own Assign and Output take precedence.
      const [own, ruleStep] = await Promise.all([
        outputAndAssign({ Assign: state.Assign }, input, bindings, name),
        outputAndAssign(
          { Output: rule.Output ?? state.Output, Assign: rule.Assign },
          input,
          bindings,
          name,
          `Choices[${index}].`
        ),
      ]);
      return { output: ruleStep.output, assigned: { ...own.assigned, ...ruleStep.assigned }, next: rule.Next };
    }
    if (state.Default === undefined) {
      throw statesError('States.NoChoiceMatched', `State ${name}: no Choice rule matched and there is no Default`);
    }
    return { ...(await outputAndAssign(state, input, bindings, name)), next: state.Default };
  };

  const runWait = async (name: string, state: JsonataState, bindings: Bindings, input: JsonValue): Promise<Step> => {
    const override = options.waitTimeOverrides?.[name];
    await sleep(override ?? (await waitMs(state, bindings, name)));
    return { ...(await outputAndAssign(state, input, bindings, name)), next: state.Next };
  };

  const runState = async (name: string, state: JsonataState, input: JsonValue, enteredTime: string): Promise<Step> => {
    const bindings = bindingsOf(input, contextOf(name, enteredTime, 0));
    switch (state.Type) {
      case 'Pass':
        return { ...(await outputAndAssign(state, input, bindings, name)), next: state.Next };
      case 'Task':
        return runTask(name, state, input, enteredTime);
      case 'Choice':
        return runChoice(name, state, bindings, input);
      case 'Wait':
        return runWait(name, state, bindings, input);
      case 'Succeed':
        return { ...(await outputAndAssign({ Output: state.Output }, input, bindings, name)), next: undefined };
      case 'Fail': {
        const error = state.Error === undefined ? '' : await evaluate(state.Error, bindings, name, 'Error');
        const cause = state.Cause === undefined ? '' : await evaluate(state.Cause, bindings, name, 'Cause');
        throw statesError(String(error), String(cause));
      }
    }
  };

  const execute = async (): Promise<ExecutionResult> => {
    let name = machine.StartAt;
    let input = options.input;
    for (;;) {
      if (controller.signal.aborted) throw controller.signal.reason;
      const state = machine.States[name] as JsonataState;
      options.onTransition?.({ type: 'StateEntered', stateName: name });
      const step = await interruptible(runState(name, state, input, new Date().toISOString()));
      variables = { ...variables, ...step.assigned };
      if (step.next === undefined) return { status: 'SUCCEEDED', output: step.output };
      name = step.next;
      input = step.output;
    }
  };

  const result = execute()
    .catch((error: unknown): ExecutionResult => {
      if (error instanceof Stopped) return { status: error.status };
      const failure = asStatesError(error);
      return { status: 'FAILED', error: failure.name, cause: failure.message };
    })
    .finally(() => clearTimeout(executionTimer));
  return { result, abort: () => controller.abort(new Stopped('ABORTED')) };
};

const asStatesError = (thrown: unknown): Error =>
  thrown instanceof Error ? thrown : statesError('States.TaskFailed', String(thrown));

/** A number of seconds from a literal or an expression; not a non-negative number: States.QueryEvaluationError. */
const seconds = async (state: JsonataState, field: 'TimeoutSeconds' | 'Seconds', bindings: Bindings, name: string) => {
  const value = await evaluateTemplate(state[field], bindings, { state: name, field });
  if (typeof value !== 'number' || !(value >= 0)) {
    throw statesError(
      'States.QueryEvaluationError',
      `State ${name}, field ${field}: ${JSON.stringify(value)} is no number of seconds`
    );
  }
  return value;
};

const waitMs = async (state: JsonataState, bindings: Bindings, name: string): Promise<number> => {
  if (state.Seconds !== undefined) return (await seconds(state, 'Seconds', bindings, name)) * 1000;
  const timestamp = await evaluateTemplate(state.Timestamp, bindings, { state: name, field: 'Timestamp' });
  const at = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
  if (Number.isNaN(at)) {
    throw statesError(
      'States.QueryEvaluationError',
      `State ${name}, field Timestamp: ${JSON.stringify(timestamp)} is no timestamp`
    );
  }
  return Math.max(0, at - Date.now());
};

/** The role of the Task's `Credentials`; not a non-empty string: States.Runtime, as in the JSONPath runner. */
const roleOf = async (state: JsonataState, bindings: Bindings, name: string): Promise<TaskCredentials> => {
  const roleArn = await evaluateTemplate(state.Credentials?.RoleArn, bindings, {
    state: name,
    field: 'Credentials.RoleArn',
  });
  if (typeof roleArn !== 'string' || roleArn === '') {
    throw statesError(
      'States.Runtime',
      `State ${name}: the Credentials RoleArn resolved to ${JSON.stringify(roleArn)}`
    );
  }
  return { roleArn };
};

/** The handler's result, or States.Timeout once `ms` have passed. */
const withTimeout = async <T>(work: Promise<T>, ms: number, name: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(statesError('States.Timeout', `State ${name} ran longer than ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
};
