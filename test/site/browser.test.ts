// The site in a real browser (Debian's Chromium driven by playwright-core), opened from disk with
// every request that is not a file:// one blocked: the index lists and filters the catalog, a KPI
// page shows its chart and SQL, and markup in a KPI file shows as text and runs nothing.

import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kpi, ROOT, SHOP, writeShopDb } from './shop.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test', 'artifacts');

interface KpiFile {
  id: string;
  name: string;
  short?: string;
  question: string;
  description: string;
  tags?: string[];
  tier: string;
  roles: string[];
}

/** The catalog's KPI files, read here with the yaml package rather than through the compiler. */
const CATALOG: KpiFile[] = readdirSync(join(ROOT, 'kpis'), { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => parse(readFileSync(join(ROOT, 'kpis', f), 'utf8')) as KpiFile);

/** The ids whose text holds every word, as the index promises: id, name, short name, question, description, tags. */
function expectedSearch(query: string): string[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return CATALOG.filter((k) => {
    const text = [k.id, k.name, k.short ?? '', k.question, k.description, ...(k.tags ?? [])].join(' ').replace(/\s+/g, ' ').toLowerCase();
    return words.every((w) => text.includes(w));
  })
    .map((k) => k.id)
    .sort();
}

let work: string;
let sample: string;
let context: BrowserContext;
let page: Page;
/** Requests that left the file system (blocked), and JavaScript dialogs opened. */
const offDisk: string[] = [];
const dialogs: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`the browser tests need Chromium at ${CHROMIUM}: install it with 'sudo apt-get install chromium' (.ci/run installs it on CI)`);
  }
  work = mkdtempSync(join(tmpdir(), 'kpi-site-browser-'));
  sample = join(work, 'sample.duckdb');
  const built = kpi(['sample', '--rows', '20000', '--out', sample]);
  expect(built.code, built.err).toBe(0);
  const catalog = kpi(['site', '--db', sample, '--out', join(work, 'catalog')]);
  expect(catalog.code, catalog.err).toBe(0);
  await writeShopDb(join(work, 'shop.duckdb'));
  const shop = kpi(['site', '--root', SHOP, '--db', join(work, 'shop.duckdb'), '--out', join(work, 'shop')]);
  expect(shop.code, shop.err).toBe(0);

  context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file://')) return route.continue();
    offDisk.push(url);
    return route.abort();
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await context?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const open = (site: string, path: string) => page.goto(pathToFileURL(join(work, site, path)).href);
const visibleIds = () => page.$$eval('#kpis tbody tr:not([hidden])', (rows) => rows.map((r) => (r as HTMLElement).dataset.id!).sort());

describe('the catalog site in Chromium', () => {
  it('lists every KPI of the catalog on the index', async () => {
    await open('catalog', 'index.html');
    expect(CATALOG.length).toBe(readdirSync(join(ROOT, 'kpis'), { recursive: true }).filter((f) => String(f).endsWith('.yaml')).length);
    expect(await visibleIds()).toEqual(CATALOG.map((k) => k.id).sort());
    expect(await page.textContent('#shown')).toBe(`${CATALOG.length} of ${CATALOG.length} KPIs`);
    await page.screenshot({ path: join(ARTIFACTS, 'site-index.png') });
  });

  it('narrows the list as words are typed in the search box', async () => {
    await open('catalog', 'index.html');
    for (const query of ['repair', 'Customer REVENUE', 'first visit']) {
      const expected = expectedSearch(query);
      expect(expected.length, query).toBeGreaterThan(0);
      expect(expected.length, query).toBeLessThan(CATALOG.length);
      await page.fill('#search', query);
      expect(await visibleIds(), query).toEqual(expected);
      expect(await page.textContent('#shown')).toBe(`${expected.length} of ${CATALOG.length} KPIs`);
    }
    await page.fill('#search', 'no such words anywhere');
    expect(await visibleIds()).toEqual([]);
  });

  it('filters by tier and by dashboard', async () => {
    await open('catalog', 'index.html');
    await page.selectOption('#filter-tier', 'strategic');
    const strategic = CATALOG.filter((k) => k.tier === 'strategic').map((k) => k.id).sort();
    expect(strategic.length).toBeGreaterThan(0);
    expect(await visibleIds()).toEqual(strategic);
    await page.selectOption('#filter-role', 'manager');
    expect(await visibleIds()).toEqual(CATALOG.filter((k) => k.tier === 'strategic' && k.roles.includes('manager')).map((k) => k.id).sort());
    await page.selectOption('#filter-tier', '');
    expect(await visibleIds()).toEqual(CATALOG.filter((k) => k.roles.includes('manager')).map((k) => k.id).sort());
  });

  it('shows a KPI page with its recent values, chart and SQL', async () => {
    // First time fix rate per quarter, written here by hand against the sample database.
    const instance = await DuckDBInstance.create(sample, { access_mode: 'READ_ONLY' });
    const c = await instance.connect();
    await c.run("SET TimeZone = 'UTC'");
    const reader = await c.runAndReadAll(`
      SELECT strftime(date_trunc('quarter', completed_at), '%Y-%m-%d') AS quarter,
             count(*) FILTER (WHERE status = 'completed' AND resolved_on_first_visit)
               / nullif(count(*) FILTER (WHERE status = 'completed'), 0) AS ftfr
      FROM work_orders WHERE completed_at IS NOT NULL GROUP BY ALL ORDER BY quarter`);
    const byQuarter = new Map(reader.getRowObjects().map((r) => [String(r.quarter), r.ftfr as number | null]));
    c.closeSync();
    instance.closeSync();
    // The data's present: the quarter of the last completed work order; the page shows the eight up to it.
    const quarters = [...byQuarter.keys()].slice(-8);
    const label = (q: string) => `${q.slice(0, 4)} Q${(Number(q.slice(5, 7)) + 2) / 3}`;
    const percent = (v: number) => `${(v * 100).toFixed(1)}%`;

    await open('catalog', 'kpi/first_time_fix_rate.html');
    const rows = await page.$$eval('.values-table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent)));
    expect(rows).toEqual(quarters.map((q) => [label(q), percent(byQuarter.get(q)!)]));
    const present = quarters.filter((q) => byQuarter.get(q) !== null).length;
    expect(present).toBe(8);
    expect(await page.locator('svg.trend circle').count()).toBe(present);
    expect(await page.locator('svg.trend').isVisible()).toBe(true);
    expect(await page.textContent('#sql')).toBe(readFileSync(join(ROOT, 'generated', 'sql', 'first_time_fix_rate.sql'), 'utf8'));
    await page.screenshot({ path: join(ARTIFACTS, 'site-kpi.png'), fullPage: true });
  });

  it('draws the lineage graph with a node for every KPI', async () => {
    await open('catalog', 'lineage.html');
    expect(await page.locator('#lineage g.node.kpi').count()).toBe(CATALOG.length);
    expect(await page.locator('#lineage g.node.kpi[data-key="kpi:customer_lifetime_value"] a').getAttribute('href')).toBe('kpi/customer_lifetime_value.html');
  });

  it('shows the markup of a hostile KPI file as text and runs none of it', async () => {
    await open('shop', 'kpi/hostile.html');
    const description = await page.textContent('.description');
    expect(description).toContain('<script>window.__pwned = 1; alert(1)</script> and <img src=x onerror="window.__pwned = 2; alert(2)">');
    expect(await page.textContent('h1')).toBe('Hostile </script><!-- <b>bold</b> (<i>H</i>)');
    expect(await page.locator('main img, main iframe, main script, main u, main b').count()).toBe(0);
    expect(await page.textContent('pre.formula')).toBe("orders.count(where status != '</script><script>window.__pwned = 6</script>')");
    // Its chart from the hand-made data (shop.ts), whose five quarters are fewer than eight: orders
    // of another status than its odd string, 0 in 2024 Q4, 2 in Q1, 0, 2 (one cancelled), 3.
    expect(await page.$$eval('.values-table td.num', (tds) => tds.map((td) => td.textContent))).toEqual(['0', '2', '0', '2', '3']);
    expect(await page.locator('svg.trend circle').count()).toBe(5);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

    await open('shop', 'index.html');
    // The search script ran (its hash is allowed) and the hostile JSON did not break its block.
    await page.fill('#search', '</script><!--');
    expect(await visibleIds()).toEqual(['hostile']);
    await page.fill('#search', '');
    await page.selectOption('#filter-owner', '<u onmouseover="window.__pwned = 4">owner</u>');
    expect(await visibleIds()).toEqual(['hostile']);
    await page.hover('#kpis tbody tr[data-id="hostile"]');

    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });

  it('made no request off the disk', () => {
    expect(offDisk).toEqual([]);
  });
});
