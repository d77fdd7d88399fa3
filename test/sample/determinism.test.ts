import { afterAll, describe, expect, it } from 'vitest';
import { buildTemp, openDb } from './helpers.js';
import { TABLES } from '../../src/sample/tables.js';

/** An md5 of every table's rows in id order: equal checksums mean equal contents. */
async function checksums(path: string): Promise<Record<string, string>> {
  const db = await openDb(path);
  try {
    const out: Record<string, string> = {};
    for (const table of Object.keys(TABLES)) {
      const [row] = await db.rows(
        `SELECT count(*) || ':' || md5(string_agg(CAST(t AS VARCHAR), chr(10) ORDER BY t.id)) AS c FROM ${table} t`,
      );
      out[table] = String(row.c);
    }
    return out;
  } finally {
    db.close();
  }
}

describe('sample data determinism', () => {
  const cleanups: (() => void)[] = [];
  afterAll(() => cleanups.forEach((c) => c()));

  it('gives identical tables for the same seed, whatever the thread count, and different ones for another seed', async () => {
    const a = await buildTemp(5000, 42, 1);
    const b = await buildTemp(5000, 42, 2);
    const c = await buildTemp(5000, 43);
    cleanups.push(a.cleanup, b.cleanup, c.cleanup);
    const [sa, sb, sc] = await Promise.all([checksums(a.path), checksums(b.path), checksums(c.path)]);
    expect(sb).toEqual(sa);
    for (const table of Object.keys(TABLES)) expect(sc[table], table).not.toEqual(sa[table]);
  }, 60_000);
});
