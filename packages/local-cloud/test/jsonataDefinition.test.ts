import { runStateMachine } from '../src/stateMachineRunner';
import { jsonataMachineFile, RESOURCE } from './jsonataMachineFile';

// "Transforming data with JSONata in Step Functions"
// (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html): JSONata states have Arguments and
// Output instead of InputPath, Parameters, ResultSelector, ResultPath and OutputPath, and no ".$" key names.
const load =
  (states: Record<string, unknown>, topLevel: Record<string, unknown> = {}) =>
  () =>
    runStateMachine({
      definitionPath: jsonataMachineFile({ StartAt: 'A', States: states, ...topLevel }),
      input: {},
      taskHandlers: { A: () => ({}) },
    });

const task = (fields: Record<string, unknown>) => ({ A: { Type: 'Task', Resource: RESOURCE, End: true, ...fields } });

describe('loadJsonataStateMachine', () => {
  it.each([
    { states: { A: { Type: 'Pass', InputPath: '$.a', End: true } }, message: 'State A: unsupported field InputPath' },
    { states: task({ Parameters: { a: 1 } }), message: 'State A: unsupported field Parameters' },
    { states: task({ ResultSelector: { a: 1 } }), message: 'State A: unsupported field ResultSelector' },
    { states: task({ ResultPath: '$.r' }), message: 'State A: unsupported field ResultPath' },
    { states: { A: { Type: 'Pass', OutputPath: '$.a', End: true } }, message: 'State A: unsupported field OutputPath' },
    { states: task({ Arguments: { 'a.$': '$.a' } }), message: 'State A: unsupported field a.$' },
    {
      states: { A: { Type: 'Wait', SecondsPath: '$.s', End: true } },
      message: 'State A: unsupported field SecondsPath',
    },
    { states: { A: { Type: 'Fail', CausePath: '$.c' } }, message: 'State A: unsupported field CausePath' },
    { states: task({ HeartbeatSeconds: 10 }), message: 'State A: unsupported field HeartbeatSeconds' },
    {
      states: task({ Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.e', Next: 'A' }] }),
      message: 'State A Catch: unsupported field ResultPath',
    },
    {
      states: { A: { Type: 'Pass', QueryLanguage: 'JSONPath', End: true } },
      message: 'State A: unsupported field QueryLanguage JSONPath',
    },
    {
      states: { A: { Type: 'Parallel', Branches: [], End: true } },
      message: 'State A: unsupported state type Parallel',
    },
    { states: { A: { Type: 'Map', ItemProcessor: {}, End: true } }, message: 'State A: unsupported state type Map' },
    { states: { A: { Type: 'Pass', Next: 'Missing' } }, message: 'State machine definition is invalid' },
  ])('rejects $message at load time', ({ states, message }) => {
    // Act
    const act = load(states);

    // Assess
    expect(act).toThrow(message);
  });

  it('fails the execution with States.Runtime, not caught, when it reaches a Task state without a local handler', async () => {
    // Prepare: a handler may be left out for a Task the run never reaches (e.g. an opt-in probe)
    const definitionPath = jsonataMachineFile({
      StartAt: 'B',
      States: {
        B: { Type: 'Task', Resource: RESOURCE, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'C' }], End: true },
        C: { Type: 'Succeed' },
      },
    });

    // Act
    const { result } = runStateMachine({ definitionPath, input: {}, taskHandlers: {} });

    // Assess
    expect(await result).toEqual({
      status: 'FAILED',
      error: 'States.Runtime',
      cause: 'Task state B has no local task handler',
    });
  });

  it('accepts the supported subset', async () => {
    // Act
    const { result } = load(task({ Arguments: { a: '{% $states.input %}' }, Output: { done: true } }))();

    // Assess
    expect(await result).toEqual({ status: 'SUCCEEDED', output: { done: true } });
  });
});
