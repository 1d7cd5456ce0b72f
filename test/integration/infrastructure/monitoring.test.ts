import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createMetrics,
  publishCompletionMetrics,
  publishSweepMetrics,
} from '../../../src/aws/completionMetricsPublisher';
import { Compliance } from '../../../src/domain/compliance';
import { Outcome } from '../../../src/domain/outcome';
import { Trigger } from '../../../src/domain/streamRequest';
import { FailureReason, METRICS_NAMESPACE, MetricName, SERVICE_NAME } from '../../../src/metrics/metricNames';
import { completionFixture } from '../../helpers/completionFixture';
import { captureEmf, emfErrors, metricKeysOf } from '../../helpers/emfLines';
import { cfnString } from '../../helpers/leastPrivilege';
import { monitoringResourceIds } from '../../helpers/monitoringResources';
import { packageOrg } from '../../helpers/orgPackage';
import { type CloudFormationTemplate, packageTemplate } from '../../helpers/packageTemplate';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const FUNCTION_NAME = 'kinesis-auto-encrypt-dev-encryptStream';

/** Every `namespace|metric|dimensions` the code writes: each outcome, reason, trigger and the sweep, through the publishers. */
const emittedMetrics = async (): Promise<Set<string>> => {
  const details = [
    ...Object.values(Outcome).flatMap((outcome) =>
      Object.values(Trigger).map((trigger) =>
        completionFixture(outcome, { trigger, exposureMs: 1, timeToEncryptedMs: 1 })
      )
    ),
    ...FailureReason.map((name) => completionFixture(Outcome.Failed, { error: { name, message: name } })),
  ];
  // Lambda sets it; Powertools records a cold start only then (commons Utility.getColdStart).
  process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
  const documents = await captureEmf(async () => {
    const metrics = createMetrics(SERVICE_NAME);
    for (const detail of details) publishCompletionMetrics(metrics, detail, { regionDimension: true });
    publishSweepMetrics(metrics, { streamsChecked: 3, nonCompliantFound: 1 });
    metrics.captureColdStartMetric(FUNCTION_NAME);
  });
  for (const document of documents) expect(emfErrors(document)).toEqual([]);
  return new Set(metricKeysOf(documents));
};

interface MetricRef {
  where: string;
  namespace: string;
  name: string;
  dimensions: Record<string, unknown>;
}

/** The metrics an alarm reads (MetricName, or each MetricStat of its Metrics). */
const alarmMetrics = (id: string, properties: Record<string, unknown>): MetricRef[] => {
  const dimensionsOf = (list: unknown) =>
    Object.fromEntries(((list ?? []) as { Name: string; Value: unknown }[]).map(({ Name, Value }) => [Name, Value]));
  if (typeof properties.MetricName === 'string') {
    return [
      {
        where: id,
        namespace: String(properties.Namespace),
        name: properties.MetricName,
        dimensions: dimensionsOf(properties.Dimensions),
      },
    ];
  }
  return ((properties.Metrics ?? []) as { Id: string; MetricStat?: { Metric: Record<string, unknown> } }[]).flatMap(
    ({ Id, MetricStat }) =>
      MetricStat === undefined
        ? []
        : [
            {
              where: `${id}.${Id}`,
              namespace: String(MetricStat.Metric.Namespace),
              name: String(MetricStat.Metric.MetricName),
              dimensions: dimensionsOf(MetricStat.Metric.Dimensions),
            },
          ]
  );
};

/** The metrics of the dashboard's metric widgets: [namespace, name, dim, value, …, options?]. */
const dashboardMetrics = (body: { widgets: { type: string; properties: { metrics?: unknown[][] } }[] }): MetricRef[] =>
  body.widgets.flatMap((widget, index) =>
    (widget.properties.metrics ?? []).map((entry) => {
      const values = entry.filter((item) => typeof item === 'string') as string[];
      const [namespace = '', name = '', ...pairs] = values;
      const dimensions: Record<string, string> = {};
      for (let i = 0; i + 1 < pairs.length; i += 2) dimensions[pairs[i] ?? ''] = pairs[i + 1] ?? '';
      return { where: `widget ${index}`, namespace, name, dimensions };
    })
  );

const keyOf = ({ namespace, name, dimensions }: MetricRef) =>
  `${namespace}|${name}|${Object.keys(dimensions).sort().join(',')}`;

/** `${X}` / `${X.Attr}` placeholders of a Fn::Sub string. */
const placeholdersOf = (text: string): string[] => [...text.matchAll(/\$\{([^}]+)\}/g)].map(([, name]) => name ?? '');

/** Anchors of the runbook's headings (GitHub's slugs), which alarm descriptions link. */
const runbookAnchors = (): Set<string> =>
  new Set(
    readFileSync(join(REPO_ROOT, 'docs', 'runbook.md'), 'utf8')
      .split('\n')
      .filter((line) => /^#{2,4} /.test(line))
      .map((line) =>
        line
          .replace(/^#+ /, '')
          .toLowerCase()
          .replace(/[^\w\- ]/g, '')
          .replace(/ /g, '-')
      )
  );

const ofType = (template: CloudFormationTemplate, type: string) =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

describe.each([
  ['account', () => packageTemplate().then(({ template }) => template)],
  ['org (hub)', () => packageOrg().then(({ hub }) => hub)],
])('monitoring of the %s deployment', (_label, load) => {
  let template: CloudFormationTemplate;
  let emitted: Set<string>;

  beforeAll(async () => {
    [template, emitted] = await Promise.all([load(), emittedMetrics()]);
  }, 600_000);

  it('alarms only on metrics the code emits, with the dimensions it writes', () => {
    // Prepare
    const alarms = ofType(template, 'AWS::CloudWatch::Alarm');

    // Act
    const refs = alarms.flatMap(([id, alarm]) => alarmMetrics(id, alarm.Properties ?? {}));
    const ours = refs.filter(({ namespace }) => namespace === METRICS_NAMESPACE);
    const missing = ours.filter((ref) => !emitted.has(keyOf(ref))).map((ref) => `${ref.where}: ${keyOf(ref)}`);
    const wrongService = ours.filter(({ dimensions }) => dimensions.service !== SERVICE_NAME);

    // Assess
    expect(alarms.length).toBeGreaterThanOrEqual(12);
    expect(ours.map(({ name }) => name).sort()).toEqual(
      ['Compliance', 'ExposureSeconds', 'Failed', 'NonCompliantFound', 'StreamsChecked'].sort()
    );
    expect(missing).toEqual([]);
    expect(wrongService).toEqual([]);
    // Issue 20, item 6: the alarm counts compliance (NonCompliant, whatever the outcome), not an outcome.
    expect(ours.filter(({ name }) => name === MetricName.Compliance).map(({ dimensions }) => dimensions)).toEqual([
      { service: SERVICE_NAME, compliance: Compliance.NonCompliant },
    ]);
  });

  it("names only this stack's own resources in the AWS/* metrics of alarms", () => {
    // Prepare
    const refs = ofType(template, 'AWS::CloudWatch::Alarm').flatMap(([id, alarm]) =>
      alarmMetrics(id, alarm.Properties ?? {})
    );

    // Act
    const values = refs
      .filter(({ namespace }) => namespace.startsWith('AWS/'))
      .flatMap(({ dimensions }) => Object.values(dimensions).map(cfnString));
    const foreign = values.filter((value) => !((placeholdersOf(value)[0]?.split('.')[0] ?? '') in template.Resources));

    // Assess: https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html,
    // https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html,
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html
    expect(values.length).toBeGreaterThanOrEqual(8);
    expect(values.every((value) => /^\$\{\w+(\.QueueName)?\}$/.test(value))).toBe(true);
    expect(foreign).toEqual([]);
  });

  it('sends every alarm to the KMS-encrypted topic and links its runbook section', () => {
    // Prepare
    const alarms = ofType(template, 'AWS::CloudWatch::Alarm');
    const anchors = runbookAnchors();
    const [, topic] = ofType(template, 'AWS::SNS::Topic')[0] ?? [];
    const key = template.Resources.AlarmTopicKey;

    // Act
    const unlinked = alarms.filter(([, alarm]) => {
      // runbookUrl's default (serverless.yml) is docs/runbook.md.
      const anchor = /Runbook docs\/runbook\.md#(alarm-[\w-]+)$/.exec(String(alarm.Properties?.AlarmDescription))?.[1];
      return anchor === undefined || !anchors.has(anchor);
    });
    const notNotifying = alarms.filter(
      ([, alarm]) => JSON.stringify(alarm.Properties?.AlarmActions) !== JSON.stringify([{ Ref: 'AlarmTopic' }])
    );
    const cloudWatchGrant = JSON.stringify(key?.Properties?.KeyPolicy);

    // Assess: https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
    expect(unlinked.map(([id]) => id)).toEqual([]);
    expect(notNotifying.map(([id]) => id)).toEqual([]);
    expect(JSON.stringify(topic?.Properties?.KmsMasterKeyId)).toContain('AlarmTopicKey');
    expect(cloudWatchGrant).toContain('cloudwatch.amazonaws.com');
    expect(cloudWatchGrant).toContain('kms:GenerateDataKey');
    expect(key?.Condition).toBe('CreateAlarmTopicKey');
  });

  it('has a dashboard whose body is JSON and whose metrics exist', () => {
    // Prepare
    const [[, dashboard] = []] = ofType(template, 'AWS::CloudWatch::Dashboard');
    const text = String((dashboard?.Properties?.DashboardBody as { 'Fn::Sub'?: string } | undefined)?.['Fn::Sub']);

    // Act
    const placeholders = placeholdersOf(text);
    const body = JSON.parse(text.replace(/\$\{[^}]+\}/g, 'placeholder'));
    const refs = dashboardMetrics(body);
    const missing = refs
      .filter(({ namespace }) => namespace === METRICS_NAMESPACE)
      .filter((ref) => !emitted.has(keyOf(ref)))
      .map((ref) => `${ref.where}: ${keyOf(ref)}`);
    const unknown = placeholders.filter(
      (name) => name !== 'AWS::Region' && !((name.split('.')[0] ?? '') in template.Resources)
    );

    // Assess: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
    const reasons = refs.filter(({ name, dimensions }) => name === 'Failed' && 'reason' in dimensions);
    expect(new Set(reasons.map(({ dimensions }) => dimensions.reason))).toEqual(new Set(FailureReason));
    const compliance = refs.filter(({ name }) => name === MetricName.Compliance);
    expect(new Set(compliance.map(({ dimensions }) => dimensions.compliance))).toEqual(
      new Set(Object.values(Compliance))
    );
    expect(body.widgets.length).toBeGreaterThanOrEqual(7);
    expect(refs.length).toBeGreaterThan(30);
    expect(missing).toEqual([]);
    expect(unknown).toEqual([]);
  });

  it('counts the completions of its own account only, on the completion bus', () => {
    // Prepare
    const rule = template.Resources.CompletionMetricsRule?.Properties ?? {};

    // Act
    const pattern = rule.EventPattern as Record<string, unknown>;

    // Assess: `account` is the account that put the event (https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html)
    expect(pattern).toEqual({ source: ['kinesis-auto-encrypt'], account: [{ Ref: 'AWS::AccountId' }] });
    expect(monitoringResourceIds(template)).toContain('CompletionMetricsRule');
    expect(JSON.stringify(rule.EventBusName)).toBe(
      template.Resources.HubEventBus === undefined ? '"default"' : JSON.stringify({ Ref: 'HubEventBus' })
    );
  });
});
