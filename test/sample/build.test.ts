import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSample } from '../../src/sample/build.js';

describe('buildSample', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-build-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces the file only on success, reports progress and row counts', async () => {
    const path = join(dir, 'sample.duckdb');
    writeFileSync(path, 'old');
    await expect(buildSample({ path, rows: 1000, seed: Number.NaN })).rejects.toThrow();
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['sample.duckdb']);

    const messages: string[] = [];
    const result = await buildSample({ path, rows: 1000, seed: 1, onProgress: (m) => messages.push(m) });
    expect(readdirSync(dir)).toEqual(['sample.duckdb']);
    expect(result.seconds).toBeGreaterThan(0);
    expect(result.tables.find((t) => t.table === 'work_orders')?.rows).toBe(1000);
    expect(result.tables).toHaveLength(17);
    expect(messages.some((m) => m.startsWith('work_orders: 1,000 rows'))).toBe(true);
  }, 60_000);
});
