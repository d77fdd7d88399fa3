import type { Command } from 'commander';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { duckdb } from '../emit/sql/duckdb.js';
import { emitSql } from '../emit/sql/emit.js';
import { renderOutputs, writeOutputs } from '../emit/outputs.js';
import { ROLES, type Role } from '../load/types.js';
import { planQuery } from '../plan/query.js';
import { planReads } from '../plan/reads.js';
import { buildSample } from '../sample/build.js';
import { checkData, openDatabase, runQuery, type Database, type Row } from '../run/duckdb.js';
import { formatValue, statusOf, STATUS_MARK } from '../run/format.js';
import type { CheckedKpi, CheckedProject } from '../check/check.js';
import type { Grain } from '../plan/ir.js';
import { loadChecked, orExit, rootOption, type CommonOptions } from './common.js';
import { DEFAULT_DB } from './query-options.js';
import { DEFAULT_ROWS } from './sample.js';

const ROLE_TITLE: Record<Role, string> = { exec: 'Executive', manager: 'Service manager', dispatcher: 'Dispatcher', technician: 'Technician' };

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('compile the catalog, build the sample data if missing, and print the role dashboards for the last four quarters')
    .addOption(rootOption())
    .action(async (opts: Omit<CommonOptions, 'diagnostics'>) => {
      const common: CommonOptions = { ...opts, diagnostics: 'text' };
      const root = resolve(opts.root);
      const project = loadChecked(common);
      const { outputs, diagnostics } = renderOutputs(project);
      orExit(diagnostics, common);
      writeOutputs(outputs, join(root, 'generated'));
      process.stderr.write(`compiled ${project.kpis.length} KPIs into generated/\n`);
      const path = join(root, DEFAULT_DB);
      // The sample is built by this tool: one made before the schemas grew is built again.
      const stale = existsSync(path) ? await staleSample(path, project) : null;
      if (stale) process.stderr.write(`the sample data in ${DEFAULT_DB} was built for older schemas (${stale})\n`);
      if (!existsSync(path) || stale) {
        mkdirSync(dirname(path), { recursive: true });
        process.stderr.write(`building the sample data (${DEFAULT_ROWS} work orders) into ${DEFAULT_DB}\n`);
        await buildSample({ path, rows: DEFAULT_ROWS, seed: 42, onProgress: (m) => process.stderr.write(`  ${m}\n`) });
      }
      const opened = await openDatabase({ kind: 'db', path }, project.sources);
      orExit(opened.diagnostics, common);
      const db = opened.db!;
      try {
        const rows = await valuesByQuarter(db, project, common);
        process.stdout.write(dashboards(project.kpis, lastQuarters(rows, project.kpis, 4)));
      } finally {
        db.close();
      }
    });
}

/** Why the sample database lacks what the schemas describe (the first problem), or null. */
async function staleSample(path: string, project: CheckedProject): Promise<string | null> {
  const opened = await openDatabase({ kind: 'db', path }, project.sources);
  if (!opened.db) return opened.diagnostics[0]?.message ?? 'it cannot be opened';
  try {
    const needs = project.sources.map((s) => ({ table: s.table, columns: s.columns.map((c) => c.name) }));
    const problems = await checkData(opened.db, needs, project.sources, DEFAULT_DB);
    return problems[0]?.message ?? null;
  } finally {
    opened.db.close();
  }
}

/** The grain a KPI is read at on a quarterly dashboard: its own, when finer than a quarter. */
function dashboardGrain(k: CheckedKpi): Grain {
  return k.def.grain === 'year' ? 'quarter' : k.def.grain;
}

/**
 * One query per grain, each KPI at its own grain (its target is meant for it); a KPI read monthly
 * shows the value of each quarter's last month.
 */
async function valuesByQuarter(db: Database, project: CheckedProject, common: CommonOptions): Promise<Row[]> {
  const kpis = project.kpis;
  const byQuarter = new Map<string, Row>();
  const grains = [...new Set(kpis.map(dashboardGrain))].sort((a, b) => (a === 'quarter' ? -1 : b === 'quarter' ? 1 : a.localeCompare(b)));
  for (const grain of grains) {
    const ids = kpis.filter((k) => dashboardGrain(k) === grain).map((k) => k.def.id.value);
    const plan = planQuery(project, { ids, grain });
    orExit(plan.diagnostics, common);
    orExit(await checkData(db, planReads(plan.value!), project.sources, DEFAULT_DB), common);
    const rows = await runQuery(db, emitSql(plan.value!, { dialect: duckdb, mode: 'bound' }));
    for (const r of rows) {
      const quarter = quarterStart(String(r.period));
      const row = byQuarter.get(quarter) ?? { period: quarter };
      // Rows come in period order: the last one seen in a quarter is its last period.
      for (const id of ids) row[id] = r[id];
      byQuarter.set(quarter, row);
    }
  }
  return [...byQuarter.values()].sort((a, b) => String(a.period).localeCompare(String(b.period)));
}

function quarterStart(period: string): string {
  const [y, m] = period.split('-').map(Number);
  return `${y}-${String(Math.floor((m - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
}

/** The last `n` quarters in which most KPIs have a value (the data's recent history). */
function lastQuarters(rows: Row[], kpis: CheckedKpi[], n: number): Row[] {
  const full = rows.filter((r) => kpis.filter((k) => r[k.def.id.value] !== null).length * 2 >= kpis.length);
  return full.slice(-n);
}

function quarterLabel(period: string): string {
  const [y, m] = period.split('-').map(Number);
  return `${y} Q${Math.floor((m - 1) / 3) + 1}`;
}

function dashboards(kpis: CheckedKpi[], rows: Row[]): string {
  const out: string[] = [];
  const periods = rows.map((r) => quarterLabel(String(r.period)));
  for (const role of ROLES) {
    const mine = kpis.filter((k) => k.def.roles.includes(role));
    if (mine.length === 0) continue;
    const nameWidth = Math.max(24, ...mine.map((k) => k.def.name.length));
    const lines = mine.map((k) => {
      const cells = rows.map((r) => {
        const v = r[k.def.id.value] as number | null;
        const s = statusOf(v, k.def.target, k.def.better);
        return `${formatValue(v, k.def.unit.value)} ${s ? STATUS_MARK[s] : ' '}`;
      });
      const target = k.def.target ? `${k.def.better === 'higher' ? '≥' : '≤'}${formatValue(k.def.target.good, k.def.unit.value)}` : '';
      const finer = dashboardGrain(k) !== 'quarter';
      return { name: `${k.def.name}${finer ? ` (${dashboardGrain(k)})` : ''}`, cells, target };
    });
    const width = Math.max(12, ...lines.flatMap((l) => l.cells.map((c) => c.length + 2)));
    const targetWidth = Math.max(8, ...lines.map((l) => l.target.length));
    out.push(`\n${ROLE_TITLE[role]} dashboard`);
    out.push(`${'KPI'.padEnd(nameWidth)}${periods.map((p) => p.padStart(width)).join('')}  ${'target'.padStart(targetWidth)}`);
    for (const l of lines) out.push(`${l.name.padEnd(nameWidth)}${l.cells.map((c) => c.padStart(width)).join('')}  ${l.target.padStart(targetWidth)}`);
  }
  out.push(`\n✓ meets the target   ! within the warning band   ✗ misses it`);
  out.push(`(month): a KPI read monthly, shown for the quarter's last month, against its monthly target\n`);
  return out.join('\n');
}
