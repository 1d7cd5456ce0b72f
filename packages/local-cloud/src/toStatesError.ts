/**
 * Step Functions names the error of an AWS SDK integration `ServiceName.ErrorName`, both PascalCase, with the
 * `Exception` suffix always present (AWS Step Functions Developer Guide, "Learning to use AWS service SDK
 * integrations in Step Functions", https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html:
 * `AcmPca.ResourceNotFoundException`, `S3.BucketAlreadyExistsException`).
 * ErrorName is the class name of the AWS SDK for Java 2.x, which PascalCases acronyms: the Kinesis API error
 * `KMSThrottlingException` is `Kinesis.KmsThrottlingException`. Client-side failures (no service answer) are
 * `ServiceName.SdkClientException`; an unknown service error is `ServiceName.<Service>Exception`.
 */

/**
 * API error name (as in the API Reference and the JavaScript SDK's `error.name`) → Step Functions error, for
 * the errors SDK-integration Task states meet. Kinesis: Amazon Kinesis Data Streams API Reference,
 * DescribeStreamSummary and PutRecord "Errors"; EventBridge: Amazon EventBridge API Reference, PutEvents.
 */
export const STATES_ERROR_NAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Kinesis: {
    AccessDeniedException: 'Kinesis.AccessDeniedException',
    InternalFailureException: 'Kinesis.InternalFailureException',
    InvalidArgumentException: 'Kinesis.InvalidArgumentException',
    KMSAccessDeniedException: 'Kinesis.KmsAccessDeniedException',
    KMSDisabledException: 'Kinesis.KmsDisabledException',
    KMSInvalidStateException: 'Kinesis.KmsInvalidStateException',
    KMSNotFoundException: 'Kinesis.KmsNotFoundException',
    KMSOptInRequired: 'Kinesis.KmsOptInRequiredException',
    KMSThrottlingException: 'Kinesis.KmsThrottlingException',
    LimitExceededException: 'Kinesis.LimitExceededException',
    ProvisionedThroughputExceededException: 'Kinesis.ProvisionedThroughputExceededException',
    ResourceInUseException: 'Kinesis.ResourceInUseException',
    ResourceNotFoundException: 'Kinesis.ResourceNotFoundException',
    ValidationException: 'Kinesis.ValidationException',
  },
  EventBridge: {
    InternalException: 'EventBridge.InternalException',
    ThrottlingException: 'EventBridge.ThrottlingException',
  },
};

/** Names JavaScript gives errors raised before or instead of a service answer. */
const CLIENT_SIDE = new Set(['Error', 'TypeError', 'RangeError', 'TimeoutError', 'AbortError']);

/** AWS SDK for Java 2.x class name of an API error: acronym runs PascalCased, `Exception` appended if missing. */
export const javaV2ExceptionName = (apiName: string): string => {
  const words = apiName.match(/[A-Z]+(?![a-z])|[A-Z][a-z0-9]*|[a-z0-9]+/g) ?? [apiName];
  const name = words.map((word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()).join('');
  return name.endsWith('Exception') ? name : `${name}Exception`;
};

const clientSide = (error: unknown): boolean =>
  !(error instanceof Error) || CLIENT_SIDE.has(error.name) || typeof (error as NodeJS.ErrnoException).code === 'string';

/**
 * Turn an error thrown by an AWS SDK call into the error a Step Functions Task would raise, so `Retry` /
 * `Catch` match as in the cloud. A name that already carries the service prefix is kept.
 *
 * @param service - Step Functions service prefix, e.g. `Kinesis` or `EventBridge`
 * @param error - what the SDK call threw
 */
export const toStatesError = (service: string, error: unknown): Error => {
  const source = error instanceof Error ? error : new Error(String(error));
  const statesError = new Error(source.message, { cause: error });
  if (source.name.startsWith(`${service}.`)) {
    statesError.name = source.name;
  } else if (clientSide(error)) {
    statesError.name = `${service}.SdkClientException`;
  } else {
    statesError.name = STATES_ERROR_NAMES[service]?.[source.name] ?? `${service}.${javaV2ExceptionName(source.name)}`;
  }
  return statesError;
};
