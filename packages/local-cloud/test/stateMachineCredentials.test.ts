import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStateMachine } from '../src/stateMachineRunner';

// Task `Credentials` make Step Functions assume a role for that task
// (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-access-cross-acct-resources.html); the local
// JSONata engine assumes them (jsonataStateMachine.test.ts), aws-local-stepfunctions (JSONPath) does not.
const jsonPathDefinitionWith = (credentials: Partial<Record<string, string>> | undefined): string => {
  const path = join(mkdtempSync(join(tmpdir(), 'asl-')), 'machine.asl.json');
  writeFileSync(
    path,
    JSON.stringify({
      StartAt: 'Describe',
      States: {
        Describe: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:kinesis:describeStreamSummary',
          Parameters: { 'StreamARN.$': '$.streamArn' },
          ...(credentials !== undefined && { Credentials: credentials }),
          End: true,
        },
      },
    })
  );
  return path;
};

const INPUT = { streamArn: 'arn:aws:kinesis:eu-west-1:222222222222:stream/s', roleArn: 'arn:aws:iam::2:role/m' };

describe('runStateMachine with a JSONPath definition', () => {
  it.each([
    { credentials: { 'RoleArn.$': '$.roleArn' } },
    { credentials: { RoleArn: 'arn:aws:iam::333333333333:role/fixed' } },
  ])('refuses Task Credentials $credentials rather than call with its own identity', ({ credentials }) => {
    // Act
    const act = () =>
      runStateMachine({
        definitionPath: jsonPathDefinitionWith(credentials),
        input: INPUT,
        taskHandlers: { Describe: () => ({}) },
      });

    // Assess
    expect(act).toThrow('State Describe: the local runner assumes Task Credentials in JSONata definitions only');
  });

  it('hands the handler the Parameters alone when the Task has no Credentials', async () => {
    // Prepare
    const seen: unknown[][] = [];

    // Act
    const { result } = runStateMachine({
      definitionPath: jsonPathDefinitionWith(undefined),
      input: INPUT,
      taskHandlers: {
        Describe: (...args) => {
          seen.push(args);
          return {};
        },
      },
    });

    // Assess
    expect(await result).toEqual({ status: 'SUCCEEDED', output: {} });
    expect(seen).toEqual([[{ StreamARN: INPUT.streamArn }]]);
  });
});
