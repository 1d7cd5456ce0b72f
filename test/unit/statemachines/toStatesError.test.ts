import {
  CONFIRM_ENCRYPTION_ASL_PATH,
  javaV2ExceptionName,
  LOCAL_SUBSTITUTIONS,
  loadDefinition,
  STATES_ERROR_NAMES,
  toStatesError,
} from '../../../tools/dev';

/** Every ErrorEquals name of every Retry and Catch in the definition. */
const errorEquals = (): string[] =>
  Object.values(loadDefinition(CONFIRM_ENCRYPTION_ASL_PATH, LOCAL_SUBSTITUTIONS).States).flatMap((state) => {
    const { Retry = [], Catch = [] } = state as {
      Retry?: { ErrorEquals: string[] }[];
      Catch?: { ErrorEquals: string[] }[];
    };
    return [...Retry, ...Catch].flatMap(({ ErrorEquals }) => ErrorEquals);
  });

describe('toStatesError', () => {
  // AWS Step Functions Developer Guide, "Learning to use AWS service SDK integrations in Step Functions":
  // ServiceName.ErrorName in PascalCase, Exception suffix always added (AcmPca.ResourceNotFoundException,
  // S3.BucketAlreadyExists → S3.BucketAlreadyExistsException); error names are AWS SDK for Java 2.x class names.
  it.each([
    { service: 'Kinesis', name: 'LimitExceededException', expected: 'Kinesis.LimitExceededException' },
    { service: 'Kinesis', name: 'ResourceNotFoundException', expected: 'Kinesis.ResourceNotFoundException' },
    { service: 'Kinesis', name: 'KMSThrottlingException', expected: 'Kinesis.KmsThrottlingException' },
    { service: 'Kinesis', name: 'KMSAccessDeniedException', expected: 'Kinesis.KmsAccessDeniedException' },
    { service: 'Kinesis', name: 'KMSOptInRequired', expected: 'Kinesis.KmsOptInRequiredException' },
    { service: 'AcmPca', name: 'ResourceNotFoundException', expected: 'AcmPca.ResourceNotFoundException' },
    { service: 'S3', name: 'BucketAlreadyExists', expected: 'S3.BucketAlreadyExistsException' },
    { service: 'EventBridge', name: 'EventBridge.FailedEntry', expected: 'EventBridge.FailedEntry' },
    { service: 'Kinesis', name: 'TimeoutError', expected: 'Kinesis.SdkClientException' },
    { service: 'Kinesis', name: 'Error', expected: 'Kinesis.SdkClientException' },
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

  it.each([
    { case: 'a thrown non-Error value', thrown: 'socket hang up' as unknown },
    { case: 'a Node system error', thrown: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) },
  ])('names $case a client-side error', ({ thrown }) => {
    // Prepare
    const message = thrown instanceof Error ? thrown.message : String(thrown);

    // Act
    const statesError = toStatesError('Kinesis', thrown);

    // Assess
    expect(statesError).toMatchObject({ name: 'Kinesis.SdkClientException', message });
  });

  it.each(
    Object.entries(STATES_ERROR_NAMES).flatMap(([service, names]) =>
      Object.entries(names).map(([apiName, statesName]) => ({ service, apiName, statesName }))
    )
  )('table: $service $apiName is $statesName, as the Java 2.x naming gives it', ({ service, apiName, statesName }) => {
    // Act
    const derived = `${service}.${javaV2ExceptionName(apiName)}`;

    // Assess
    expect(derived).toBe(statesName);
  });

  it('catches and retries in the ASL only error names Step Functions raises', () => {
    // Prepare: names of the table, the integrations' own (EventBridge.FailedEntry: PutEvents with failed
    // entries), the SDK's client-side and base exceptions, and the States.* errors.
    const known = new Set([
      ...Object.values(STATES_ERROR_NAMES).flatMap((names) => Object.values(names)),
      'EventBridge.FailedEntry',
      ...Object.keys(STATES_ERROR_NAMES).flatMap((service) => [
        `${service}.SdkClientException`,
        `${service}.${service}Exception`,
      ]),
    ]);

    // Act
    const unknown = errorEquals().filter((name) => !name.startsWith('States.') && !known.has(name));

    // Assess
    expect(errorEquals()).toContain('Kinesis.KmsThrottlingException');
    expect(unknown).toEqual([]);
  });
});
