import type { Command } from 'commander';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CheckedProject } from '../check/check.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { writeOutputs } from '../emit/outputs.js';
import { renderSite, type SiteData } from '../emit/site/emit.js';
import { openDatabase } from '../run/duckdb.js';
import { recentValues } from '../run/recent.js';
import { diagnosticsOption, loadChecked, orExit, rootOption, usageError, type CommonOptions } from './common.js';
import { DEFAULT_DB } from './query-options.js';

interface SiteOptions extends CommonOptions {
  out?: string;
  db?: string;
}

/** How many periods of each KPI the site shows. */
export const RECENT_PERIODS = 8;

export function registerSite(program: Command): void {
  program
    .command('site')
    .description('build the KPI catalog as a static HTML site: search and filters, a page per KPI with its recent values, lineage')
    .addOption(rootOption())
    .addOption(diagnosticsOption())
    .option('--out <dir>', 'the folder to write, replaced as a whole (default: site/ in the project folder)')
    .option('--db <file>', `a DuckDB database to read recent values from (default: ${DEFAULT_DB} when it exists)`)
    .action(async (opts: SiteOptions) => {
      const root = resolve(opts.root);
      const out = opts.out ? resolve(opts.out) : join(root, 'site');
      orExit(checkOutFolder(out, opts.out ?? 'site'), opts);
      const project = loadChecked(opts);
      const data = await siteData(project, opts, root);
      const files = renderSite(project, data);
      writeOutputs(files, out);
      const values = data.kind === 'values' ? `values from ${data.source}` : `no values: ${data.reason}`;
      process.stderr.write(`wrote ${files.size} files to ${opts.out ?? 'site'}/: ${project.kpis.length} KPIs, ${values}\n`);
    });
}

/** The site replaces its folder as a whole, so it refuses a folder that holds anything but an earlier site. */
function checkOutFolder(dir: string, label: string): Diagnostic[] {
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory()) return [usageError(`--out ${label} is a file, not a folder`)];
  if (readdirSync(dir).length === 0) return [];
  const index = join(dir, 'index.html');
  if (existsSync(index) && readFileSync(index, 'utf8').includes('<meta name="generator" content="kpi site">')) return [];
  return [usageError(`${label} holds files that 'kpi site' did not write, and the site replaces the whole folder`, 'give --out a new or empty folder, or the folder of an earlier site')];
}

async function siteData(project: CheckedProject, opts: SiteOptions, root: string): Promise<SiteData> {
  const path = opts.db ? resolve(opts.db) : join(root, DEFAULT_DB);
  const source = opts.db ?? DEFAULT_DB;
  // Without --db the sample database is optional: the site says there are no values.
  if (!opts.db && !existsSync(path)) return { kind: 'none', reason: `${DEFAULT_DB} did not exist when the site was built ('kpi sample' builds it)` };
  const opened = await openDatabase({ kind: 'db', path }, project.sources);
  orExit(opened.diagnostics, opts);
  const db = opened.db!;
  try {
    const recent = await recentValues(db, project, RECENT_PERIODS, source);
    orExit(recent.diagnostics, opts);
    return { kind: 'values', source, series: recent.series! };
  } finally {
    db.close();
  }
}
