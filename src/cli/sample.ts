import type { Command } from 'commander';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { loadProject } from '../load/project.js';
import { connect, redactUrl, checkUrl } from '../run/postgres.js';
import { buildSample } from '../sample/build.js';
import { copySampleToPostgres } from '../sample/postgres.js';
import { Exit, orExit, rootOption, usageError } from './common.js';
import { DEFAULT_DB } from './query-options.js';

interface SampleOptions {
  root: string;
  rows: string;
  seed: string;
  out?: string;
  url?: string;
}

export const DEFAULT_ROWS = 200_000;

export function registerSample(program: Command): void {
  program
    .command('sample')
    .description('build the sample data set (a DuckDB file), deterministic for a seed; with --url, load it into PostgreSQL')
    .addOption(rootOption())
    .option('--rows <n>', 'number of work orders; other tables in proportion', String(DEFAULT_ROWS))
    .option('--seed <s>', 'seed of the pseudo-random values', '42')
    .option('--out <file>', `the DuckDB file to write (default: ${DEFAULT_DB}; with --url, none unless given)`)
    .option('--url <url>', 'also load the tables into this PostgreSQL database (postgres://user@host:port/database), replacing tables of the same name')
    .action(async (opts: SampleOptions) => {
      const common = { root: opts.root, diagnostics: 'text' as const };
      const rows = Number(opts.rows);
      const seed = Number(opts.seed);
      const errors = [];
      if (!/^\d+$/.test(opts.rows) || rows < 100 || rows > 200_000_000) errors.push(usageError(`--rows must be a whole number from 100 to 200000000; '${opts.rows}' is not`));
      if (!/^\d+$/.test(opts.seed) || seed > 2 ** 31) errors.push(usageError(`--seed must be a whole number from 0 to 2147483648; '${opts.seed}' is not`));
      const badUrl = opts.url ? checkUrl(opts.url) : null;
      if (badUrl) errors.push(badUrl);
      orExit(errors, common);
      // The PostgreSQL tables take their types from the source schemas.
      const sources = opts.url ? loadSources(opts.root, common) : [];
      const client = opts.url ? await connected(opts.url, common) : null;
      // With --url and no --out, the DuckDB file is only a step on the way.
      const scratch = opts.url && !opts.out ? mkdtempSync(join(tmpdir(), 'kpi-sample-')) : null;
      const path = scratch ? join(scratch, 'sample.duckdb') : opts.out ? resolve(opts.out) : join(resolve(opts.root), DEFAULT_DB);
      // The default folder is the project's own; a folder named with --out must exist.
      if (!opts.out && !scratch) mkdirSync(dirname(path), { recursive: true });
      try {
        try {
          const r = await buildSample({ path, rows, seed, onProgress: (m) => process.stderr.write(`  ${m}\n`) });
          process.stderr.write(`wrote ${scratch ? 'the sample' : path} in ${r.seconds.toFixed(1)} s: ${r.tables.map((t) => `${t.table} ${t.rows}`).join(', ')}\n`);
        } catch (e) {
          process.stderr.write(`error[KPI0509]: the sample data could not be built: ${(e as Error).message}\n`);
          throw new Exit(1);
        }
        if (client) {
          try {
            const r = await copySampleToPostgres(path, client, sources, (m) => process.stderr.write(`  ${m}\n`));
            process.stderr.write(`loaded ${r.tables.length} tables into ${redactUrl(opts.url!)} in ${r.seconds.toFixed(1)} s\n`);
          } catch (e) {
            process.stderr.write(`error[KPI0522]: the sample data could not be loaded into PostgreSQL at ${redactUrl(opts.url!)}: ${(e as Error).message}\n  = hint: nothing was changed there: the tables are replaced in one transaction\n`);
            throw new Exit(1);
          }
        }
      } finally {
        await client?.end();
        if (scratch) rmSync(scratch, { recursive: true, force: true });
      }
    });
}

function loadSources(root: string, common: { root: string; diagnostics: 'text' }) {
  const loaded = loadProject({ root: resolve(root) });
  orExit(loaded.diagnostics.filter((d) => d.file?.startsWith('schemas/')), common);
  return loaded.value.sources;
}

async function connected(url: string, common: { root: string; diagnostics: 'text' }) {
  const { client, diagnostics } = await connect(url);
  orExit(diagnostics, common);
  return client!;
}
