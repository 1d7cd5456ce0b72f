import { StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, StandardRetryToken } from '@smithy/types';
import { isKinesisRateLimit } from './kinesisFailure';

/**
 * Retry strategy for StartStreamEncryption. Standard backoff with jitter, except:
 * `LimitExceededException` is never retried (it may be the 25-keys-per-24h budget) unless it is the
 * control-plane rate limit ("Rate exceeded…", retried as throttling), and
 * `KMSThrottlingException` (a 400 the SDK does not retry) is retried as throttling.
 */
export class ApplyRetryStrategy extends StandardRetryStrategy {
  public override async refreshRetryTokenForRetry(
    token: StandardRetryToken,
    errorInfo: RetryErrorInfo
  ): Promise<StandardRetryToken> {
    const name = errorInfo.error?.name;
    if (name === 'LimitExceededException' && !isKinesisRateLimit(errorInfo.error)) {
      throw new Error('LimitExceededException is not retried for StartStreamEncryption');
    }
    const info: RetryErrorInfo =
      name === 'KMSThrottlingException' ? { ...errorInfo, errorType: 'THROTTLING' } : errorInfo;
    return super.refreshRetryTokenForRetry(token, info);
  }
}
