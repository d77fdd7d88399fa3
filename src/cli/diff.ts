import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CheckedProject } from '../check/check.js';
import { projectAtRef } from '../diff/git.js';
import { diffCatalogs, renderDiffMarkdown, type ValueRow } from '../diff/kpi-diff.js';
import { renderOutputs } from '../emit/outputs.js';
import { duckdb } from '../emit/sql/duckdb.js';
import { emitSql } from '../emit/sql/emit.js';
import { compileProject } from '../index.js';
import { planQuery } from '../plan/query.js';
import { openDatabase, runQuery, type Database } from '../run/duckdb.js';
import { orExit, report, rootOption, usageError } from './common.js';
import { DEFAULT_DB } from './query-options.js';

interface DiffOptions {
  root: string;
  db?: string;
  periods: string;
}

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description('what the working tree changes in the catalog against a git revision, as Markdown for a review comment')
    .argument('<ref>', 'the git revision to compare with (e.g. origin/main)')
    .addOption(rootOption())
    .option('--db <file>', `the data the values before and after are computed on (default: ${DEFAULT_DB}, when present)`)
    .option('--periods <n>', 'how many recent periods of values to show', '4')
    .action(async (ref: string, opts: DiffOptions) => {
      const common = { root: opts.root, diagnostics: 'text' as const };
      const periods = Number(opts.periods);
      if (!/^\d+$/.test(opts.periods) || periods < 1 || periods > 100) orExit([usageError(`--periods must be a whole number from 1 to 100; '${opts.periods}' is not`)], common);
      const root = resolve(opts.root);
      const base = projectAtRef(root, ref);
      if ('error' in base) return orExit([usageError(base.error)], common);
      try {
        const head = compileProject(root);
        orExit(head.diagnostics, common);
        // The base may hold errors of its own; its checked KPIs are still compared.
        const before = compileProject(base.dir).value;
        const sql = { base: renderOutputs(before).outputs, head: renderOutputs(head.value).outputs };
        const diff = diffCatalogs(before, head.value, (side, id) => sql[side].get(`sql/${id}.sql`) ?? '');
        const dbPath = opts.db ? resolve(opts.db) : join(root, DEFAULT_DB);
        if (diff.changed.length > 0 && existsSync(dbPath)) {
          const opened = await openDatabase({ kind: 'db', path: dbPath }, head.value.sources);
          report(opened.diagnostics, common);
          if (opened.db) {
            try {
              for (const c of diff.changed) c.values = await valuesBeforeAfter(opened.db, before, head.value, c.id, periods);
            } finally {
              opened.db.close();
            }
          }
        }
        process.stdout.write(renderDiffMarkdown(diff, ref));
      } finally {
        base.cleanup();
      }
    });
}

async function valuesOf(db: Database, project: CheckedProject, id: string, grain: CheckedProject['kpis'][number]['def']['grain']): Promise<Map<string, number | null> | null> {
  const plan = planQuery(project, { ids: [id], grain });
  if (!plan.value) return null;
  try {
    const rows = await runQuery(db, emitSql(plan.value, { dialect: duckdb, mode: 'bound' }));
    return new Map(rows.map((r) => [String(r.period), r[id] as number | null]));
  } catch {
    // The data may not hold what one side reads (a column added by the change): no values then.
    return null;
  }
}

async function valuesBeforeAfter(db: Database, base: CheckedProject, head: CheckedProject, id: string, periods: number): Promise<ValueRow[] | null> {
  const grain = head.kpis.find((k) => k.def.id.value === id)!.def.grain;
  const [b, a] = [await valuesOf(db, base, id, grain), await valuesOf(db, head, id, grain)];
  if (!a && !b) return null;
  const all = [...new Set([...(b?.keys() ?? []), ...(a?.keys() ?? [])])].sort();
  const recent = all.filter((p) => (a?.get(p) ?? null) !== null || (b?.get(p) ?? null) !== null).slice(-periods);
  return recent.map((period) => ({ period, before: b?.get(period) ?? null, after: a?.get(period) ?? null }));
}
