/**
 * Jest `setupFiles` of the unit tests: runs before each test file loads any module, so the
 * handler's cold start sees the function environment whatever the import order.
 */
import { HANDLER_ENVIRONMENT } from './unit/handlers/handlerEnvironment';

Object.assign(process.env, HANDLER_ENVIRONMENT);
