import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';

/** Idempotency key: the CloudTrail event id, identical across EventBridge and Lambda redeliveries. */
const IDEMPOTENCY_KEY_PATH = 'detail.eventID';

/** Idempotency settings of the handler; records outlive EventBridge and Lambda redelivery windows. */
export const idempotencyConfigFor = (expiresAfterSeconds: number): IdempotencyConfig =>
  new IdempotencyConfig({
    eventKeyJmesPath: IDEMPOTENCY_KEY_PATH,
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds,
  });
