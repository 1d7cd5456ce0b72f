import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { type JsonataStateMachine, loadJsonataStateMachine } from './jsonataDefinition';
import { runJsonataStateMachine, type TransitionEvent } from './jsonataStateMachine';
import type { ExecutionResult, JsonValue, TaskHandler } from './stateMachineTypes';

type LocalStepFunctions = typeof import('aws-local-stepfunctions', { with: { 'resolution-mode': 'import' }});
type LocalStateMachine = InstanceType<LocalStepFunctions['StateMachine']>;
type LocalStateMachineDefinition = ConstructorParameters<LocalStepFunctions['StateMachine']>[0];

// The package is ESM with a CommonJS build: require() selects build/main.node.cjs, which
// loads under ts-jest (CommonJS) and tsx alike; the types come from its ESM declarations.
const { ExecutionAbortedError, ExecutionError, ExecutionTimeoutError, StateMachine } =
  require('aws-local-stepfunctions') as LocalStepFunctions;

type StateDefinition = Record<string, unknown> & { States?: Record<string, Record<string, unknown>> };

/**
 * JSONPath definitions run on aws-local-stepfunctions, which does not assume a Task's `Credentials`: refuse them
 * rather than call with the wrong identity (the JSONata engine assumes them).
 */
const refuseCredentials = (machine: StateDefinition): void => {
  for (const [name, state] of Object.entries(machine.States ?? {})) {
    for (const branch of (state.Branches as StateDefinition[] | undefined) ?? []) refuseCredentials(branch);
    const nested = (state.ItemProcessor ?? state.Iterator) as StateDefinition | undefined;
    if (nested !== undefined) refuseCredentials(nested);
    if (state.Credentials !== undefined) {
      throw new Error(`State ${name}: the local runner assumes Task Credentials in JSONata definitions only`);
    }
  }
};

/** Placeholder names of DefinitionSubstitutions, as CloudFormation reads them: `${Name}`. */
const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

export interface RunStateMachineOptions {
  /** ASL file to run: top-level `"QueryLanguage": "JSONata"` runs on the local JSONata engine, else JSONPath. */
  definitionPath: string;
  /** Execution input. */
  input: JsonValue;
  /** Every Task state, keyed by state name. */
  taskHandlers: Record<string, TaskHandler>;
  /** Milliseconds to wait instead of the Wait state's own duration, keyed by state name. */
  waitTimeOverrides?: Record<string, number>;
  /** Milliseconds between retries instead of the retrier's own, keyed by state name. */
  retryIntervalOverrides?: Record<string, number | number[]>;
  /** Execution name (a random UUID when omitted). */
  executionName?: string;
  /** The state machine's and the execution's ARNs (`$states.context`); placeholders of a local machine when omitted. */
  arns?: { stateMachine: string; execution: string };
  /** Values of the `${Name}` placeholders (CloudFormation's DefinitionSubstitutions); none when omitted. */
  substitutions?: Readonly<Record<string, string>>;
  /** Called on every state entered and every retry (Standard-billed transitions); JSONata definitions only. */
  onTransition?: (event: TransitionEvent) => void;
}

/**
 * Read an ASL file, fill its `${Name}` placeholders as CloudFormation's DefinitionSubstitutions
 * would, and parse it. A placeholder without a value is an error, as it would be at deployment.
 */
export const loadDefinition = (
  definitionPath: string,
  substitutions: Readonly<Record<string, string>> = {}
): LocalStateMachineDefinition => {
  const text = readFileSync(definitionPath, 'utf8').replace(PLACEHOLDER, (placeholder, name: string) => {
    const value = substitutions[name];
    if (value === undefined) throw new Error(`${definitionPath}: no substitution for ${placeholder}`);
    return value;
  });
  return JSON.parse(text) as LocalStateMachineDefinition;
};

/** A loaded definition: JSONata for the local engine, JSONPath for aws-local-stepfunctions. */
type LoadedMachine =
  | { queryLanguage: 'JSONata'; machine: JsonataStateMachine }
  | { queryLanguage: 'JSONPath'; machine: LocalStateMachine };

const machines = new Map<string, { mtimeMs: number; machine: LoadedMachine }>();

/**
 * One validated state machine per definition file (re-read when the file changes): validating the ASL
 * costs 150–500 ms of CPU that would otherwise be paid per execution.
 */
const stateMachineFor = (
  definitionPath: string,
  substitutions: Readonly<Record<string, string>> = {}
): LoadedMachine => {
  const { mtimeMs } = statSync(definitionPath);
  const key = `${definitionPath}\n${JSON.stringify(substitutions)}`;
  const cached = machines.get(key);
  if (cached !== undefined && cached.mtimeMs === mtimeMs) return cached.machine;
  const definition = loadDefinition(definitionPath, substitutions) as unknown as StateDefinition;
  let machine: LoadedMachine;
  if (definition.QueryLanguage === 'JSONata') {
    machine = { queryLanguage: 'JSONata', machine: loadJsonataStateMachine(definition) };
  } else {
    refuseCredentials(definition);
    const local = new StateMachine(definition as unknown as LocalStateMachineDefinition);
    machine = { queryLanguage: 'JSONPath', machine: local };
  }
  machines.set(key, { mtimeMs, machine });
  return machine;
};

const toExecutionResult = (error: unknown): ExecutionResult => {
  if (error instanceof ExecutionTimeoutError) return { status: 'TIMED_OUT' };
  if (error instanceof ExecutionAbortedError) return { status: 'ABORTED' };
  if (error instanceof ExecutionError && error.cause instanceof Error) {
    return { status: 'FAILED', error: error.cause.name, cause: error.cause.message };
  }
  throw error;
};

/**
 * Run a state machine definition locally, every Task served by an injected handler: a JSONata
 * definition on the local JSONata engine (`runJsonataStateMachine`), a JSONPath one with
 * aws-local-stepfunctions. The Context object carries `Execution.Id`/`Name` and a
 * `State.EnteredTime` that reads the clock when a state evaluates it (a state's payload is
 * evaluated as it is entered, so this is its entered time).
 *
 * @returns `result` settles with the final {@link ExecutionResult}; `abort` stops the execution
 */
export const runStateMachine = (
  options: RunStateMachineOptions
): { result: Promise<ExecutionResult>; abort: () => void } => {
  const loaded = stateMachineFor(options.definitionPath, options.substitutions);
  const name = options.executionName ?? randomUUID();
  const stateMachineName = basename(options.definitionPath).replace(/(\.asl)?\.json$/, '');
  const stateMachineArn =
    options.arns?.stateMachine ?? `arn:aws:states:local:000000000000:stateMachine:${stateMachineName}`;
  const identities = {
    Execution: {
      Id: options.arns?.execution ?? `arn:aws:states:local:000000000000:execution:${stateMachineName}:${name}`,
      Name: name,
    },
    StateMachine: { Id: stateMachineArn, Name: stateMachineName },
  };
  if (loaded.queryLanguage === 'JSONata') {
    const { definitionPath: _path, executionName: _name, substitutions: _values, arns: _arns, ...run } = options;
    return runJsonataStateMachine(loaded.machine, { ...run, context: identities });
  }
  const stateMachine = loaded.machine;
  const state = {
    get EnteredTime(): string {
      return new Date().toISOString();
    },
  };
  const execution = stateMachine.run(options.input, {
    overrides: {
      taskResourceLocalHandlers: options.taskHandlers,
      waitTimeOverrides: options.waitTimeOverrides,
      retryIntervalOverrides: options.retryIntervalOverrides,
    },
    context: { ...identities, State: state },
  });
  const result = execution.result.then(
    (output): ExecutionResult => ({ status: 'SUCCEEDED', output }),
    toExecutionResult
  );
  return { result, abort: execution.abort };
};
