import { toStatesError } from '../../../src/local/toStatesError';

describe('toStatesError', () => {
  it.each([
    { service: 'Kinesis', name: 'LimitExceededException', expected: 'Kinesis.LimitExceededException' },
    { service: 'Kinesis', name: 'ResourceNotFoundException', expected: 'Kinesis.ResourceNotFoundException' },
    { service: 'S3', name: 'NoSuchKey', expected: 'S3.NoSuchKeyException' },
    { service: 'EventBridge', name: 'EventBridge.FailedEntry', expected: 'EventBridge.FailedEntry' },
    { service: 'Kinesis', name: 'Error', expected: 'Kinesis.KinesisException' },
  ])('names a $service $name error $expected', ({ service, name, expected }) => {
    // Prepare
    const error = Object.assign(new Error('boom'), { name });

    // Act
    const statesError = toStatesError(service, error);

    // Assess
    expect(statesError.name).toBe(expected);
    expect(statesError.message).toBe('boom');
    expect(statesError.cause).toBe(error);
  });

  it('wraps a thrown non-Error value', () => {
    // Prepare
    const thrown = 'socket hang up';

    // Act
    const statesError = toStatesError('Kinesis', thrown);

    // Assess
    expect(statesError).toMatchObject({ name: 'Kinesis.KinesisException', message: thrown });
  });
});
