// Shared by the site tests: the small hand-made project in test/projects/site (five KPIs, one of them
// full of markup), a database for it whose values are worked out by hand below, and the `kpi` binary.

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const SHOP = join(ROOT, 'test', 'projects', 'site');
const BIN = join(ROOT, 'dist', 'cli', 'main.js');

export function kpi(args: string[], cwd = ROOT): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/**
 * Quarters 2024 Q4 to 2025 Q4 (customers start in 2024 Q4, orders end in 2025 Q4). Per quarter:
 *
 * | quarter | orders done (amounts)  | other orders    | new customers |
 * |---------|------------------------|-----------------|---------------|
 * | 2024 Q4 | none                   |                 | 1             |
 * | 2025 Q1 | 1 (10), 2 (30)         |                 | 1             |
 * | 2025 Q2 | none                   |                 | 0             |
 * | 2025 Q3 | 3 (20)                 | 4 cancelled (99)| 0             |
 * | 2025 Q4 | 5 (5), 6 (15), 7 (40)  |                 | 1             |
 *
 * so the last three quarters (Q2, Q3, Q4) read: order_count 0, 1, 3; revenue null, 20, 60;
 * average_order_value null, 20, 20; new_customers 0, 0, 1; hostile (orders whose status is not its
 * odd string) 0, 2, 3.
 */
const TABLES = [
  'CREATE TABLE customers (id INTEGER, region VARCHAR, created_at DATE)',
  "INSERT INTO customers VALUES (1, 'north', DATE '2024-11-05'), (2, 'south', DATE '2025-02-01'), (3, 'north', DATE '2025-12-31')",
  'CREATE TABLE orders (id INTEGER, customer_id INTEGER, status VARCHAR, amount DECIMAL(10, 2), ordered_at TIMESTAMP)',
  `INSERT INTO orders VALUES
     (1, 1, 'done', 10, TIMESTAMP '2025-01-10 09:00:00'),
     (2, 2, 'done', 30, TIMESTAMP '2025-03-31 23:59:59'),
     (3, 1, 'done', 20, TIMESTAMP '2025-07-01 00:00:00'),
     (4, 2, 'cancelled', 99, TIMESTAMP '2025-08-01 12:00:00'),
     (5, 1, 'done', 5, TIMESTAMP '2025-10-02 08:00:00'),
     (6, 2, 'done', 15, TIMESTAMP '2025-11-15 08:00:00'),
     (7, 3, 'done', 40, TIMESTAMP '2025-12-31 23:00:00')`,
];

export async function fillShop(connection: DuckDBConnection): Promise<void> {
  for (const sql of TABLES) await connection.run(sql);
}

/** The shop's database as a file, for the command line. */
export async function writeShopDb(path: string): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  await fillShop(connection);
  connection.closeSync();
  instance.closeSync();
}
