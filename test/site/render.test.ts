// The site's renderer without a browser: escaping, the page frame's policy, determinism, the lineage
// graph of a small hand-made project, and trend charts whose points are worked out by hand.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckedProject } from '../../src/check/check.js';
import { directTables, renderSite, scriptJson, type KpiSeries, type SiteData } from '../../src/emit/site/emit.js';
import { layoutLineage, trend } from '../../src/emit/site/svg.js';
import { compileProject } from '../../src/index.js';
import { openDatabase, type Database } from '../../src/run/duckdb.js';
import { lastPeriods, recentValues } from '../../src/run/recent.js';
import { fillShop, ROOT, SHOP } from './shop.js';

let shop: CheckedProject;
let db: Database;
let series: Map<string, KpiSeries>;
let site: Map<string, string>;

beforeAll(async () => {
  const compiled = compileProject(SHOP);
  expect(compiled.diagnostics).toEqual([]);
  shop = compiled.value;
  db = (await openDatabase({ kind: 'memory' }, shop.sources)).db!;
  await fillShop(db.connection);
  const recent = await recentValues(db, shop, 3, 'shop.duckdb');
  expect(recent.diagnostics).toEqual([]);
  series = recent.series!;
  site = renderSite(shop, { kind: 'values', source: 'shop.duckdb', series });
});

afterAll(() => db?.close());

/** Undoes Handlebars' attribute escaping, to read an attribute's value as the browser does. */
function attr(s: string): string {
  return s.replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

function trendSvg(html: string, className = 'trend'): { circles: { cx: number; cy: number }[]; lines: string[] } {
  const svg = new RegExp(`<svg class="${className}"[^>]*>(.*?)</svg>`, 's').exec(html)![1];
  return {
    circles: [...svg.matchAll(/<circle cx="([^"]+)" cy="([^"]+)"/g)].map((m) => ({ cx: Number(m[1]), cy: Number(m[2]) })),
    lines: [...svg.matchAll(/<polyline points="([^"]+)"/g)].map((m) => m[1]),
  };
}

describe('recent values', () => {
  it('are the last periods of the data at the KPI grain, as worked out in shop.ts', () => {
    const values = (id: string) => series.get(id)!.points.map((p) => [p.period, p.value]);
    expect(values('order_count')).toEqual([['2025-04-01', 0], ['2025-07-01', 1], ['2025-10-01', 3]]);
    expect(values('revenue')).toEqual([['2025-04-01', null], ['2025-07-01', 20], ['2025-10-01', 60]]);
    expect(values('average_order_value')).toEqual([['2025-04-01', null], ['2025-07-01', 20], ['2025-10-01', 20]]);
    expect(values('new_customers')).toEqual([['2025-04-01', 0], ['2025-07-01', 0], ['2025-10-01', 1]]);
    expect(values('hostile')).toEqual([['2025-04-01', 0], ['2025-07-01', 2], ['2025-10-01', 3]]);
  });

  it('end with the last period in which at least half of the KPIs have a value', () => {
    const rows = [
      { period: '2025-01-01', a: 1, b: 2, c: 3 },
      { period: '2025-03-01', a: 1, b: null, c: 3 },
      { period: '2025-02-01', a: null, b: null, c: 3 },
      // Only one of three: past the data's present (a snapshot still counting in the future).
      { period: '2025-04-01', a: null, b: null, c: 3 },
    ];
    expect(lastPeriods(rows, ['a', 'b', 'c'], 2).map((r) => r.period)).toEqual(['2025-02-01', '2025-03-01']);
    expect(lastPeriods(rows, ['a', 'b', 'c'], 8).map((r) => r.period)).toEqual(['2025-01-01', '2025-02-01', '2025-03-01']);
    expect(lastPeriods(rows.slice(2), ['a', 'b', 'c'], 8)).toEqual([]);
  });
});

describe('trend charts', () => {
  it('space periods evenly and span the height with the values, a missing value breaking the line', () => {
    // Box 100 x 50, pad 5: x = 5 + i * 90 / 3; values from 1 (y 45) to 3 (y 5).
    expect(trend([1, 3, null, 2], { width: 100, height: 50, pad: 5 })).toEqual({
      dots: [{ index: 0, x: 5, y: 45 }, { index: 1, x: 35, y: 5 }, { index: 3, x: 95, y: 25 }],
      lines: ['5,45 35,5'],
    });
    // One value, or all equal: mid-height; one period: mid-width.
    expect(trend([null, 4], { width: 100, height: 50, pad: 5 })).toEqual({ dots: [{ index: 1, x: 95, y: 25 }], lines: [] });
    expect(trend([7], { width: 100, height: 50, pad: 5 })).toEqual({ dots: [{ index: 0, x: 50, y: 25 }], lines: [] });
    expect(trend([null, null], { width: 100, height: 50, pad: 5 })).toEqual({ dots: [], lines: [] });
  });

  it('draw the KPI page chart from the database values', () => {
    // 320 x 80, pad 6: x = 6, 160, 314. order_count 0, 1, 3: y = 6 + (3 - v) * 68 / 3 = 74, 51.3, 6.
    expect(trendSvg(site.get('kpi/order_count.html')!)).toEqual({ circles: [{ cx: 6, cy: 74 }, { cx: 160, cy: 51.3 }, { cx: 314, cy: 6 }], lines: ['6,74 160,51.3 314,6'] });
    // revenue null, 20, 60: two dots, from the bottom to the top.
    expect(trendSvg(site.get('kpi/revenue.html')!)).toEqual({ circles: [{ cx: 160, cy: 74 }, { cx: 314, cy: 6 }], lines: ['160,74 314,6'] });
    // average order value null, 20, 20: equal values sit at mid-height (40).
    expect(trendSvg(site.get('kpi/average_order_value.html')!)).toEqual({ circles: [{ cx: 160, cy: 40 }, { cx: 314, cy: 40 }], lines: ['160,40 314,40'] });
    // The index's small chart, 96 x 24, pad 3: x = 3, 48, 93; y = 3 + (3 - v) * 18 / 3 = 21, 15, 3.
    const row = /<tr data-id="order_count">.*?<\/tr>/s.exec(site.get('index.html')!)![0];
    expect(trendSvg(row, 'spark')).toEqual({ circles: [{ cx: 3, cy: 21 }, { cx: 48, cy: 15 }, { cx: 93, cy: 3 }], lines: ['3,21 48,15 93,3'] });
  });

  it('show each value with its status against the target, and the latest one', () => {
    const page = site.get('kpi/order_count.html')!;
    // Target good 3, warn 2, higher is better: 0 and 1 are bad, 3 is good.
    const cells = [...page.matchAll(/<tr><td>([^<]*)<\/td><td class="num">([^<]*)<\/td><td class="status ([a-z]*)">([^<]*)<\/td><\/tr>/g)].map((m) => m.slice(1));
    expect(cells).toEqual([
      ['2025 Q2', '0', 'bad', '✗ bad'],
      ['2025 Q3', '1', 'bad', '✗ bad'],
      ['2025 Q4', '3', 'good', '✓ good'],
    ]);
    expect(page).toContain('Latest, 2025 Q4: <strong class="value">3</strong> <span class="status good">✓ good</span>');
    // A currency KPI without a target: values and no status; the missing value is a dash.
    const revenue = site.get('kpi/revenue.html')!;
    expect([...revenue.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1])).toEqual(['–', '€20.00', '€60.00']);
    expect(revenue).toContain('Latest, 2025 Q4: <strong class="value">€60.00</strong></p>');
  });

  it('say "no data" when no database was at hand', () => {
    const bare = renderSite(shop, { kind: 'none', reason: 'data/sample.duckdb did not exist' });
    expect(bare.get('kpi/order_count.html')).toContain('<p class="nodata">No data: data/sample.duckdb did not exist.</p>');
    expect(bare.get('kpi/order_count.html')).not.toContain('<svg class="trend"');
    expect(bare.get('index.html')).toContain('No data: data/sample.duckdb did not exist.');
  });
});

describe('the lineage graph', () => {
  it('has the tables and KPIs of the project, and an edge for each table read directly and each KPI built on', () => {
    const html = site.get('lineage.html')!;
    const nodes = [...html.matchAll(/<g class="node (table|kpi)" data-key="([^"]+)">/g)].map((m) => `${m[1]} ${m[2]}`).sort();
    expect(nodes).toEqual(['kpi kpi:average_order_value', 'kpi kpi:hostile', 'kpi kpi:new_customers', 'kpi kpi:order_count', 'kpi kpi:revenue', 'table table:customers', 'table table:orders']);
    const edges = [...html.matchAll(/<path d="[^"]+" data-from="([^"]+)" data-to="([^"]+)"\/>/g)].map((m) => `${m[1]} -> ${m[2]}`).sort();
    // average_order_value = revenue / order_count reads orders only through them.
    expect(edges).toEqual([
      'kpi:order_count -> kpi:average_order_value',
      'kpi:revenue -> kpi:average_order_value',
      'table:customers -> kpi:new_customers',
      'table:orders -> kpi:hostile',
      'table:orders -> kpi:order_count',
      'table:orders -> kpi:revenue',
    ]);
    // KPI nodes link to their pages; the hostile name is text.
    expect(html).toContain('<a href="kpi/average_order_value.html"><rect');
    expect(html).toContain('<text x="318" y="55">Hostile &lt;/script&gt;&lt;!-- &lt;b&gt;bold…</text></a><title>Hostile &lt;/script&gt;');
  });

  it('draws an edge from the tables a related aggregate reads, and from those its path goes through', () => {
    const catalog = compileProject(join(import.meta.dirname, '..', '..'));
    const tables = (id: string) => directTables(catalog.value!.kpis.find((k) => k.def.id.value === id)!, catalog.value!.kpis);
    // assets.count(where contracts.count(at end) > 0 or monitored_systems.count(at end) > 0 at end) / assets.count(at end)
    expect(tables('installed_base_coverage_rate')).toEqual(['assets', 'contracts', 'monitored_systems']);
    // tickets.avg(hours_between(opened_at, visits.min(arrived_at)) ...): visits reach tickets through work_orders.
    expect(tables('response_time')).toEqual(['tickets', 'visits', 'work_orders']);
  });

  it('puts each KPI one column right of what it builds on, with coordinates worked out by hand', () => {
    // Columns 210 wide, 90 apart, from x = 10; rows 22 high, 8 apart, from y = 10.
    const chain = layoutLineage({ tables: ['a'], kpis: [{ id: 'k2', label: 'K2', reads: [], dependsOn: ['k1'] }, { id: 'k1', label: 'K1', reads: ['a'], dependsOn: [] }] });
    expect(chain.nodes.map((n) => [n.key, n.layer, n.x, n.y])).toEqual([['table:a', 0, 10, 10], ['kpi:k1', 1, 310, 10], ['kpi:k2', 2, 610, 10]]);
    expect(chain.edges).toEqual([
      { from: 'table:a', to: 'kpi:k1', path: 'M220,21 C265,21 265,21 310,21' },
      { from: 'kpi:k1', to: 'kpi:k2', path: 'M520,21 C565,21 565,21 610,21' },
    ]);
    expect([chain.width, chain.height]).toEqual([830, 42]);
    // k3 reads both tables, so it goes between k1 (reads a) and k2 (reads b); a and b sit at the
    // mean height of what they feed: a at (10 + 40) / 2, b at (40 + 70) / 2.
    const fan = layoutLineage({ tables: ['b', 'a'], kpis: [{ id: 'k1', label: 'K1', reads: ['a'], dependsOn: [] }, { id: 'k2', label: 'K2', reads: ['b'], dependsOn: [] }, { id: 'k3', label: 'K3', reads: ['a', 'b'], dependsOn: [] }] });
    expect(fan.nodes.map((n) => [n.key, n.y])).toEqual([['table:a', 25], ['table:b', 55], ['kpi:k1', 10], ['kpi:k3', 40], ['kpi:k2', 70]]);
  });
});

describe('escaping', () => {
  it('shows every piece of markup from the KPI file as text', () => {
    const page = site.get('kpi/hostile.html')!;
    const index = site.get('index.html')!;
    for (const html of [page, index, site.get('lineage.html')!]) {
      expect(html).not.toMatch(/<(img|iframe|u|b|i|em)[\s>]/i);
      expect(html).not.toMatch(/<svg onload/i);
      expect(html).not.toContain('<a href="javascript');
      expect(html).not.toContain('<!--');
    }
    expect(page.match(/<script/g)).toBeNull();
    expect(page).toContain('<p>&lt;script&gt;window.__pwned &#x3D; 1; alert(1)&lt;/script&gt; and &lt;img src&#x3D;x onerror&#x3D;&quot;window.__pwned &#x3D; 2; alert(2)&quot;&gt;</p>');
    expect(page).toContain('<h1>Hostile &lt;/script&gt;&lt;!-- &lt;b&gt;bold&lt;/b&gt; <span class="short">(&lt;i&gt;H&lt;/i&gt;)</span></h1>');
    expect(page).toContain('<dt>Owner</dt><dd>&lt;u onmouseover&#x3D;&quot;window.__pwned &#x3D; 4&quot;&gt;owner&lt;/u&gt;</dd>');
    expect(page).toContain('<h3>1. &lt;img src&#x3D;x onerror&#x3D;&quot;window.__pwned &#x3D; 9&quot;&gt;</h3>');
    expect(page).toContain('<td>&lt;b&gt;done&lt;/b&gt;</td>');
    expect(page).toContain("status !&#x3D; &#x27;&lt;/script&gt;&lt;script&gt;window.__pwned &#x3D; 6&lt;/script&gt;&#x27;");
    expect(index).toContain('<option value="&lt;u onmouseover&#x3D;&quot;window.__pwned &#x3D; 4&quot;&gt;owner&lt;/u&gt;">');
  });

  it('embeds the search data as JSON that cannot end its script block', () => {
    expect(scriptJson({ a: '</script><!-- & \u2028\u2029' })).toBe('{"a":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029"}');
    const index = site.get('index.html')!;
    // The data block and the script are the only ones, each closed once.
    expect(index.match(/<script/g)).toHaveLength(2);
    expect(index.match(/<\/script>/g)).toHaveLength(2);
    const block = /<script type="application\/json" id="kpi-data">(.*?)<\/script>/s.exec(index)![1];
    expect(block).not.toMatch(/[<>&\u2028\u2029]/);
    const hostile = JSON.parse(block).kpis.find((k: { id: string }) => k.id === 'hostile');
    expect(hostile.text).toContain('hostile </script><!-- <b>bold</b> <i>h</i> does "</script><script>window.__pwned = 3</script>" break out?');
    expect(hostile.owner).toBe('<u onmouseover="window.__pwned = 4">owner</u>');
  });

  it('prints text from KPI files with Handlebars escaping only: no triple-stash in the templates', () => {
    const dir = join(ROOT, 'src', 'emit', 'site', 'templates');
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.hbs'))) expect(readFileSync(join(dir, f), 'utf8'), f).not.toContain('{{{');
  });

  it('allows only the page own style and script, by their hashes', () => {
    const index = site.get('index.html')!;
    const csp = attr(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(index)![1]);
    const sha = (s: string) => createHash('sha256').update(s).digest('base64');
    const style = /<style>(.*?)<\/style>/s.exec(index)![1];
    const script = /<script>(.*?)<\/script>/s.exec(index)![1];
    expect(csp).toBe(`default-src 'none'; style-src 'sha256-${sha(style)}'; script-src 'sha256-${sha(script)}'; img-src 'none'; base-uri 'none'; form-action 'none'`);
    const page = attr(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(site.get('kpi/order_count.html')!)![1]);
    expect(page).toContain("script-src 'none'");
  });
});

describe('determinism', () => {
  it('gives the same bytes whatever the order the KPIs and tables were read in', () => {
    const data: SiteData = { kind: 'values', source: 'shop.duckdb', series };
    const again = renderSite({ ...shop, kpis: [...shop.kpis].reverse(), sources: [...shop.sources].reverse() }, data);
    expect([...again.keys()]).toEqual(['index.html', 'kpi/average_order_value.html', 'kpi/hostile.html', 'kpi/new_customers.html', 'kpi/order_count.html', 'kpi/revenue.html', 'lineage.html']);
    for (const [path, content] of site) expect(again.get(path), path).toBe(content);
  });
});
