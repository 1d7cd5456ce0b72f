import { AutoEncryptError, RetryableError } from './errors';

/** Machine-readable `{ name, message }` of an error, as completion events carry it. */
export interface ErrorSummary {
  name: string;
  message: string;
}

/** Summary of anything thrown; a domain error reports the service's own error code and message. */
export const errorSummary = (error: unknown): ErrorSummary => {
  if (error instanceof AutoEncryptError && error.code !== undefined) {
    const message = error.cause instanceof Error ? error.cause.message : error.message;
    return { name: error.code, message: message.slice(0, 1000) };
  }
  if (error instanceof Error) return { name: error.name, message: error.message.slice(0, 1000) };
  return { name: 'Error', message: String(error).slice(0, 1000) };
};

/** Anything thrown as a domain error: an unexpected one is retryable (the trigger comes back), never lost. */
export const asAutoEncryptError = (error: unknown): AutoEncryptError =>
  error instanceof AutoEncryptError
    ? error
    : new RetryableError(`Unexpected error: ${errorSummary(error).message}`, { cause: error });
