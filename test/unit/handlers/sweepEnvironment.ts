/**
 * The sweep function's environment (serverless.yml: the pipeline's variables plus the sweep's), over the unit tests'
 * account environment, with the key policy pre-flight in `warn` mode. Imported first by the sweep handler test, so the
 * handler's cold start reads it.
 */
import { HANDLER_ENVIRONMENT } from './handlerEnvironment';

Object.assign(process.env, {
  ...HANDLER_ENVIRONMENT,
  KEY_POLICY_CHECK: 'warn',
  SWEEP_BUCKET_NAME: 'sweep-bucket',
  SWEEP_DESCRIBE_PER_SECOND: '20',
});
