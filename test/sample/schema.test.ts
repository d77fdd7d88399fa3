import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, type SourceColumn, SOURCES_DIR, buildTemp, openDb, readSources } from './helpers.js';

// Types the YAML column types map to in the sample database. Integers are BIGINT (ids) or
// INTEGER (scores, counts); decimals are DECIMAL(18,2).
const DUCKDB_TYPES: Record<SourceColumn['type'], string[]> = {
  integer: ['BIGINT', 'INTEGER'],
  decimal: ['DECIMAL(18,2)'],
  boolean: ['BOOLEAN'],
  string: ['VARCHAR'],
  date: ['DATE'],
  timestamp: ['TIMESTAMP'],
};

const sources = readSources();

describe('source files', () => {
  const schema = JSON.parse(readFileSync(join(SOURCES_DIR, '..', 'source.schema.json'), 'utf8')) as object;
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

  it.each(sources.map((s) => [s.file, s] as const))('%s is valid and self-consistent', (file, { text, source }) => {
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../source.schema.json');
    expect(validate(source), JSON.stringify(validate.errors)).toBe(true);
    expect(file).toBe(`${source.table}.yaml`);
    expect(source.description).toBeTruthy();
    const names = Object.keys(source.columns);
    expect(names).toContain(source.primary_key);
    if (source.time) expect(names).toContain(source.time);
    if (source.lifespan) expect(names).toEqual(expect.arrayContaining([source.lifespan.from, source.lifespan.to]));
    for (const [name, column] of Object.entries(source.columns)) {
      if (column.references) expect(sources.map((s) => s.source.table), `${name} references`).toContain(column.references);
      if (column.unit === 'currency') expect(column.currency, name).toBe('EUR');
      if (column.type === 'decimal') expect(column.unit, `${name} needs a unit`).toBeTruthy();
    }
  });
});

describe('sample database matches the source files', () => {
  let db: Db;
  let cleanup: () => void;
  beforeAll(async () => {
    const built = await buildTemp(5000, 7);
    cleanup = built.cleanup;
    db = await openDb(built.path);
  }, 60_000);
  afterAll(() => {
    db?.close();
    cleanup?.();
  });

  it('has exactly the tables of the source files', async () => {
    const tables = (await db.rows(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1`))
      .map((r) => r.table_name);
    expect(tables).toEqual(sources.map((s) => s.source.table).sort());
  });

  it.each(sources.map((s) => [s.source.table, s.source] as const))('%s', async (table, source) => {
    const columns = await db.rows(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '${table}' ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => c.column_name).sort()).toEqual(Object.keys(source.columns).sort());
    expect(await db.value(`SELECT count(*) FROM ${table}`)).toBeGreaterThan(0);
    for (const { column_name: name, data_type: type } of columns) {
      const column = source.columns[String(name)];
      expect(DUCKDB_TYPES[column.type], `${table}.${name}`).toContain(type);
      const nulls = await db.value(`SELECT count(*) FROM ${table} WHERE ${name} IS NULL`);
      if (!column.nullable) expect(nulls, `${table}.${name} has nulls`).toBe(0);
      if (column.values) {
        const list = column.values.map((v) => `'${v}'`).join(', ');
        const bad = await db.rows(`SELECT DISTINCT ${name} AS v FROM ${table} WHERE ${name} NOT IN (${list})`);
        expect(bad, `${table}.${name} values`).toEqual([]);
      }
      if (column.references) {
        const target = sources.find((s) => s.source.table === column.references)!.source;
        const dangling = await db.value(
          `SELECT count(*) FROM ${table} x WHERE x.${name} IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM ${column.references} y WHERE y.${target.primary_key} = x.${name})`,
        );
        expect(dangling, `${table}.${name} → ${column.references}`).toBe(0);
      }
    }
    const duplicates = await db.value(
      `SELECT count(*) - count(DISTINCT ${source.primary_key}) FROM ${table}`,
    );
    expect(duplicates, `${table} primary key`).toBe(0);
    if (source.lifespan) {
      const { from, to } = source.lifespan;
      const backwards = await db.value(`SELECT count(*) FROM ${table} WHERE ${to} < ${from}`);
      expect(backwards, `${table} lifespan ends before it starts`).toBe(0);
    }
  });

  it('keeps every time column inside the history', async () => {
    for (const { source } of sources) {
      if (!source.time || source.table === 'contracts') continue; // renewals may be due after the data ends
      const outside = await db.value(
        `SELECT count(*) FROM ${source.table} WHERE ${source.time} >= DATE '2026-01-01'
           OR (${source.time} < DATE '2022-01-01' AND '${source.table}' NOT IN ('customers', 'customer_health', 'assets', 'monitored_systems'))`,
      );
      expect(outside, source.table).toBe(0);
    }
  });
});
