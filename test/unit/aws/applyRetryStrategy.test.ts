import type { SdkError } from '@smithy/types';
import { ApplyRetryStrategy } from '../../../src/aws/applyRetryStrategy';

const errorNamed = (name: string): SdkError =>
  Object.assign(new Error(name), { name, $metadata: {} }) as unknown as SdkError;

describe('ApplyRetryStrategy', () => {
  it('never retries LimitExceededException (the 25-keys-per-24h budget)', async () => {
    // Prepare
    const strategy = new ApplyRetryStrategy(async () => 4);
    const token = await strategy.acquireInitialRetryToken('kinesis');

    // Act & Assess
    await expect(
      strategy.refreshRetryTokenForRetry(token, {
        error: errorNamed('LimitExceededException'),
        errorType: 'THROTTLING',
      })
    ).rejects.toThrow(/not retried/);
  });

  it('retries the control-plane rate limit, also named LimitExceededException, as throttling', async () => {
    // Prepare: wording as Kinesis sends it (awslabs/amazon-kinesis-scaling-utils#52)
    const strategy = new ApplyRetryStrategy(async () => 4);
    const token = await strategy.acquireInitialRetryToken('kinesis');
    const error = Object.assign(errorNamed('LimitExceededException'), {
      message: 'Rate exceeded for stream orders under account 123456789012.',
    });

    // Act
    const next = await strategy.refreshRetryTokenForRetry(token, { error, errorType: 'THROTTLING' });

    // Assess
    expect(next.getRetryCount()).toBe(1);
  });

  it('retries KMSThrottlingException as throttling with a growing delay', async () => {
    // Prepare
    const strategy = new ApplyRetryStrategy(async () => 4);
    const token = await strategy.acquireInitialRetryToken('kinesis');

    // Act
    const next = await strategy.refreshRetryTokenForRetry(token, {
      error: errorNamed('KMSThrottlingException'),
      errorType: 'CLIENT_ERROR',
    });

    // Assess
    expect(next.getRetryCount()).toBe(1);
    expect(next.getRetryDelay()).toBeGreaterThanOrEqual(0);
  });

  it.each([['CLIENT_ERROR' as const], ['SERVER_ERROR' as const]])(
    'keeps the standard decision for other errors (%s)',
    async (errorType) => {
      // Prepare
      const strategy = new ApplyRetryStrategy(async () => 4);
      const token = await strategy.acquireInitialRetryToken('kinesis');

      // Act & Assess
      await expect(
        strategy.refreshRetryTokenForRetry(token, { error: errorNamed('InvalidArgumentException'), errorType })
      ).rejects.toThrow();
    }
  );

  it('gives up after the configured attempts', async () => {
    // Prepare
    const strategy = new ApplyRetryStrategy(async () => 2);
    let token = await strategy.acquireInitialRetryToken('kinesis');
    const info = { error: errorNamed('KMSThrottlingException'), errorType: 'CLIENT_ERROR' as const };
    token = await strategy.refreshRetryTokenForRetry(token, info);

    // Act & Assess
    await expect(strategy.refreshRetryTokenForRetry(token, info)).rejects.toThrow();
  });
});
