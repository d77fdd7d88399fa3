// Shared helpers for the sample-data tests: build into a temporary folder and query the result.

import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from 'yaml';
import { buildSample } from '../../src/sample/build.js';

export const SOURCES_DIR = join(import.meta.dirname, '..', '..', 'schemas', 'sources');

export interface SourceColumn {
  type: 'integer' | 'decimal' | 'boolean' | 'string' | 'date' | 'timestamp';
  unit?: string;
  currency?: string;
  values?: string[];
  nullable?: boolean;
  references?: string;
  description?: string;
}

export interface SourceFile {
  table: string;
  description?: string;
  primary_key: string;
  time?: string;
  lifespan?: { from: string; to: string };
  columns: Record<string, SourceColumn>;
}

export function readSources(): { file: string; text: string; source: SourceFile }[] {
  return readdirSync(SOURCES_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(SOURCES_DIR, file), 'utf8');
      return { file, text, source: parse(text) as SourceFile };
    });
}

export interface Db {
  rows(sql: string): Promise<Record<string, unknown>[]>;
  value(sql: string): Promise<number>;
  close(): void;
}

export async function openDb(path: string): Promise<Db> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  const rows = async (sql: string): Promise<Record<string, unknown>[]> =>
    (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  return {
    rows,
    async value(sql: string) {
      const first = (await rows(sql))[0];
      return Number(Object.values(first ?? {})[0] ?? Number.NaN);
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Builds a sample database in a fresh temporary folder; `cleanup` removes the folder. */
export async function buildTemp(rows: number, seed: number, threads?: number): Promise<{ path: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-sample-'));
  const path = join(dir, 'sample.duckdb');
  await buildSample({ path, rows, seed, threads });
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
