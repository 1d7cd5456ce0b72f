import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { reportHtml } from '../../../src/report/reportHtml';
import { launchHeadlessChromium } from '../../helpers/headlessChromium';
import { sampleReport } from '../../helpers/reportFixture';

/*
 * report.html in a real browser: Chromium from the npm package `@sparticuz/chromium`, headless, driven by
 * playwright-core. The page must work offline (no request but the file itself), show every stream, filter and sort
 * them, and draw the chart. It never passes without a browser: a launch failure fails the suite.
 */

const visibleNames = (page: Page): Promise<string[]> =>
  page.$$eval('#streams tbody tr:not([hidden])', (rows) => rows.map((row) => row.cells[2]?.textContent ?? ''));

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
