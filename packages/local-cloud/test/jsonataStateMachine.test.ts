import type { TransitionEvent } from '../src/jsonataStateMachine';
import { runStateMachine } from '../src/stateMachineRunner';
import type { JsonValue, TaskCredentials } from '../src/stateMachineTypes';
import { jsonataMachineFile, namedError, RESOURCE } from './jsonataMachineFile';

// AWS docs relied on below:
// TRANSFORMING = "Transforming data with JSONata in Step Functions",
//   https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
// VARIABLES = "Passing data between states with variables",
//   https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
// ERRORS = "Handling errors in Step Functions workflows",
//   https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
// CHOICE = "Choice workflow state", https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
// CONTEXT = "Accessing execution data from the Context object in Step Functions",
//   https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html

const run = (
  definition: Record<string, unknown>,
  input: JsonValue,
  options: Partial<Parameters<typeof runStateMachine>[0]> = {}
) => runStateMachine({ definitionPath: jsonataMachineFile(definition), input, taskHandlers: {}, ...options });

const task = (fields: Record<string, unknown> = {}) => ({ Type: 'Task', Resource: RESOURCE, End: true, ...fields });

describe('runJsonataStateMachine: Pass, variables, Succeed, Fail', () => {
  // TRANSFORMING: a "{% %}" string anywhere in Output is a JSONata expression; other strings are literals.
  // VARIABLES: Assign stores workflow variables read later as $name.
  it.each([
    { output: '{% $states.input.a + 1 %}', expected: 2 },
    {
      output: { sum: '{% $states.input.a + $later %}', literal: '$states.input.a' },
      expected: { sum: 11, literal: '$states.input.a' },
    },
    { output: undefined, expected: { a: 1 } },
  ])('Pass Output $output gives $expected', async ({ output, expected }) => {
    // Act
    const { result } = run(
      {
        StartAt: 'Remember',
        States: {
          Remember: { Type: 'Pass', Assign: { later: 10 }, Next: 'Shape' },
          Shape: { Type: 'Pass', ...(output !== undefined && { Output: output }), End: true },
        },
      },
      { a: 1 }
    );

    // Assess
    expect(await result).toEqual({ status: 'SUCCEEDED', output: expected });
  });

  it('evaluates Assign and Output against the variables as they were when the state began', async () => {
    // VARIABLES: "Assign and Output are evaluated in parallel"; assignments take effect after the state.
    // Act
    const { result } = run(
      {
        StartAt: 'First',
        States: {
          First: { Type: 'Pass', Assign: { x: 1 }, Next: 'Second' },
          Second: { Type: 'Pass', Assign: { x: '{% $x + 1 %}', y: '{% $x %}' }, Output: '{% $x %}', Next: 'Done' },
          Done: { Type: 'Succeed', Output: { input: '{% $states.input %}', x: '{% $x %}', y: '{% $y %}' } },
        },
      },
      {}
    );

    // Assess
    expect(await result).toEqual({ status: 'SUCCEEDED', output: { input: 1, x: 2, y: 1 } });
  });

  it.each([
    {
      error: '{% "Custom." & $states.input.kind %}',
      cause: '{% $string($states.input.n) %}',
      expected: { error: 'Custom.Bad', cause: '3' },
    },
    { error: 'Literal.Error', cause: 'plain', expected: { error: 'Literal.Error', cause: 'plain' } },
  ])('Fail reports Error $error and Cause $cause', async ({ error, cause, expected }) => {
    // Act
    const { result } = run(
      { StartAt: 'Stop', States: { Stop: { Type: 'Fail', Error: error, Cause: cause } } },
      { kind: 'Bad', n: 3 }
    );

    // Assess
    expect(await result).toEqual({ status: 'FAILED', ...expected });
  });

  it.each([
    { output: '{% $states.input.missing %}', cause: /State Shape, field Output: .*undefined/ },
    { output: { deep: '{% $unknownFunction() %}' }, cause: /State Shape, field Output\.deep: / },
  ])('fails with States.QueryEvaluationError when $output cannot be evaluated', async ({ output, cause }) => {
    // TRANSFORMING: a failed JSONata evaluation raises States.QueryEvaluationError (also listed in ERRORS).
    // Act
    const { result } = run({ StartAt: 'Shape', States: { Shape: { Type: 'Pass', Output: output, End: true } } }, {});

    // Assess
    const failure = await result;
    expect(failure).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    expect(failure.status === 'FAILED' && failure.cause).toMatch(cause);
  });
});

describe('runJsonataStateMachine: Task', () => {
  it('hands the handler the evaluated Arguments; Output defaults to the result; Assign reads $states.result', async () => {
    // Prepare
    const seen: JsonValue[] = [];
    const definition = {
      StartAt: 'Describe',
      States: {
        Describe: task({
          Arguments: { StreamARN: '{% $states.input.arn %}', Limit: 1 },
          Assign: { status: '{% $states.result.Status %}' },
          End: undefined,
          Next: 'Report',
        }),
        Report: { Type: 'Pass', Output: { previous: '{% $states.input %}', status: '{% $status %}' }, End: true },
      },
    };

    // Act
    const { result } = run(
      definition,
      { arn: 'arn:s' },
      {
        taskHandlers: {
          Describe: (input) => {
            seen.push(input);
            return { Status: 'ACTIVE' };
          },
        },
      }
    );

    // Assess
    expect(await result).toEqual({ status: 'SUCCEEDED', output: { previous: { Status: 'ACTIVE' }, status: 'ACTIVE' } });
    expect(seen).toEqual([{ StreamARN: 'arn:s', Limit: 1 }]);
  });

  it.each([
    {
      roleArn: '{% $states.input.role %}',
      input: { role: 'arn:aws:iam::2:role/m' },
      expected: { roleArn: 'arn:aws:iam::2:role/m' },
    },
    {
      roleArn: 'arn:aws:iam::3:role/fixed',
      input: { role: 'arn:aws:iam::2:role/unused' },
      expected: { roleArn: 'arn:aws:iam::3:role/fixed' },
    },
  ])('hands the handler the role of Credentials $roleArn', async ({ roleArn, input, expected }) => {
    // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-access-cross-acct-resources.html: Credentials.RoleArn
    // Prepare
    const seen: (TaskCredentials | undefined)[] = [];

    // Act
    const { result } = run({ StartAt: 'Call', States: { Call: task({ Credentials: { RoleArn: roleArn } }) } }, input, {
      taskHandlers: {
        Call: (_input, credentials) => {
          seen.push(credentials);
          return {};
        },
      },
    });

    // Assess
    expect(await result).toEqual({ status: 'SUCCEEDED', output: {} });
    expect(seen).toEqual([expected]);
  });

  it('fails with States.Runtime, never caught, when the Credentials role is empty', async () => {
    // ERRORS: States.ALL cannot catch States.Runtime.
    // Act
    const { result } = run(
      {
        StartAt: 'Call',
        States: {
          Call: task({
            Credentials: { RoleArn: '{% $states.input.role %}' },
            Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          }),
          Caught: { Type: 'Succeed' },
        },
      },
      { role: '' },
      { taskHandlers: { Call: () => ({}) } }
    );

    // Assess
    expect(await result).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  it('fails the execution with the error name and message when nothing catches it', async () => {
    // ERRORS: an uncaught error fails the whole execution.
    // Act
    const { result } = run(
      { StartAt: 'Call', States: { Call: task() } },
      {},
      {
        taskHandlers: {
          Call: () => {
            throw namedError('Kinesis.ResourceNotFoundException', 'Stream s not found');
          },
        },
      }
    );

    // Assess
    expect(await result).toEqual({
      status: 'FAILED',
      error: 'Kinesis.ResourceNotFoundException',
      cause: 'Stream s not found',
    });
  });

  it.each([
    { errorEquals: ['States.Timeout'], expected: { status: 'SUCCEEDED', output: 'fast' }, calls: 2 },
    // ERRORS: States.TaskFailed matches any error except States.Timeout.
    { errorEquals: ['States.TaskFailed'], expected: { status: 'FAILED', error: 'States.Timeout' }, calls: 1 },
  ])('raises States.Timeout past TimeoutSeconds; retrier $errorEquals', async ({ errorEquals, expected, calls }) => {
    // https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html: TimeoutSeconds → States.Timeout
    // Prepare
    let count = 0;
    const handler = () =>
      ++count === 1 ? new Promise<JsonValue>((resolve) => setTimeout(() => resolve('slow'), 600)) : 'fast';

    // Act
    const { result } = run(
      {
        StartAt: 'Call',
        States: { Call: task({ TimeoutSeconds: '{% 0.2 %}', Retry: [{ ErrorEquals: errorEquals }] }) },
      },
      {},
      { taskHandlers: { Call: handler }, retryIntervalOverrides: { Call: 0 } }
    );

    // Assess
    expect(await result).toMatchObject(expected);
    expect(count).toBe(calls);
  });
});

describe('runJsonataStateMachine: Retry and Catch', () => {
  it.each([
    { retry: [{ ErrorEquals: ['Custom.Flaky'] }], calls: 4 }, // MaxAttempts defaults to 3
    { retry: [{ ErrorEquals: ['Custom.Flaky'], MaxAttempts: 0 }], calls: 1 },
    { retry: [{ ErrorEquals: ['Custom.Flaky'], MaxAttempts: 2 }], calls: 3 },
    { retry: [{ ErrorEquals: ['Custom.Other'] }], calls: 1 },
    { retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 1 }], calls: 2 },
    { retry: [{ ErrorEquals: ['States.TaskFailed'], MaxAttempts: 1 }], calls: 2 },
    // The first matching retrier applies, even when exhausted (ERRORS: "retriers are evaluated in order").
    {
      retry: [
        { ErrorEquals: ['Custom.Flaky'], MaxAttempts: 1 },
        { ErrorEquals: ['States.ALL'], MaxAttempts: 5 },
      ],
      calls: 2,
    },
  ])('calls an always failing handler $calls times with Retry $retry', async ({ retry, calls }) => {
    // Prepare
    let count = 0;

    // Act
    const { result } = run(
      { StartAt: 'Call', States: { Call: task({ Retry: retry }) } },
      {},
      {
        taskHandlers: {
          Call: () => {
            count++;
            throw namedError('Custom.Flaky');
          },
        },
        retryIntervalOverrides: { Call: 0 },
      }
    );

    // Assess
    expect(await result).toEqual({ status: 'FAILED', error: 'Custom.Flaky', cause: 'Custom.Flaky happened' });
    expect(count).toBe(calls);
  });

  it('counts the attempts of each retrier apart', async () => {
    // Prepare
    const errors = ['Custom.A', 'Custom.B', 'Custom.A'];
    let count = 0;

    // Act
    const { result } = run(
      {
        StartAt: 'Call',
        States: {
          Call: task({
            Retry: [
              { ErrorEquals: ['Custom.A'], MaxAttempts: 1 },
              { ErrorEquals: ['Custom.B'], MaxAttempts: 1 },
            ],
          }),
        },
      },
      {},
      {
        taskHandlers: {
          Call: () => {
            throw namedError(errors[count++] ?? 'Custom.Never');
          },
        },
        retryIntervalOverrides: { Call: 0 },
      }
    );

    // Assess
    expect(await result).toMatchObject({ status: 'FAILED', error: 'Custom.A' });
    expect(count).toBe(3);
  });

  it('waits the overridden interval before each retry and reports every transition', async () => {
    // Prepare
    const events: TransitionEvent[] = [];
    let count = 0;
    const started = Date.now();

    // Act
    const { result } = run(
      {
        StartAt: 'Start',
        States: {
          Start: { Type: 'Pass', Next: 'Call' },
          Call: task({ Retry: [{ ErrorEquals: ['Custom.Flaky'], IntervalSeconds: 30 }], End: undefined, Next: 'Done' }),
          Done: { Type: 'Succeed' },
        },
      },
      {},
      {
        taskHandlers: {
          Call: () => {
            if (++count < 3) throw namedError('Custom.Flaky');
            return 'ok';
          },
        },
        retryIntervalOverrides: { Call: 100 },
        onTransition: (event) => events.push(event),
      }
    );

    // Assess
    expect(await result).toEqual({ status: 'SUCCEEDED', output: 'ok' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(events).toEqual([
      { type: 'StateEntered', stateName: 'Start' },
      { type: 'StateEntered', stateName: 'Call' },
      { type: 'StateRetried', stateName: 'Call' },
      { type: 'StateRetried', stateName: 'Call' },
      { type: 'StateEntered', stateName: 'Done' },
    ]);
  });

  it.each([
    { catcher: {}, expected: { Error: 'Custom.Broken', Cause: 'it broke' } },
    {
      catcher: {
        Output: { was: '{% $states.input.id %}', error: '{% $states.errorOutput.Error %}' },
        Assign: { cause: '{% $states.errorOutput.Cause %}' },
      },
      expected: { was: 'i-1', error: 'Custom.Broken', cause: 'it broke' },
    },
  ])('Catch $catcher goes to Next with its Output and Assign', async ({ catcher, expected }) => {
    // ERRORS / VARIABLES: in a Catch, $states.errorOutput is { Error, Cause } and the default output.
    // Act
    const { result } = run(
      {
        StartAt: 'Call',
        States: {
          Call: task({
            Catch: [
              { ErrorEquals: ['Custom.Other'], Next: 'Wrong' },
              { ErrorEquals: ['States.ALL'], Next: 'Caught', ...catcher },
            ],
          }),
          Wrong: { Type: 'Fail', Error: 'Wrong' },
          Caught: {
            Type: 'Pass',
            Output: '{% $exists($cause) ? $merge([$states.input, {"cause": $cause}]) : $states.input %}',
            End: true,
          },
        },
      },
      { id: 'i-1' },
      {
        taskHandlers: {
          Call: () => {
            throw namedError('Custom.Broken', 'it broke');
          },
        },
      }
    );

    // Assess
    expect(await result).toEqual({ status: 'SUCCEEDED', output: expected });
  });
});

describe('runJsonataStateMachine: Choice and Wait', () => {
  const choice = {
    StartAt: 'Pick',
    States: {
      Pick: {
        Type: 'Choice',
        Assign: { picked: 'state' },
        Choices: [
          {
            Condition: '{% $states.input.n > 10 %}',
            Next: 'Done',
            Assign: { picked: 'big' },
            Output: '{% $states.input.n * 2 %}',
          },
          { Condition: '{% $states.input.n > 5 %}', Next: 'Done' },
          { Condition: '{% $states.input.n > 0 %}', Next: 'Done', Assign: { picked: 'small' } },
        ],
        Default: 'Done',
      },
      Done: { Type: 'Succeed', Output: { input: '{% $states.input %}', picked: '{% $picked %}' } },
    },
  };

  // CHOICE: the first rule whose Condition is true wins; its Assign applies, as does the state-level Assign
  // whichever rule matches; no match goes to Default.
  it.each([
    { n: 20, expected: { input: 40, picked: 'big' } },
    { n: 7, expected: { input: { n: 7 }, picked: 'state' } },
    { n: 1, expected: { input: { n: 1 }, picked: 'small' } },
    { n: -1, expected: { input: { n: -1 }, picked: 'state' } },
  ])('n = $n goes through the Choice as $expected', async ({ n, expected }) => {
    // Act
    const { result } = run(choice, { n });

    // Assess
    expect(await result).toEqual({ status: 'SUCCEEDED', output: expected });
  });

  it.each([
    { condition: '{% $states.input.n > 5 %}', error: 'States.NoChoiceMatched' },
    { condition: '{% $states.input.n %}', error: 'States.QueryEvaluationError' },
  ])('fails with $error when no Default and Condition $condition', async ({ condition, error }) => {
    // CHOICE: no rule true and no Default → an error (States.NoChoiceMatched, ERRORS).
    // Act
    const { result } = run(
      {
        StartAt: 'Pick',
        States: {
          Pick: { Type: 'Choice', Choices: [{ Condition: condition, Next: 'Done' }] },
          Done: { Type: 'Succeed' },
        },
      },
      { n: 1 }
    );

    // Assess
    expect(await result).toMatchObject({ status: 'FAILED', error });
  });

  it.each([{ wait: { Seconds: 3600 } }, { wait: { Timestamp: '{% $states.input.at %}' } }])(
    'waits the overridden time instead of $wait',
    async ({ wait }) => {
      // https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html: Seconds or Timestamp, Output, Assign
      // Prepare
      const started = Date.now();

      // Act
      const { result } = run(
        { StartAt: 'Hold', States: { Hold: { Type: 'Wait', ...wait, Output: '{% $states.input.at %}', End: true } } },
        { at: '2999-01-01T00:00:00Z' },
        { waitTimeOverrides: { Hold: 50 } }
      );

      // Assess
      expect(await result).toEqual({ status: 'SUCCEEDED', output: '2999-01-01T00:00:00Z' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    }
  );
});

describe('runJsonataStateMachine: execution', () => {
  it('ends TIMED_OUT past the top-level TimeoutSeconds', async () => {
    // Act
    const { result } = run(
      { TimeoutSeconds: 1, StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 60, End: true } } },
      {}
    );

    // Assess
    expect(await result).toEqual({ status: 'TIMED_OUT' });
  });

  it('ends ABORTED when aborted during a Task', async () => {
    // Prepare
    let called!: () => void;
    const calledOnce = new Promise<void>((resolve) => (called = resolve));

    // Act
    const { result, abort } = run(
      { StartAt: 'Call', States: { Call: task() } },
      {},
      {
        taskHandlers: {
          Call: () => {
            called();
            return new Promise<JsonValue>(() => undefined);
          },
        },
      }
    );
    await calledOnce;
    abort();

    // Assess
    expect(await result).toEqual({ status: 'ABORTED' });
  });

  it('gives each attempt the Context object of the state: Name, EnteredTime, RetryCount', async () => {
    // CONTEXT: $states.context.State.EnteredTime is when the state was entered; RetryCount counts retries.
    // Prepare
    const seen: JsonValue[] = [];
    const started = new Date().toISOString();

    // Act
    const { result } = run(
      {
        StartAt: 'Call',
        States: { Call: task({ Arguments: '{% $states.context %}', Retry: [{ ErrorEquals: ['States.ALL'] }] }) },
      },
      { a: 1 },
      {
        executionName: 'run-1',
        retryIntervalOverrides: { Call: 20 },
        taskHandlers: {
          Call: (context) => {
            seen.push(context);
            if (seen.length < 2) throw namedError('Custom.Flaky');
            return 'ok';
          },
        },
      }
    );

    // Assess
    expect(await result).toEqual({ status: 'SUCCEEDED', output: 'ok' });
    const [first, second] = seen as { Execution: Record<string, JsonValue>; State: Record<string, JsonValue> }[];
    expect(first?.Execution).toMatchObject({
      Name: 'run-1',
      Input: { a: 1 },
      Id: expect.stringMatching(/:execution:machine:run-1$/),
    });
    expect(first?.State).toMatchObject({ Name: 'Call', RetryCount: 0 });
    expect(second?.State).toEqual({ ...first?.State, RetryCount: 1 });
    expect(String(first?.State.EnteredTime) >= started).toBe(true);
    expect(String(first?.Execution.StartTime) <= String(first?.State.EnteredTime)).toBe(true);
  });
});
