import type { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { buildSample } from '../sample/build.js';
import { Exit, orExit, rootOption, usageError } from './common.js';
import { DEFAULT_DB } from './query-options.js';

interface SampleOptions {
  root: string;
  rows: string;
  seed: string;
  out?: string;
}

export const DEFAULT_ROWS = 200_000;

export function registerSample(program: Command): void {
  program
    .command('sample')
    .description('build the sample data set (a DuckDB file), deterministic for a seed')
    .addOption(rootOption())
    .option('--rows <n>', 'number of work orders; other tables in proportion', String(DEFAULT_ROWS))
    .option('--seed <s>', 'seed of the pseudo-random values', '42')
    .option('--out <file>', `the DuckDB file to write (default: ${DEFAULT_DB})`)
    .action(async (opts: SampleOptions) => {
      const rows = Number(opts.rows);
      const seed = Number(opts.seed);
      const errors = [];
      if (!/^\d+$/.test(opts.rows) || rows < 100 || rows > 200_000_000) errors.push(usageError(`--rows must be a whole number from 100 to 200000000; '${opts.rows}' is not`));
      if (!/^\d+$/.test(opts.seed) || seed > 2 ** 31) errors.push(usageError(`--seed must be a whole number from 0 to 2147483648; '${opts.seed}' is not`));
      orExit(errors, { root: opts.root, diagnostics: 'text' });
      const path = opts.out ? resolve(opts.out) : join(resolve(opts.root), DEFAULT_DB);
      // The default folder is the project's own; a folder named with --out must exist.
      if (!opts.out) mkdirSync(dirname(path), { recursive: true });
      try {
        const r = await buildSample({ path, rows, seed, onProgress: (m) => process.stderr.write(`  ${m}\n`) });
        process.stderr.write(`wrote ${path} in ${r.seconds.toFixed(1)} s: ${r.tables.map((t) => `${t.table} ${t.rows}`).join(', ')}\n`);
      } catch (e) {
        process.stderr.write(`error[KPI0509]: the sample data could not be built: ${(e as Error).message}\n`);
        throw new Exit(1);
      }
    });
}
