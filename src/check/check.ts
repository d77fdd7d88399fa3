// Resolves and checks a whole project: every KPI's formula and measures, the KPI graph, dimensions.

import type { Diagnostic, FileSpan, Result } from '../diagnostics/diagnostic.js';
import { diagnosticAt } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { Expr } from '../lang/ast.js';
import { parseFormula } from '../lang/parse.js';
import type { KpiDef, Project, SourceDef } from '../load/types.js';

/** A KPI file's fixture, as the emitters show it (the docs' worked examples). */
export type { Fixture } from '../load/types.js';
import type { IrExpr } from '../plan/ir.js';
import { buildCatalog, columnOf, findDimension, type Catalog } from './catalog.js';
import { checkFormula, type Scope, type Typed } from './expr.js';
import { expandedSize, exprDepth, MAX_EXPANDED_DEPTH, MAX_EXPANDED_SIZE } from './limits.js';
import { formatUnit, matchesDeclared, type Unit } from './units.js';

export interface CheckedKpi {
  def: KpiDef;
  /** The formula with measures and other KPIs inlined. */
  value: IrExpr;
  unit: Unit;
  measures: { name: string; value: IrExpr; text: string }[];
  /** KPIs this one's formula or measures name directly. */
  dependsOn: string[];
  /** Tables and columns read, directly or through the KPIs it builds on. */
  reads: { table: string; columns: string[] }[];
}

export interface CheckedProject {
  catalog: Catalog;
  sources: SourceDef[];
  kpis: CheckedKpi[];
}

interface Parsed {
  def: KpiDef;
  formula: Expr | null;
  measures: Map<string, { expr: Expr | null; text: string; span: FileSpan }>;
}

export function checkProject(project: Project): Result<CheckedProject> {
  const catalog = buildCatalog(project.sources);
  const diagnostics: Diagnostic[] = [];
  const parsed = new Map<string, Parsed>();
  for (const def of project.kpis) {
    const f = parseFormula(def.formula.text, def.formula.origin);
    diagnostics.push(...f.diagnostics);
    const measures = new Map<string, { expr: Expr | null; text: string; span: FileSpan }>();
    for (const m of def.measures) {
      const r = parseFormula(m.formula.text, m.formula.origin);
      diagnostics.push(...r.diagnostics);
      measures.set(m.name.value, { expr: r.value, text: m.formula.text, span: m.name.span });
    }
    parsed.set(def.id.value, { def, formula: f.value, measures });
  }
  const order = topologicalOrder(parsed, diagnostics);
  const checked = new Map<string, CheckedKpi | null>();
  const ids = new Set(parsed.keys());
  for (const id of order) checked.set(id, checkKpi(parsed.get(id)!, catalog, checked, ids, diagnostics));
  for (const def of project.kpis) {
    for (const r of def.related) {
      if (!parsed.has(r.value)) diagnostics.push({ severity: 'error', code: 'KPI0309', message: `related KPI '${r.value}' does not exist`, file: def.file, span: r.span, hint: didYouMean(r.value, parsed.keys()) });
    }
  }
  const kpis = project.kpis.map((d) => checked.get(d.id.value)).filter((k): k is CheckedKpi => !!k);
  return { value: { catalog, sources: project.sources, kpis }, diagnostics };
}

/** Names used outside aggregates (where they mean measures or KPIs). */
function outerNames(expr: Expr | null): { name: string; span: Expr['span'] }[] {
  const out: { name: string; span: Expr['span'] }[] = [];
  const visit = (e: Expr) => {
    if (e.kind === 'aggregate') return;
    if (e.kind === 'name') out.push({ name: e.name, span: e.span });
    if (e.kind === 'unary') visit(e.operand);
    else if (e.kind === 'binary') (visit(e.left), visit(e.right));
    else if (e.kind === 'in') [e.operand, ...e.values].forEach(visit);
    else if (e.kind === 'is_null') visit(e.operand);
    else if (e.kind === 'call') e.args.forEach(visit);
    else if (e.kind === 'case') {
      e.whens.forEach((w) => (visit(w.when), visit(w.then)));
      if (e.else) visit(e.else);
    }
  };
  if (expr) visit(expr);
  return out;
}

/** KPIs a KPI names (names that are not its own measures). */
function kpiRefs(p: Parsed, ids: Set<string>): { id: string; span: Expr['span']; origin: KpiDef['formula']['origin'] }[] {
  const out: { id: string; span: Expr['span']; origin: KpiDef['formula']['origin'] }[] = [];
  const add = (expr: Expr | null, origin: KpiDef['formula']['origin']) => {
    for (const n of outerNames(expr)) if (!p.measures.has(n.name) && ids.has(n.name)) out.push({ id: n.name, span: n.span, origin });
  };
  add(p.formula, p.def.formula.origin);
  for (const m of p.def.measures) add(p.measures.get(m.name.value)!.expr, m.formula.origin);
  return out;
}

/** KPIs in an order where each comes after those it builds on; each cycle is reported once. */
function topologicalOrder(parsed: Map<string, Parsed>, diagnostics: Diagnostic[]): string[] {
  const ids = new Set(parsed.keys());
  const state = new Map<string, 'visiting' | 'done'>();
  const order: string[] = [];
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (id: string) => {
    if (state.get(id) === 'done') return;
    state.set(id, 'visiting');
    stack.push(id);
    for (const ref of kpiRefs(parsed.get(id)!, ids)) {
      if (state.get(ref.id) === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(ref.id)), ref.id];
        const key = [...cycle].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          diagnostics.push(diagnosticAt(ref.origin, ref.span, 'error', 'KPI0304', `KPIs build on each other in a cycle: ${cycle.join(' → ')}`, 'a KPI cannot depend on itself, directly or through others; break the cycle'));
        }
        continue;
      }
      visit(ref.id);
    }
    stack.pop();
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of [...ids].sort()) visit(id);
  return order;
}

function checkKpi(p: Parsed, catalog: Catalog, checked: Map<string, CheckedKpi | null>, allIds: Set<string>, diagnostics: Diagnostic[]): CheckedKpi | null {
  const { def } = p;
  const local: Diagnostic[] = [];
  checkTime(def, catalog, local);
  const measureResults = new Map<string, Typed | null | 'checking'>();
  const dependsOn = new Set<string>();
  // The levels of the formulas being checked, one inside the other: bounds the checker's recursion.
  let depth = p.formula ? exprDepth(p.formula) : 0;
  const lookupMeasure = (name: string, scope: Scope): Typed | null => {
    const state = measureResults.get(name);
    if (state === 'checking') {
      local.push({ severity: 'error', code: 'KPI0313', message: `measure '${name}' is defined in terms of itself`, file: def.file, span: p.measures.get(name)!.span, hint: 'a measure may use other measures, but not in a cycle' });
      return null;
    }
    if (state !== undefined) return state;
    const m = p.measures.get(name)!;
    const levels = m.expr ? exprDepth(m.expr) : 0;
    if (depth + levels > MAX_EXPANDED_DEPTH) {
      local.push({ severity: 'error', code: 'KPI0218', message: `measure '${name}' is nested too deeply: with the measures that use it written out, one inside the other, the formula is more than ${MAX_EXPANDED_DEPTH} levels deep`, file: def.file, span: m.span, hint: 'measures that use measures that use measures ...: shorten the chain' });
      measureResults.set(name, null);
      return null;
    }
    measureResults.set(name, 'checking');
    const mdef = def.measures.find((x) => x.name.value === name)!;
    depth += levels;
    const result = m.expr ? checkFormula(m.expr, { ...scope, origin: mdef.formula.origin }) : null;
    depth -= levels;
    measureResults.set(name, result);
    return result;
  };
  const scope: Scope = {
    catalog,
    origin: def.formula.origin,
    kpi: def,
    diagnostics: local,
    lookup(name) {
      if (p.measures.has(name)) return lookupMeasure(name, this);
      if (checked.has(name)) {
        dependsOn.add(name);
        const k = checked.get(name);
        return k ? { ir: k.value, type: 'number', unit: k.unit, level: 'aggregate', values: null } : null;
      }
      // A KPI not checked yet is in a cycle, already reported.
      return allIds.has(name) ? null : undefined;
    },
    names: () => [...p.measures.keys(), ...checked.keys()],
  };
  const result = p.formula ? checkFormula(p.formula, scope) : null;
  for (const name of p.measures.keys()) if (!measureResults.has(name)) lookupMeasure(name, scope);
  diagnostics.push(...local);
  if (!result || local.some((d) => d.severity === 'error') || !p.formula) return null;
  const at = (msg: string, code: string, hint?: string) => diagnostics.push(diagnosticAt(def.formula.origin, p.formula!.span, 'error', code, msg, hint));
  const expanded = expandedSize(result.ir);
  if (expanded.size > MAX_EXPANDED_SIZE || expanded.depth > MAX_EXPANDED_DEPTH) {
    const what = expanded.size > MAX_EXPANDED_SIZE ? `more than ${MAX_EXPANDED_SIZE} operations` : `more than ${MAX_EXPANDED_DEPTH} levels deep`;
    return (at(`with its measures and the KPIs it builds on written out, the formula is ${what}`, 'KPI0218', 'a measure or KPI used twice by one used twice ... doubles at each step: compute the shared part once'), null);
  }
  if (result.type !== 'number') return (at(`the formula must give a number, but it gives ${result.type === 'boolean' ? 'a condition (true/false)' : result.type}`, 'KPI0414'), null);
  if (result.level !== 'aggregate') return (at('the formula reads no data: it must aggregate rows of a table, such as work_orders.count()', 'KPI0414'), null);
  const unit = result.unit ?? {};
  const currencies = Object.keys(unit).filter((k) => k.startsWith('currency:')).map((k) => k.slice(9));
  if (def.unit.value === 'currency' && def.currency && currencies.length === 1 && currencies[0] !== def.currency && matchesDeclared(unit, 'currency', null)) {
    diagnostics.push({ severity: 'error', code: 'KPI0404', message: `the formula gives ${currencies[0]}, but the KPI declares currency ${def.currency}`, file: def.file, span: def.unit.span, hint: `declare 'currency: ${currencies[0]}', or read columns in ${def.currency}` });
    return null;
  }
  if (!matchesDeclared(unit, def.unit.value, def.currency)) {
    diagnostics.push({ severity: 'error', code: 'KPI0404', message: `the formula gives ${formatUnit(unit)}, but the KPI declares unit '${def.unit.value}'`, file: def.file, span: def.unit.span, hint: unitHint(unit) });
    return null;
  }
  const value = result.ir;
  const reads = tablesRead(value);
  if (!checkDimensions(def, aggregateTables(value), catalog, diagnostics)) return null;
  const measures = def.measures.map((m) => {
    const r = measureResults.get(m.name.value);
    return { name: m.name.value, value: (r && r !== 'checking' ? r.ir : value), text: m.formula.text };
  });
  return { def, value, unit, measures, dependsOn: [...dependsOn].sort(), reads };
}

function unitHint(u: Unit): string {
  const keys = Object.keys(u);
  if (keys.length === 0) return "a ratio of two like quantities is declared 'percent' or 'ratio'";
  if (keys.length === 1 && keys[0].startsWith('currency:')) return "declare 'unit: currency'";
  if (keys.length === 1 && ['count', 'hours', 'minutes', 'days', 'score'].includes(keys[0])) return `declare 'unit: ${keys[0]}'`;
  return 'divide or multiply by quantities that cancel, so the result is in the declared unit';
}

function checkTime(def: KpiDef, catalog: Catalog, out: Diagnostic[]): void {
  if (!def.time) return;
  const { table, column } = def.time.value;
  const t = catalog.tables.get(table);
  if (!t) {
    out.push({ severity: 'error', code: 'KPI0310', message: `time names table '${table}', which has no schema`, file: def.file, span: def.time.span, hint: didYouMean(table, catalog.tables.keys()) });
    return;
  }
  const col = columnOf(catalog, table, column);
  if (!col) out.push({ severity: 'error', code: 'KPI0310', message: `${table} has no column '${column}'`, file: def.file, span: def.time.span, hint: didYouMean(column, t.columns.map((c) => c.name)) });
  else if (col.type !== 'date' && col.type !== 'timestamp') out.push({ severity: 'error', code: 'KPI0413', message: `the time column ${table}.${column} is ${col.type}, not a date or timestamp`, file: def.file, span: def.time.span });
}

/** Each declared dimension must be reachable, without ambiguity, from every table the KPI reads. */
function checkDimensions(def: KpiDef, tables: string[], catalog: Catalog, out: Diagnostic[]): boolean {
  let ok = true;
  for (const d of def.dimensions) {
    for (const table of tables) {
      const r = findDimension(catalog, table, d.value);
      if (r.kind === 'missing') {
        out.push({ severity: 'error', code: 'KPI0307', message: `dimension '${d.value}' cannot be reached from ${table}, which this KPI reads`, file: def.file, span: d.span, hint: `from ${table} these tables can be reached: ${r.reached.join(', ')}` });
        ok = false;
      } else if (r.kind === 'ambiguous') {
        out.push({ severity: 'error', code: 'KPI0308', message: `dimension '${d.value}' is ambiguous from ${table}: ${r.candidates.join(' and ')}`, file: def.file, span: d.span, hint: `name the table: ${r.candidates[0]}` });
        ok = false;
      }
    }
  }
  return ok;
}

export function tablesRead(value: IrExpr): { table: string; columns: string[] }[] {
  const cols = new Map<string, Set<string>>();
  const add = (t: string, c: string | null) => {
    if (!cols.has(t)) cols.set(t, new Set());
    if (c) cols.get(t)!.add(c);
  };
  const visit = (e: IrExpr): void => {
    switch (e.kind) {
      case 'literal':
      case 'agg_ref':
        return;
      case 'column':
        add(e.table, e.column);
        for (const step of e.path) add(step.fromTable, step.fkColumn);
        return;
      case 'neg':
      case 'not':
      case 'is_null':
      case 'previous':
      case 'shifted':
        return visit(e.operand);
      case 'arith':
      case 'compare':
      case 'logic':
        visit(e.left);
        return visit(e.right);
      case 'in':
        visit(e.operand);
        return e.values.forEach(visit);
      case 'call':
        return e.args.forEach(visit);
      case 'case':
        e.whens.forEach((w) => (visit(w.when), visit(w.then)));
        if (e.else) visit(e.else);
        return;
      case 'aggregate': {
        const s = e.spec;
        add(s.table, null);
        if (s.time.kind === 'snapshot') (add(s.table, s.time.from), add(s.table, s.time.to));
        else add(s.table, s.time.column);
        if (s.time.kind === 'semi' && s.time.per) add(s.table, s.time.per);
        if (s.arg) visit(s.arg);
        if (s.filter) visit(s.filter);
        return;
      }
      case 'related': {
        const s = e.spec;
        add(s.table, null);
        if (s.time?.kind === 'snapshot') (add(s.table, s.time.from), add(s.table, s.time.to));
        else if (s.time) add(s.table, s.time.column);
        for (const step of s.path) (add(step.fromTable, step.fkColumn), add(step.toTable, step.toKey));
        if (s.arg) visit(s.arg);
        if (s.filter) visit(s.filter);
        return;
      }
      default: {
        const never: never = e;
        return never;
      }
    }
  };
  visit(value);
  return [...cols.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([table, c]) => ({ table, columns: [...c].sort() }));
}

/** The tables the aggregates of an expression read (not the tables they join to). */
export function aggregateTables(value: IrExpr): string[] {
  const out = new Set<string>();
  const visit = (e: IrExpr): void => {
    if (e.kind === 'aggregate') out.add(e.spec.table);
    for (const c of irChildren(e)) visit(c);
  };
  visit(value);
  return [...out].sort();
}

export function irChildren(e: IrExpr): IrExpr[] {
  switch (e.kind) {
    case 'literal':
    case 'column':
    case 'agg_ref':
      return [];
    case 'neg':
    case 'not':
    case 'is_null':
    case 'previous':
    case 'shifted':
      return [e.operand];
    case 'arith':
    case 'compare':
    case 'logic':
      return [e.left, e.right];
    case 'in':
      return [e.operand, ...e.values];
    case 'call':
      return e.args;
    case 'case':
      return [...e.whens.flatMap((w) => [w.when, w.then]), ...(e.else ? [e.else] : [])];
    case 'aggregate':
    case 'related':
      return [...(e.spec.arg ? [e.spec.arg] : []), ...(e.spec.filter ? [e.spec.filter] : [])];
    default: {
      const never: never = e;
      return never;
    }
  }
}
