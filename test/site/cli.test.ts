// `kpi site` as a user runs it: deterministic files, the database optional by default but checked when
// named, and a failed build that leaves the previous site as it was.

import { DuckDBInstance } from '@duckdb/node-api';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpi, SHOP, writeShopDb } from './shop.js';

let work: string;
let db: string;

/** Every file under `dir` with its bytes, to compare two builds. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir, { recursive: true }).map(String).sort()) if (f.endsWith('.html')) out[f] = readFileSync(join(dir, f), 'utf8');
  return out;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'kpi-site-cli-'));
  db = join(work, 'shop.duckdb');
  await writeShopDb(db);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('kpi site', () => {
  it('writes the same bytes twice, with values from --db', () => {
    const [a, b] = [join(work, 'a'), join(work, 'b')];
    const first = kpi(['site', '--root', SHOP, '--db', db, '--out', a]);
    expect(first.err).toBe(`wrote 7 files to ${a}/: 5 KPIs, values from ${db}\n`);
    expect(first.code).toBe(0);
    expect(kpi(['site', '--root', SHOP, '--db', db, '--out', b]).code).toBe(0);
    const [sa, sb] = [snapshot(a), snapshot(b)];
    expect(Object.keys(sa)).toEqual(['index.html', 'kpi/average_order_value.html', 'kpi/hostile.html', 'kpi/new_customers.html', 'kpi/order_count.html', 'kpi/revenue.html', 'lineage.html']);
    expect(sb).toEqual(sa);
    // 2025 Q4 of the hand-made data: 3 orders done (shop.ts).
    expect(sa['kpi/order_count.html']).toContain('Latest, 2025 Q4: <strong class="value">3</strong>');
  });

  it('says "no data" when the default database does not exist, and writes site/ in the project', () => {
    const project = join(work, 'project');
    cpSync(SHOP, project, { recursive: true });
    const r = kpi(['site', '--root', project]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain("no values: data/sample.duckdb did not exist when the site was built ('kpi sample' builds it)");
    expect(readFileSync(join(project, 'site', 'kpi', 'revenue.html'), 'utf8')).toContain('<p class="nodata">No data: data/sample.duckdb did not exist');
  });

  it('leaves the previous site as it was when the build fails', async () => {
    const out = join(work, 'kept');
    expect(kpi(['site', '--root', SHOP, '--db', db, '--out', out]).code).toBe(0);
    const before = snapshot(out);

    const missing = kpi(['site', '--root', SHOP, '--db', join(work, 'nope.duckdb'), '--out', out]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('error[KPI0506]: the database file');

    // A database without the orders table the KPIs read.
    const partial = join(work, 'partial.duckdb');
    const instance = await DuckDBInstance.create(partial);
    const c = await instance.connect();
    await c.run('CREATE TABLE customers (id INTEGER, region VARCHAR, created_at DATE)');
    c.closeSync();
    instance.closeSync();
    const noTable = kpi(['site', '--root', SHOP, '--db', partial, '--out', out]);
    expect(noTable.code).toBe(1);
    expect(noTable.err).toContain('error[KPI0501]: ');
    expect(noTable.err).toContain("has no table 'orders'");

    // A KPI file with an error.
    const broken = join(work, 'broken');
    cpSync(SHOP, broken, { recursive: true });
    const file = join(broken, 'kpis', 'shop', 'revenue.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('orders.sum(amount', 'orders.sum(amountt'));
    const bad = kpi(['site', '--root', broken, '--db', db, '--out', out]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('KPI0302');

    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(work).filter((f) => f.includes('.tmp-') || f.includes('.old-'))).toEqual([]);
  });

  it('refuses to replace a folder that holds anything but a site', () => {
    const other = join(work, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'mine');
    const r = kpi(['site', '--root', SHOP, '--db', db, '--out', other]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[KPI0504]: ');
    expect(r.err).toContain("holds files that 'kpi site' did not write");
    expect(readdirSync(other)).toEqual(['notes.txt']);
    expect(existsSync(join(other, 'index.html'))).toBe(false);
  });
});
