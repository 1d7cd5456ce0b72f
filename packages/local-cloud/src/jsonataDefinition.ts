import type { Catcher, Retrier } from './statesRetry';

/** One state of a JSONata state machine, as the local engine runs it. */
export interface JsonataState {
  Type: 'Pass' | 'Task' | 'Choice' | 'Wait' | 'Succeed' | 'Fail';
  Next?: string;
  End?: boolean;
  Output?: unknown;
  Assign?: Record<string, unknown>;
  Arguments?: unknown;
  Credentials?: { RoleArn: unknown };
  TimeoutSeconds?: unknown;
  Retry?: Retrier[];
  Catch?: Catcher[];
  Choices?: { Condition: unknown; Next: string; Output?: unknown; Assign?: Record<string, unknown> }[];
  Default?: string;
  Seconds?: unknown;
  Timestamp?: unknown;
  Error?: unknown;
  Cause?: unknown;
}

/** A validated JSONata state machine (`"QueryLanguage": "JSONata"` at top level). */
export interface JsonataStateMachine {
  StartAt: string;
  States: Record<string, JsonataState>;
  TimeoutSeconds?: number;
}

type AslValidator = (
  definition: unknown,
  options: { checkArn: boolean; checkPaths: boolean }
) => { isValid: boolean; errorsText: (separator?: string) => string };
const validate = require('asl-validator') as AslValidator;

const COMMON = ['Type', 'Comment', 'QueryLanguage'];
const FLOW = ['Next', 'End', 'Output', 'Assign'];
/** The fields each supported state type may carry in this engine; anything else is rejected. */
const FIELDS: Readonly<Record<JsonataState['Type'], readonly string[]>> = {
  Pass: [...COMMON, ...FLOW],
  Task: [...COMMON, ...FLOW, 'Resource', 'Arguments', 'Credentials', 'TimeoutSeconds', 'Retry', 'Catch'],
  Choice: [...COMMON, 'Choices', 'Default', 'Output', 'Assign'],
  Wait: [...COMMON, ...FLOW, 'Seconds', 'Timestamp'],
  Succeed: [...COMMON, 'Output'],
  Fail: [...COMMON, 'Error', 'Cause'],
};
const TOP_LEVEL = ['Comment', 'QueryLanguage', 'StartAt', 'States', 'TimeoutSeconds', 'Version'];
const RETRIER = ['ErrorEquals', 'IntervalSeconds', 'MaxAttempts', 'BackoffRate', 'MaxDelaySeconds', 'JitterStrategy'];
const CATCHER = ['ErrorEquals', 'Next', 'Output', 'Assign'];
const CHOICE_RULE = ['Condition', 'Next', 'Output', 'Assign'];

const unsupported = (where: string, field: string): Error =>
  new Error(`${where}: unsupported field ${field} (the local JSONata engine runs a subset of ASL)`);

const onlyFields = (where: string, value: unknown, allowed: readonly string[]): void => {
  if (value === null || typeof value !== 'object') return;
  for (const field of Object.keys(value)) {
    if (!allowed.includes(field) && field !== 'Comment') throw unsupported(where, field);
  }
};

/** JSONPath's `"key.$"` has no meaning in JSONata states: reject it anywhere in a state. */
const noPathKeys = (where: string, value: unknown): void => {
  if (value === null || typeof value !== 'object') return;
  for (const [key, nested] of Object.entries(value)) {
    if (key.endsWith('.$')) throw unsupported(where, key);
    noPathKeys(where, nested);
  }
};

const checkState = (name: string, state: Record<string, unknown>): void => {
  const where = `State ${name}`;
  const allowed = FIELDS[state.Type as JsonataState['Type']];
  if (allowed === undefined) throw new Error(`${where}: unsupported state type ${String(state.Type)}`);
  if (state.QueryLanguage !== undefined && state.QueryLanguage !== 'JSONata') {
    throw unsupported(where, `QueryLanguage ${String(state.QueryLanguage)}`);
  }
  onlyFields(where, state, allowed);
  noPathKeys(where, state);
  for (const retrier of (state.Retry as unknown[] | undefined) ?? []) onlyFields(`${where} Retry`, retrier, RETRIER);
  for (const catcher of (state.Catch as unknown[] | undefined) ?? []) onlyFields(`${where} Catch`, catcher, CATCHER);
  for (const rule of (state.Choices as unknown[] | undefined) ?? []) onlyFields(`${where} Choices`, rule, CHOICE_RULE);
  onlyFields(`${where} Credentials`, state.Credentials, ['RoleArn']);
};

/**
 * Check a parsed definition for the local JSONata engine: valid ASL (asl-validator), `"QueryLanguage": "JSONata"`
 * at top level, and only the states and fields the engine implements.
 *
 * @throws an Error naming the state and the unsupported field, or listing the validator's findings
 */
export const loadJsonataStateMachine = (definition: Record<string, unknown>): JsonataStateMachine => {
  if (definition.QueryLanguage !== 'JSONata') {
    throw new Error(
      `The local JSONata engine needs "QueryLanguage": "JSONata", not ${String(definition.QueryLanguage)}`
    );
  }
  onlyFields('State machine', definition, TOP_LEVEL);
  for (const [name, state] of Object.entries((definition.States ?? {}) as Record<string, Record<string, unknown>>)) {
    checkState(name, state);
  }
  // The validator writes each state's QueryLanguage into the definition it checks: give it a copy.
  const { isValid, errorsText } = validate(structuredClone(definition), { checkArn: true, checkPaths: true });
  if (!isValid) throw new Error(`State machine definition is invalid:\n${errorsText('\n')}`);
  return definition as unknown as JsonataStateMachine;
};
