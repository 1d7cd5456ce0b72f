import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Outcome } from '../../../src/domain/outcome';
import {
  DEFAULT_ACCOUNTS,
  demoStreams,
  injectFault,
  KMS_TARGET_PREFIX,
  runDemo,
  StreamWatcher,
} from '../../../tools/dev';
import { emfDocumentsOf, emfErrors } from '../../helpers/emfLines';
import { type Harness, startHarness } from './harness';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const PARAMETER = '/kinesis-auto-encrypt/local/default-kms-key-id';
const [ACCOUNT = '111111111111'] = DEFAULT_ACCOUNTS;
const REGION = 'us-east-1';

const linesOf = (file: string): string[] => readFileSync(file, 'utf8').split('\n').filter(Boolean);

/** Every key path (`error.name`) of the JSON lines of a log file. */
const keyPathsOf = (file: string): Set<string> => {
  const paths = new Set<string>();
  const walk = (value: unknown, prefix: string): void => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    for (const [key, child] of Object.entries(value)) {
      paths.add(`${prefix}${key}`);
      walk(child, `${prefix}${key}.`);
    }
  };
  for (const line of linesOf(file)) {
    try {
      walk(JSON.parse(line), '');
    } catch {
      // not JSON (a worker's stack trace)
    }
  }
  return paths;
};

/** The metric totals once `done` holds for them (polled; the test's timeout bounds a hang), then after idle. */
const totalsOnce = async (
  harness: Harness,
  done: (totals: Record<string, number>) => boolean
): Promise<Record<string, number>> => {
  while (!done(harness.cloud.metricTotals())) await new Promise((resolve) => setTimeout(resolve, 100));
  await harness.cloud.idle();
  return harness.cloud.metricTotals();
};

describe('metrics on the local cloud (EMF lines of the Lambda workers)', () => {
  let harness: Harness;

  beforeAll(async () => {
    // Every event delivered twice: duplicates must not count twice. INFO: the queries read the decision logs.
    harness = await startHarness({
      duplicateDeliveries: 2,
      // No cached SSM parameter or key verdict: the failure case changes the default key.
      environment: { POWERTOOLS_LOG_LEVEL: 'INFO', KEY_CHECK_TTL_SECONDS: '0', SSM_MAX_AGE_SECONDS: '0' },
    });
  }, 300_000);

  afterAll(async () => {
    await harness?.stop();
  });

  it("the demo's metric totals equal its outcome counts, every event delivered twice", async () => {
    // Prepare
    const watcher = new StreamWatcher(harness.cloud, () => undefined);

    // Act
    const result = await runDemo(harness.cloud, watcher, demoStreams(DEFAULT_ACCOUNTS));
    watcher.stop();
    const published = harness.events.filter((event) => event.source === 'kinesis-auto-encrypt');

    // Assess
    const counts = Object.fromEntries(
      Object.values(Outcome).map((outcome) => [
        outcome,
        published.filter((event) => event.detail.outcome === outcome).length,
      ])
    );
    const totals = Object.fromEntries(Object.values(Outcome).map((outcome) => [outcome, result.metrics[outcome] ?? 0]));
    expect(result.ok).toBe(true);
    expect(published.length).toBeGreaterThanOrEqual(result.rows.length);
    expect(totals).toEqual(counts);
    expect(result.metrics.DriftRepaired).toBe(1);
    expect(result.metrics.ColdStart).toBeGreaterThan(0);
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
    const documents = emfDocumentsOf([...linesOf(harness.cloud.logFile), ...linesOf(harness.cloud.metricsLogFile)]);
    expect(documents.length).toBeGreaterThan(published.length);
    expect(documents.flatMap(emfErrors)).toEqual([]);
  }, 600_000);

  it('a forced failure raises the failure metric (and LeftUnencrypted), once', async () => {
    // Prepare
    harness.cloud.kms.addKey({ aliases: ['alias/disabled'], keyState: 'Disabled', account: ACCOUNT, region: REGION });
    harness.cloud.ssm.setParameter(PARAMETER, 'alias/disabled');
    const before = harness.cloud.metricTotals();

    // Act
    await harness.createStream(ACCOUNT, REGION, 'forced-failure');
    const completion = await harness.completionFor(ACCOUNT, REGION, 'forced-failure');
    await harness.cloud.idle();
    harness.cloud.ssm.deleteParameter(PARAMETER);
    // The completion's metrics are written by recordMetrics once the bus delivered it: wait for them (a condition).
    const after = await totalsOnce(
      harness,
      (totals) =>
        (totals.LeftUnencrypted ?? 0) > (before.LeftUnencrypted ?? 0) && (totals.Failed ?? 0) > (before.Failed ?? 0)
    );

    // Assess
    expect(completion.detail.outcome).toBe('Failed');
    expect((after.Failed ?? 0) - (before.Failed ?? 0)).toBe(1);
    expect((after.LeftUnencrypted ?? 0) - (before.LeftUnencrypted ?? 0)).toBe(1);
    expect(after.Encrypted).toBe(before.Encrypted);
  }, 300_000);

  it('the Logs Insights queries name only fields the logs of their log group have', async () => {
    // Prepare: one transient error, so the function logs an error with its retry flag
    const fault = injectFault(harness.cloud.gateway, {
      target: KMS_TARGET_PREFIX,
      account: ACCOUNT,
      count: 12,
      errorType: 'KMSInternalException',
    });
    await harness.createStream(ACCOUNT, REGION, 'transient-error');
    await harness.completionFor(ACCOUNT, REGION, 'transient-error');
    await harness.cloud.idle();
    fault.clear();
    const fieldsOf = {
      recordMetrics: keyPathsOf(harness.cloud.metricsLogFile),
      encryptStream: keyPathsOf(harness.cloud.logFile),
    };

    // Act
    const named = readdirSync(join(REPO_ROOT, 'docs', 'queries')).flatMap((file) => {
      const text = readFileSync(join(REPO_ROOT, 'docs', 'queries', file), 'utf8');
      const group = /kinesis-auto-encrypt-<stage>-(recordMetrics|encryptStream)/.exec(text)?.[1] as
        | keyof typeof fieldsOf
        | undefined;
      const query = text
        .split('\n')
        .filter((line) => !line.startsWith('#'))
        .join('\n');
      const fields = new Set([
        ...(/fields ([^|]+)/.exec(query)?.[1] ?? '').split(',').map((field) => field.trim()),
        ...[...query.matchAll(/(?:filter|and|or|by) \(?([A-Za-z][\w.]*)/g)].map(([, field]) => field ?? ''),
      ]);
      return [...fields]
        .filter((field) => field !== '' && !field.startsWith('@') && field !== 'ispresent')
        .map((field) => ({ file, group, field }));
    });
    const missing = named
      .filter(({ group, field }) => group === undefined || !fieldsOf[group].has(field))
      .map(({ file, field }) => `${file}: ${field}`);

    // Assess
    expect(fault.injected).toBeGreaterThan(0);
    expect(named.length).toBeGreaterThan(30);
    expect(missing).toEqual([]);
  }, 120_000);
});
