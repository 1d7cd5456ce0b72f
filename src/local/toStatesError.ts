/**
 * Turn an error thrown by an AWS SDK call into the error a Step Functions Task would raise,
 * so `Retry` / `Catch` match as in the cloud: `ServiceName.ErrorName`, always ending in `Exception`
 * (e.g. `Kinesis.LimitExceededException`). A name that already carries the prefix is kept.
 *
 * @param service - Step Functions service prefix, e.g. `Kinesis` or `EventBridge`
 * @param error - what the SDK call threw
 */
export const toStatesError = (service: string, error: unknown): Error => {
  const source = error instanceof Error ? error : new Error(String(error));
  const name = source.name && source.name !== 'Error' ? source.name : `${service}Exception`;
  const statesError = new Error(source.message, { cause: error });
  if (name.startsWith(`${service}.`)) {
    statesError.name = name;
  } else {
    statesError.name = `${service}.${name.endsWith('Exception') ? name : `${name}Exception`}`;
  }
  return statesError;
};
