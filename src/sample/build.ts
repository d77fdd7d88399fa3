// Builds the sample DuckDB database: every table generated inside DuckDB with set-based SQL from
// hash-based pseudo-random values, so that a seed always gives the same data and ten million
// work orders take a minute or two in under 5 GB of memory.

import { rmSync, renameSync, existsSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { randomMacros } from './random.js';
import type { Params, Sql, Step } from './step.js';
import { paramsFor } from './step.js';
import { TABLES, createTableSql } from './tables.js';
import { customers, technicians, timesheets } from './people.js';
import { customerHealth } from './health.js';
import { assetBase, assets, contracts, incidents, monitoredSystems, predictions, productSales } from './installed-base.js';
import { ticketBase, tickets, visits, workOrderBase, workOrders } from './service.js';
import { engagements, surveys } from './voice.js';
import { revenue, serviceCosts } from './finance.js';

export interface BuildOptions {
  /** Where the database file goes; an existing file is replaced only when the build succeeds. */
  path: string;
  /** Number of work orders; every other table is sized in proportion. */
  rows: number;
  seed: number;
  onProgress?: (message: string) => void;
  /** DuckDB worker threads (default: DuckDB's own choice). The data does not depend on it. */
  threads?: number;
  /**
   * DuckDB's memory limit (default 4GB): beyond it, intermediate results spill to a temporary
   * folder next to the database file, removed when the build ends. The data does not depend on it.
   */
  memoryLimit?: string;
}

export interface BuildResult {
  tables: { table: string; rows: number }[];
  seconds: number;
}

/**
 * The steps in dependency order. Staging tables are dropped by the last step that reads them
 * (assets: asset_base, contract_terms; work_orders: asset_info, tech_slot, tech_count; revenue:
 * wo_plan; service_costs: ticket_base), so that memory goes to the work in hand.
 */
export const STEPS: readonly Step[] = [
  customers, customerHealth, technicians, assetBase, productSales, contracts, assets, monitoredSystems, incidents, predictions,
  ticketBase, workOrderBase, workOrders, visits, tickets, revenue, surveys, engagements, serviceCosts, timesheets,
];

export async function buildSample(opts: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const temp = `${opts.path}.tmp-${process.pid}`;
  const progress = opts.onProgress ?? (() => undefined);
  const spill = `${temp}.spill`;
  removeDatabaseFiles(temp);
  try {
    const counts = await buildInto(temp, paramsFor(opts.rows, opts.seed), progress, {
      threads: opts.threads,
      memoryLimit: opts.memoryLimit ?? '4GB',
      spill,
    });
    renameSync(temp, opts.path);
    removeDatabaseFiles(`${opts.path}.wal`, false);
    return { tables: counts, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    removeDatabaseFiles(temp);
    throw error;
  } finally {
    rmSync(spill, { recursive: true, force: true });
  }
}

async function buildInto(
  path: string,
  p: Params,
  progress: (message: string) => void,
  settings: { threads: number | undefined; memoryLimit: string; spill: string },
): Promise<{ table: string; rows: number }[]> {
  const options: Record<string, string> = {
    preserve_insertion_order: 'false',
    memory_limit: settings.memoryLimit,
    temp_directory: settings.spill,
  };
  if (settings.threads !== undefined) options.threads = String(settings.threads);
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(path, options);
  const connection = await instance.connect();
  try {
    const sql = sqlOn(connection);
    for (const macro of randomMacros(p.seed)) await sql.exec(macro);
    for (const table of Object.keys(TABLES)) await sql.exec(createTableSql(table));
    const counts: { table: string; rows: number }[] = [];
    for (const step of STEPS) {
      const t0 = performance.now();
      await step.run(sql, p);
      const seconds = ((performance.now() - t0) / 1000).toFixed(1);
      if (step.table === null) {
        progress(`${step.label} (${seconds}s)`);
        continue;
      }
      // Written out table by table, so the finished tables need not stay in memory.
      await sql.exec('CHECKPOINT');
      const rows = await sql.integer(`SELECT count(*) FROM ${step.table}`);
      counts.push({ table: step.table, rows });
      progress(`${step.table}: ${rows.toLocaleString('en-US')} rows (${seconds}s)`);
    }
    await sql.exec('CHECKPOINT');
    return counts.sort((a, b) => a.table.localeCompare(b.table));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function sqlOn(connection: DuckDBConnection): Sql {
  return {
    async exec(text: string) {
      await connection.run(text);
    },
    async integer(text: string) {
      const reader = await connection.runAndReadAll(text);
      const value = reader.getRows()[0]?.[0];
      return Number(value ?? 0);
    },
  };
}

function removeDatabaseFiles(path: string, withWal = true): void {
  for (const file of withWal ? [path, `${path}.wal`] : [path]) {
    if (existsSync(file)) rmSync(file, { force: true });
  }
}
