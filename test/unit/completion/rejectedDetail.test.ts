import { redactEvent, rejectedDetail } from '../../../src/completion/rejectedDetail';
import { InvalidEventError } from '../../../src/domain/errors';
import { completionEventErrors } from '../../helpers/completionEventSchema';
import { completionEvent } from '../../helpers/completionFixture';
import { createStreamEvent } from '../../helpers/createStreamEvent';

describe('redactEvent', () => {
  it('drops identities, IPs and user agents but keeps what explains the rejection', () => {
    // Prepare
    const event = createStreamEvent({
      detail: { errorCode: 'ResourceInUseException', tlsDetails: { clientProvidedHostHeader: 'h' } },
    });

    // Act
    const redacted = JSON.stringify(redactEvent(event));

    // Assess
    expect(redacted).not.toMatch(/userIdentity|sourceIPAddress|userAgent|tlsDetails|ASIA|alice|203\.0\.113/);
    expect(redacted).toMatch(/ResourceInUseException/);
    expect(redacted).toMatch(/"streamName":"orders"/);
  });

  it.each([
    ['a huge string', { detail: { requestParameters: { streamName: 'x'.repeat(1_000_000) } } }, 20_000],
    ['a deep object', JSON.parse(`${'{"a":'.repeat(200)}1${'}'.repeat(200)}`), 20_000],
    ['a long array', { detail: { requestParameters: { tags: Array.from({ length: 10_000 }, (_, i) => i) } } }, 20_000],
  ])('caps %s', (_label, event, max) => {
    // Act
    const size = JSON.stringify(redactEvent(event)).length;

    // Assess
    expect(size).toBeLessThan(max);
  });

  it.each([[null], [42], ['text'], [[1, 2]]])('accepts a non-object %j', (event) => {
    // Act & Assess
    expect(() => JSON.stringify(redactEvent(event))).not.toThrow();
  });
});

describe('rejectedDetail', () => {
  it('carries the issues, the ids it could read and the redacted event', () => {
    // Prepare
    const event = createStreamEvent({ eventId: 'e-9', detail: { eventName: 'DeleteStream' } });
    const error = new InvalidEventError([{ path: 'detail.eventName', message: 'expected CreateStream' }]);

    // Act
    const detail = rejectedDetail(event, error);

    // Assess
    expect(detail).toMatchObject({
      version: '3',
      outcome: 'Rejected',
      compliance: 'NotChecked',
      eventId: 'e-9',
      account: '123456789012',
      region: 'eu-west-1',
      streamName: 'orders',
      issues: [{ path: 'detail.eventName', message: 'expected CreateStream' }],
      error: { name: 'InvalidEventError' },
    });
    expect(detail.rejectedEvent).toBeDefined();
  });

  it.each([
    ['an ARN of another account', 'arn:aws:kinesis:eu-west-1:210987654321:stream/orders', 'orders'],
    ['a string that is no ARN', 'not-an-arn', null],
  ])('names the stream of a call that gave only %s', (_label, streamARN, streamName) => {
    // Prepare
    const event = createStreamEvent({
      detail: { eventName: 'StopStreamEncryption', requestParameters: { streamARN } },
    });
    const error = new InvalidEventError([{ path: 'detail.requestParameters.streamARN', message: 'x' }]);

    // Act
    const detail = rejectedDetail(event, error);

    // Assess
    expect(detail.streamName).toBe(streamName);
  });

  it.each([
    ['a CloudTrail eventTime', '2026-11-25T10:00:00Z', '2026-11-25T10:00:00Z'],
    ['an eventTime that is no date-time', 'yesterday', null],
    ['no eventTime', undefined, null],
  ])(
    'keeps %s as streamCreatedAt only when it is a date-time: the event stays valid',
    (_label, eventTime, expected) => {
      // Prepare
      const event = createStreamEvent({ detail: { eventTime } });
      const error = new InvalidEventError([{ path: 'detail.eventTime', message: 'expected an ISO-8601 date-time' }]);

      // Act
      const detail = rejectedDetail(event, error);

      // Assess
      expect(detail.timestamps.streamCreatedAt).toBe(expected);
      expect(completionEventErrors(completionEvent(detail))).toEqual([]);
    }
  );
});
