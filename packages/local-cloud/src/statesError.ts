/**
 * An error as a Step Functions state reports it: `name` is the error name `Retry` / `Catch` match, `message`
 * the cause (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
 */
export const statesError = (name: string, cause: string): Error => {
  const error = new Error(cause);
  error.name = name;
  return error;
};
