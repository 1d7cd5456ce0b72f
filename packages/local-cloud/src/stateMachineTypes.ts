/** The types a state machine run reads and writes, shared by both engines (no import of either). */

/** Any JSON value a state reads or writes. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The role a Task state's `Credentials` names (`RoleArn`, evaluated when it is a JSONata expression). */
export interface TaskCredentials {
  roleArn: string;
}

/**
 * Local stand-in for a Task state's `Resource`: receives the state's effective input
 * (its `Arguments`, or `Parameters` in JSONPath) and, when the state has `Credentials`, the role to call the service with;
 * returns the service response. Throw an error whose `name` is the Step Functions error
 * (see `toStatesError`) so `Retry` / `Catch` match.
 */
export type TaskHandler = (input: JsonValue, credentials?: TaskCredentials) => Promise<JsonValue> | JsonValue;

/** How a local execution ended, named like Step Functions execution statuses. */
export type ExecutionResult =
  | { status: 'SUCCEEDED'; output: JsonValue }
  | { status: 'FAILED'; error: string; cause: string }
  | { status: 'TIMED_OUT' }
  | { status: 'ABORTED' };
