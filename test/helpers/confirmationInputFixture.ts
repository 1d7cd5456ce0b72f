import type { ConfirmationInput } from '../../src/domain/confirmationInput';

/** A state machine input as the Lambda writes it after StartStreamEncryption (override what a test is about). */
export const confirmationInputFixture = (overrides: Partial<ConfirmationInput> = {}): ConfirmationInput => ({
  eventId: 'd3b07384-d9a7-4e3b-8c5f-3a1e2f4b5c6d',
  streamArn: 'arn:aws:kinesis:eu-west-1:111122223333:stream/orders',
  streamName: 'orders',
  account: '111122223333',
  region: 'eu-west-1',
  keyId: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  eventBusName: 'governance',
  streamCreatedAt: '2025-03-01T10:00:00Z',
  appliedAt: '2025-03-01T10:00:01.250Z',
  applyLatencyMs: 1250,
  probe: false,
  trigger: 'CreateStream',
  policy: { mode: 'enforce', keySource: 'default' },
  otherKeyCompliance: 'Compliant',
  ...overrides,
});
