import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { Compliance } from '../../../src/domain/compliance';
import { buildReport } from '../../../src/report/buildReport';
import type { Report } from '../../../src/report/report';
import { reportHtml } from '../../../src/report/reportHtml';
import { launchHeadlessChromium } from '../../helpers/headlessChromium';
import { sampleReport, streamRow } from '../../helpers/reportFixture';

/*
 * report.html in a real browser: Chromium from the npm package `@sparticuz/chromium`, headless, driven by
 * playwright-core. The page must work offline (no request but the file itself), show every stream, filter and sort
 * them, and draw the chart. It never passes without a browser: a launch failure fails the suite.
 */

const visibleNames = (page: Page): Promise<string[]> =>
  page.$$eval('#streams tbody tr:not([hidden])', (rows) => rows.map((row) => row.getAttribute('data-name') ?? ''));

describe('report.html in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let dir: string;
  const requests: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'report-html-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, reportHtml(sampleReport()));
    browser = await launchHeadlessChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(file).href);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('loads offline and shows every stream, with the totals', async () => {
    // Act
    const names = await visibleNames(page);
    const totals = await page.textContent('#totals');
    const shown = await page.textContent('#shown');

    // Assess
    expect(names.sort()).toEqual(['audit-log', 'clickstream', 'legacy-feed', 'orders', 'payments']);
    expect(totals).toContain('5 streams');
    expect(totals).toContain('2 non-compliant');
    expect(totals).toContain('1 failed');
    expect(shown).toBe('5 of 5 streams');
    expect(requests.every((url) => url.startsWith('file://'))).toBe(true);
  });

  it.each([
    ['NonCompliant', '', ['audit-log', 'payments']],
    ['NonCompliant', 'eu-west-1', ['audit-log']],
    ['', '222222222222', ['audit-log', 'clickstream']],
    ['', 'decommissioned <Q1>', ['legacy-feed']],
    ['Compliant', '222222222222', ['clickstream']],
  ])('filters by compliance %p and text %p', async (compliance, text, expected) => {
    // Act
    await page.selectOption('#compliance-filter', compliance);
    await page.fill('#filter', text);
    const names = await visibleNames(page);
    const shown = await page.textContent('#shown');

    // Assess
    expect(names.sort()).toEqual(expected);
    expect(shown).toBe(`${expected.length} of 5 streams`);
  });

  it.each([
    ['Stream', ['audit-log', 'clickstream', 'legacy-feed', 'orders', 'payments']],
    ['Exposure', ['clickstream', 'payments', 'audit-log', 'legacy-feed', 'orders']],
  ])('sorts by %s (again: reversed, empty cells last)', async (column, ascending) => {
    // Prepare
    await page.selectOption('#compliance-filter', '');
    await page.fill('#filter', '');
    const header = page.locator('#streams thead th', { hasText: new RegExp(`^${column}$`) });

    // Act
    await header.click();
    const up = await visibleNames(page);
    await header.click();
    const down = await visibleNames(page);

    // Assess
    expect(up).toEqual(ascending);
    const filled = ascending.filter((name) => name !== 'orders' || column === 'Stream');
    expect(down.slice(0, filled.length)).toEqual([...filled].reverse());
  });

  it('draws one bar per account and region, segments sized by their counts, and takes a screenshot', async () => {
    // Act
    const bars = [];
    for (const group of await page.locator('#chart g.bar').all()) {
      const segments = [];
      for (const rect of await group.locator('rect.segment').all()) {
        segments.push({
          segment: await rect.getAttribute('data-segment'),
          count: Number(await rect.getAttribute('data-count')),
          width: (await rect.boundingBox())?.width ?? 0,
        });
      }
      bars.push({
        where: `${await group.getAttribute('data-account')} ${await group.getAttribute('data-region')}`,
        segments,
      });
    }
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });

    // Assess
    expect(bars.map(({ where }) => where)).toEqual([
      '111111111111 us-east-1',
      '222222222222 eu-west-1',
      '222222222222 us-east-1',
    ]);
    expect(bars[0]?.segments.map(({ segment, count }) => [segment, count])).toEqual([
      ['compliant', 1],
      ['nonCompliant', 1],
      ['exempt', 1],
    ]);
    // audit-log: its key missing, it stays unencrypted: non-compliant (its outcome, Failed, is no compliance).
    expect(bars[1]?.segments.map(({ segment }) => segment)).toEqual(['nonCompliant']);
    const unit = bars[0]?.segments[0]?.width ?? 0;
    expect(unit).toBeGreaterThan(10);
    expect(bars[2]?.segments[0]?.width).toBeCloseTo(unit, 0);
    expect(statSync(shot).size).toBeGreaterThan(10_000);
  });
});

/** One account of 40 streams: every severity, long names, keys, reasons and fix commands. */
const fortyStreams = (): Report => {
  const base = sampleReport();
  const compliances = [Compliance.NonCompliant, Compliance.Compliant, Compliance.Exempt, Compliance.NotChecked];
  const streams = Array.from({ length: 40 }, (_, i) => {
    const compliance = compliances[i % 4] as Compliance;
    const streamName = `team-${String(i).padStart(2, '0')}-orders-events-ingest-${'x'.repeat(i % 7)}`;
    const arn = `arn:aws:kinesis:eu-west-1:111111111111:stream/${streamName}`;
    const open = compliance !== Compliance.Compliant;
    return streamRow({
      streamName,
      region: 'eu-west-1',
      compliance,
      outcome:
        compliance === Compliance.NonCompliant
          ? 'NonCompliant'
          : compliance === Compliance.Exempt
            ? 'Exempt'
            : compliance === Compliance.NotChecked
              ? 'NotChecked'
              : 'AlreadyCompliant',
      receivingWrites: i % 8 === 0,
      encryptionType: open ? 'NONE' : 'KMS',
      keyId: open ? null : 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      desiredKeyId: 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      reason: 'Stream is EncryptionType NONE; the default key would be applied; nothing changed (audit)',
      exemptionReason:
        compliance === Compliance.Exempt ? 'Exempt by tag: decommissioned in Q1, owner data-platform' : null,
      exposure: open ? { from: '2026-12-04T09:12:00.000Z', to: null, seconds: 273_600 + i * 3600 } : null,
      fixCommand:
        compliance === Compliance.NonCompliant
          ? `kinesis-auto-encrypt sweep --stream ${arn} --region eu-west-1 --key alias/data-platform`
          : '',
    });
  });
  return buildReport({ ...base, writeGuard: base.writeGuard.setting ?? undefined, command: 'audit', streams });
};

describe('report.html of a 40-stream account on a 1400x1000 screen', () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'report-layout-'));
    browser = await launchHeadlessChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('shows at least 12 stream rows in the first viewport, attention first, with no sideways scroll; keeps a screenshot', async () => {
    // Prepare
    const file = join(dir, 'report.html');
    writeFileSync(file, reportHtml(fortyStreams()));
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });

    // Act
    await page.goto(pathToFileURL(file).href);
    const viewport = (await page.evaluate(
      '({ scrollWidth: document.documentElement.scrollWidth, height: window.innerHeight, title: document.title })'
    )) as { scrollWidth: number; height: number; title: string };
    const rows = await page.$$eval('#streams tbody tr', (trs) =>
      trs.map((tr) => ({ bottom: tr.getBoundingClientRect().bottom, severity: tr.getAttribute('data-severity') }))
    );
    const layout = {
      ...viewport,
      inView: rows.filter(({ bottom }) => bottom <= viewport.height).length,
      severities: rows.map(({ severity }) => severity),
    };
    const shot = join(dir, 'report-1400x1000.png');
    await page.screenshot({ path: shot });
    mkdirSync('test-artifacts', { recursive: true });
    copyFileSync(shot, join('test-artifacts', 'report-1400x1000.png'));
    process.stdout.write(
      `report.html 1400x1000: ${layout.inView} rows in the first viewport, scrollWidth ${layout.scrollWidth}\n`
    );

    // Assess
    expect(layout.inView).toBeGreaterThanOrEqual(12);
    expect(layout.scrollWidth).toBeLessThanOrEqual(1400);
    expect(layout.title).toMatch(/^Audit report: 10 of 40 streams non-compliant/);
    expect(layout.severities.slice(0, 5)).toEqual(['critical', 'critical', 'critical', 'critical', 'critical']);
    const ranks = layout.severities.map((s) => ['critical', 'high', 'medium', 'low', 'none'].indexOf(s ?? ''));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(await page.textContent('#streams tbody tr:first-child')).toContain('since 2026-12-04 09:12 UTC');
    expect(statSync(shot).size).toBeGreaterThan(10_000);
  });
});
