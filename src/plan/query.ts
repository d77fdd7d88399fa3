// A query as a user asks for it (KPI ids, grain, dimensions, a --where condition) → a QueryPlan.

import type { Diagnostic, Result } from '../diagnostics/diagnostic.js';
import { plainOrigin } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { CheckedKpi, CheckedProject } from '../check/check.js';
import { checkRowCondition, type Scope } from '../check/expr.js';
import { parseFormula } from '../lang/parse.js';
import type { Expr } from '../lang/ast.js';
import { buildPlan } from './build.js';
import type { IrExpr, QueryGrain, QueryPlan } from './ir.js';

export interface QueryRequest {
  ids: string[];
  /** Default: the first KPI's grain. */
  grain?: QueryGrain;
  /** `all` (default): every period of the range; `data`: only periods with rows. */
  periods?: 'all' | 'data';
  by?: string[];
  where?: string | null;
}

export function planQuery(project: CheckedProject, request: QueryRequest): Result<QueryPlan | null> {
  const diagnostics: Diagnostic[] = [];
  const kpis: CheckedKpi[] = [];
  for (const id of request.ids) {
    const k = project.kpis.find((x) => x.def.id.value === id);
    if (k) kpis.push(k);
    else diagnostics.push({ severity: 'error', code: 'KPI0505', message: `there is no KPI '${id}'${project.kpis.length ? '' : ' (no KPI passed the checks)'}`, hint: didYouMean(id, project.kpis.map((x) => x.def.id.value)) });
  }
  if (kpis.length === 0 && diagnostics.length === 0) diagnostics.push({ severity: 'error', code: 'KPI0505', message: 'no KPI was named', hint: 'name one or more KPI ids' });
  if (diagnostics.length > 0) return { value: null, diagnostics };
  let where: ((table: string) => IrExpr | null) | undefined;
  if (request.where) {
    const resolved = resolveWhere(project, kpis[0], request.where, diagnostics);
    if (!resolved) return { value: null, diagnostics };
    where = resolved;
  }
  const grain = request.grain ?? kpis[0].def.grain;
  const plan = buildPlan(kpis, project.catalog, { grain, periods: request.periods, by: request.by ?? [], where });
  const all = dedupe([...diagnostics, ...plan.diagnostics]);
  return { value: all.some((d) => d.severity === 'error') ? null : plan.value, diagnostics: all };
}

/** A --where error found once per table the query reads is one error. */
function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}|${d.file}|${d.span?.line}:${d.span?.column}|${d.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** `--where` is a row condition in the formula language, resolved against each table the query reads. */
function resolveWhere(project: CheckedProject, first: CheckedKpi, text: string, diagnostics: Diagnostic[]): ((table: string) => IrExpr | null) | null {
  const origin = plainOrigin('<--where>', text);
  const parsed = parseFormula(text, origin);
  diagnostics.push(...parsed.diagnostics);
  if (!parsed.value) return null;
  const expr: Expr = parsed.value;
  const cache = new Map<string, IrExpr | null>();
  const scope: Scope = { catalog: project.catalog, origin, kpi: first.def, diagnostics, lookup: () => undefined, names: () => [] };
  const resolve = (table: string): IrExpr | null => {
    if (!cache.has(table)) {
      const t = checkRowCondition(expr, project.catalog.tables.get(table)!, scope);
      cache.set(table, t ? t.ir : null);
    }
    return cache.get(table)!;
  };
  return resolve;
}
