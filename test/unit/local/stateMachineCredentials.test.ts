import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JsonValue, runStateMachine, type TaskCredentials } from '../../../src/local/stateMachineRunner';

// Task `Credentials`: a fixed `RoleArn` or `RoleArn.$`, a path on the state input
// (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-access-cross-acct-resources.html).
const definitionWith = (credentials: Partial<Record<string, string>> | undefined): string => {
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

const INPUT = {
  streamArn: 'arn:aws:kinesis:eu-west-1:222222222222:stream/s',
  roleArn: 'arn:aws:iam::222222222222:role/m',
};

describe('runStateMachine with Task Credentials', () => {
  it.each([
    { credentials: { 'RoleArn.$': '$.roleArn' }, expected: { roleArn: INPUT.roleArn } },
    {
      credentials: { RoleArn: 'arn:aws:iam::333333333333:role/fixed' },
      expected: { roleArn: 'arn:aws:iam::333333333333:role/fixed' },
    },
    { credentials: undefined, expected: undefined },
  ])('hands the handler the role of $credentials and the Parameters alone', async ({ credentials, expected }) => {
    // Prepare
    const seen: { input: JsonValue; credentials?: TaskCredentials }[] = [];

    // Act
    const { result } = runStateMachine({
      definitionPath: definitionWith(credentials),
      input: INPUT,
      taskHandlers: {
        Describe: (input, taskCredentials) => {
          seen.push({ input, ...(taskCredentials !== undefined && { credentials: taskCredentials }) });
          return {};
        },
      },
    });

    // Assess
    expect(await result).toEqual({ status: 'SUCCEEDED', output: {} });
    expect(seen).toEqual([
      { input: { StreamARN: INPUT.streamArn }, ...(expected !== undefined && { credentials: expected }) },
    ]);
  });

  it('fails the execution when RoleArn.$ resolves to no role', async () => {
    // Act
    const { result } = runStateMachine({
      definitionPath: definitionWith({ 'RoleArn.$': '$.roleArn' }),
      input: { ...INPUT, roleArn: '' },
      taskHandlers: { Describe: () => ({}) },
    });

    // Assess
    expect(await result).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });
});
