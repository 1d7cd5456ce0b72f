import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LambdaRuntime } from '../src/lambdaRuntime';

describe('LambdaRuntime after stop', () => {
  it('rejects a late async invocation to its caller only, with no unhandled rejection', async () => {
    // Prepare: an event delivered while the cloud shuts down (a late EventBridge delivery)
    const dir = mkdtempSync(join(tmpdir(), 'lambda-runtime-'));
    const runtime = new LambdaRuntime({
      endpoint: 'http://127.0.0.1:9',
      handlerPath: join(dir, 'never-loaded.ts'),
      functionName: 'late',
      logFile: join(dir, 'lambda.log'),
    });
    await runtime.stop();
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);

    try {
      // Act
      const late = runtime.invokeAsync('111122223333', 'eu-west-1', { late: true });

      // Assess
      await expect(late).rejects.toThrow('Lambda runtime is stopped');
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).not.toHaveBeenCalled();
      await runtime.idle();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});
