import type { CompletionDetail } from '../../../src/completion/completionDetail';
import { Outcome } from '../../../src/domain/outcome';
import type { Trigger } from '../../../src/domain/streamRequest';
import { completionMetrics } from '../../../src/metrics/completionMetrics';
import { FailureReason, failureReasonOf, MetricName } from '../../../src/metrics/metricNames';
import { completionFixture } from '../../helpers/completionFixture';

const names = (detail: Parameters<typeof completionMetrics>[0]) =>
  completionMetrics(detail).values.map((value) => value.name);

describe('completionMetrics', () => {
  it.each(Object.values(Outcome))('counts a %s completion once under its own name', (outcome) => {
    // Prepare
    const detail = completionFixture(outcome, { encryptionType: 'KMS' });

    // Act
    const counted = names(detail);

    // Assess
    expect(counted.filter((name) => name === outcome)).toHaveLength(1);
    for (const other of Object.values(Outcome).filter((name) => name !== outcome)) {
      expect(counted).not.toContain(other);
    }
  });

  it.each<[Trigger, MetricName[]]>([
    ['StopStreamEncryption', [MetricName.DriftRepaired]],
    ['StartStreamEncryption', [MetricName.DriftRepaired]],
    ['CreateStream', []],
    ['TagsChanged', []],
  ])('an Encrypted completion of trigger %s records time, exposure and %j', (trigger, extra) => {
    // Prepare
    const detail = completionFixture(Outcome.Encrypted, { trigger, timeToEncryptedMs: 4000, exposureMs: 9000 });

    // Act
    const { values } = completionMetrics(detail);

    // Assess
    expect(values).toEqual([
      { name: 'Encrypted', unit: 'Count', value: 1 },
      { name: 'TimeToEncrypted', unit: 'Milliseconds', value: 4000 },
      { name: 'ExposureSeconds', unit: 'Seconds', value: 9 },
      ...extra.map((name) => ({ name, unit: 'Count', value: 1 })),
    ]);
  });

  it.each<[string, CompletionDetail['streamStatus'], CompletionDetail['encryptionType'], MetricName[]]>([
    ['KeyBudgetReserved', 'ACTIVE', 'NONE', [MetricName.KeyBudgetLow, MetricName.LeftUnencrypted]],
    ['Flapping', 'ACTIVE', 'NONE', [MetricName.Flapping, MetricName.LeftUnencrypted]],
    ['ConfirmationTimedOut', 'UPDATING', 'KMS', [MetricName.LeftUnencrypted]],
    ['ConfirmationTimedOut', null, null, [MetricName.LeftUnencrypted]],
    ['EncryptionMismatch', 'ACTIVE', 'KMS', []],
  ])('a Failed %s completion (%s, encryption %s) also counts %j', (name, streamStatus, encryptionType, extra) => {
    // Prepare
    const detail = completionFixture(Outcome.Failed, { error: { name, message: 'x' }, streamStatus, encryptionType });

    // Act
    const result = completionMetrics(detail);

    // Assess
    expect(result.values.map((value) => value.name)).toEqual(['Failed', ...extra]);
    expect(result.failureReason).toBe(name);
  });

  // Issue 20, item 6: the metrics count compliance apart from the outcome; an unencrypted stream whose key cannot be
  // applied is a Failed outcome and a NonCompliant stream.
  it.each<[string, Outcome, CompletionDetail['compliance']]>([
    ['the desired key disabled, unencrypted', Outcome.Failed, 'NonCompliant'],
    ["a team's key, the desired key disabled", Outcome.Failed, 'Compliant'],
    ['an audit finding', Outcome.NonCompliant, 'NonCompliant'],
    ['a stream gone', Outcome.Skipped, 'NotChecked'],
    ['exempt', Outcome.Exempt, 'Exempt'],
  ])('%s: outcome %s, compliance %s', (_label, outcome, compliance) => {
    // Prepare
    const detail = completionFixture(outcome, { compliance });

    // Act
    const result = completionMetrics(detail);

    // Assess
    expect(result.compliance).toBe(compliance);
    expect(result.values.map((value) => value.name)).toContain(outcome);
  });

  it('keeps account, region and stream as properties, never as values', () => {
    // Prepare
    const detail = completionFixture(Outcome.AlreadyCompliant);

    // Act
    const { properties } = completionMetrics(detail);

    // Assess
    expect(properties).toEqual({
      outcome: 'AlreadyCompliant',
      compliance: 'Compliant',
      account: '123456789012',
      region: 'eu-west-1',
      eventId: 'evt-AlreadyCompliant',
      streamName: 'orders',
      streamArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders',
      trigger: 'CreateStream',
      why: 'AlreadyCompliant for the test',
    });
  });

  it.each([
    ['Kinesis.AccessDeniedException', 'KinesisCallFailed'],
    ['SomethingNew', 'Other'],
    [undefined, 'Other'],
    ['LimitExceededError', 'LimitExceededError'],
  ])('bounds the failure reason %s to %s', (name, reason) => {
    // Act
    const bounded = failureReasonOf(name);

    // Assess
    expect(bounded).toBe(reason);
    expect(FailureReason).toContain(bounded);
  });
});
