import {
  createMetrics,
  publishCompletionMetrics,
  publishSweepMetrics,
} from '../../../src/aws/completionMetricsPublisher';
import { Outcome } from '../../../src/domain/outcome';
import { completionFixture } from '../../helpers/completionFixture';
import { captureEmf, emfErrors, metricKeysOf, metricTotal } from '../../helpers/emfLines';

describe('completionMetricsPublisher', () => {
  it.each([
    [true, ['KinesisAutoEncrypt|Encrypted|region,service']],
    [false, []],
  ])('with regionDimension %s counts the outcome per region as well: %j', async (regionDimension, perRegion) => {
    // Prepare
    const detail = completionFixture(Outcome.Encrypted, { exposureMs: 2000, timeToEncryptedMs: 1000 });

    // Act
    const documents = await captureEmf(async () =>
      publishCompletionMetrics(createMetrics('kinesis-auto-encrypt'), detail, { regionDimension })
    );

    // Assess: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
    expect(documents.flatMap(emfErrors)).toEqual([]);
    expect(metricKeysOf(documents).filter((key) => key.includes('region'))).toEqual(perRegion);
    expect(metricTotal(documents, 'Encrypted')).toBe(1);
    expect(documents[0]).toMatchObject({
      service: 'kinesis-auto-encrypt',
      account: '123456789012',
      region: 'eu-west-1',
    });
  });

  it('writes one sweep document with both counts', async () => {
    // Act
    const documents = await captureEmf(async () =>
      publishSweepMetrics(createMetrics('kinesis-auto-encrypt'), { streamsChecked: 40, nonCompliantFound: 3 })
    );

    // Assess
    expect(documents).toHaveLength(1);
    expect(documents.flatMap(emfErrors)).toEqual([]);
    expect(metricTotal(documents, 'StreamsChecked')).toBe(40);
    expect(metricTotal(documents, 'NonCompliantFound')).toBe(3);
  });
});
