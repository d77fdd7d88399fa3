// Metrics → KPIs. A simple metric aggregates one measure; a ratio divides two metrics; a derived
// metric is an expression of metrics, some of them offset (`previous(x, 1 month)`, `start_of(x,
// month)`); a cumulative metric aggregates its measure over a window (`over 7 days`), from the start
// of a grain (`over month to date`) or over all time. Filters go into every aggregate they apply to.
//
// MetricFlow computes each metric of a derived or ratio metric on its own and joins the results,
// so an input with no rows in a period is null there, not 0. Counts are therefore written
// `if(rows = 0, null, count)`, and `fill_nulls_with` fills only periods that have rows, unless the
// metric also joins to the time spine (then every period shows the value: `empty:` and coalesce).

import { reachable } from '../../check/catalog.js';
import type { Unit } from '../../check/units.js';
import { DIMENSIONLESS, matchesDeclared } from '../../check/units.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { didYouMean } from '../../diagnostics/suggest.js';
import { GRAINS, KPI_UNITS, ROLES, TIERS, type Grain, type KpiUnit, type Role, type Tier } from '../../load/types.js';
import { translateFilter } from './filters.js';
import type { MeasureInfo, SemanticIndex } from './models.js';
import type { MfInput, MfMetric, MfProject, Place, SourceText } from './read.js';
import { isFormulaName, paren, Prec, SqlError, translateSql, type Formula } from './sql-expr.js';
import { diagnosticAt } from '../../diagnostics/diagnostic.js';

export interface ImportedKpi {
  id: string;
  name: string;
  description: string;
  question: string;
  tier: Tier;
  roles: Role[];
  owner: string;
  tags: string[];
  unit: KpiUnit;
  currency: string | null;
  better: 'higher' | 'lower';
  measures: [string, string][];
  formula: string;
  /** `table.column`, when the KPI's first aggregate reads its table's default time column. */
  time: string | null;
  grain: Grain;
  dimensions: string[];
  /** What a period with no rows shows, when MetricFlow fills it (join_to_timespine + fill_nulls_with). */
  empty: number | null;
  /** The MetricFlow metric it comes from. */
  metric: MfMetric;
  /** The formula's unit, for the KPIs that build on this one. */
  valueUnit: Unit | null;
  /**
   * A metric that fills nulls without joining to the time spine shows its fill value in a period
   * with no rows when queried itself, but is null there as an input of a ratio or derived metric:
   * its inputs take its formula, not its KPI.
   */
  inlineAsInput: boolean;
  tables: string[];
}

export interface MetricOptions {
  /** Conversion metrics (and the metrics built on them) are skipped with a warning, not an error. */
  skipUnsupported?: boolean;
}

/** A value being built: formula text, how tightly it binds, its unit, and the tables it aggregates. */
interface Value {
  text: string;
  prec: number;
  unit: Unit | null;
  tables: string[];
  /** The first aggregate's table and time column. */
  time: { table: string; column: string; grain: string | null } | null;
}

/** Where the parts of a value go: named measures of the KPI being written, or inline text. */
interface Sink {
  measure(name: string, value: Value): Value;
}

const inline: Sink = { measure: (_name, value) => value };

const INTERVAL = /^\s*(\d+)\s+(day|week|month|quarter|year)s?\s*$/i;

export function parseInterval(text: string): { count: number; unit: string } | null {
  const m = INTERVAL.exec(text);
  if (!m || Number(m[1]) < 1) return null;
  return { count: Number(m[1]), unit: m[2].toLowerCase() };
}

export function intervalText(i: { count: number; unit: string }): string {
  return `${i.count} ${i.unit}${i.count === 1 ? '' : 's'}`;
}

const SUPPORTED_TYPES = ['simple', 'ratio', 'derived', 'cumulative'];

export function importMetrics(project: MfProject, index: SemanticIndex, diagnostics: Diagnostic[], options: MetricOptions = {}): ImportedKpi[] {
  const metrics = new Map<string, MfMetric>();
  for (const m of project.metrics) {
    if (metrics.has(m.name)) {
      diagnostics.push({ severity: 'error', code: 'KPI0704', message: `metric '${m.name}' is declared twice`, ...m.at });
      continue;
    }
    metrics.set(m.name, m);
  }
  // `create_metric: true` makes a simple metric of a measure.
  for (const mi of index.measures.values()) {
    const measure = mi.measure;
    if (!measure.createMetric) continue;
    if (metrics.has(measure.name)) {
      diagnostics.push({ severity: 'error', code: 'KPI0704', message: `measure '${measure.name}' creates a metric, but a metric of that name is declared too`, ...measure.at });
      continue;
    }
    const at = measure.at;
    metrics.set(measure.name, {
      name: measure.name,
      type: { value: 'simple', at },
      label: measure.label,
      description: measure.description,
      filters: [],
      measure: { name: { value: measure.name, at }, alias: null, filters: [], offsetWindow: null, offsetToGrain: null, fillNullsWith: null, joinToTimespine: false, at },
      numerator: null,
      denominator: null,
      expr: null,
      inputs: [],
      window: null,
      grainToDate: null,
      periodAgg: null,
      timeGranularity: null,
      meta: measure.meta,
      at,
    });
  }
  const builder = new Builder(index, metrics, diagnostics, options);
  const out: ImportedKpi[] = [];
  for (const name of [...metrics.keys()].sort()) {
    const k = builder.kpi(name);
    if (k) out.push(k);
  }
  return out;
}

class Builder {
  private readonly done = new Map<string, ImportedKpi | null>();
  private readonly building: string[] = [];
  /** Metrics that failed because of a cycle or an unsupported type: reported once. */
  private readonly skipped = new Map<string, 'error' | 'warning'>();

  constructor(
    readonly index: SemanticIndex,
    readonly metrics: Map<string, MfMetric>,
    readonly diagnostics: Diagnostic[],
    readonly options: MetricOptions,
  ) {}

  error(at: Place, code: string, message: string, hint?: string, severity: 'error' | 'warning' = 'error'): null {
    this.diagnostics.push({ severity, code, message, file: at.file, span: at.span, ...(hint ? { hint } : {}) });
    return null;
  }

  kpi(name: string): ImportedKpi | null {
    if (this.done.has(name)) return this.done.get(name)!;
    const metric = this.metrics.get(name)!;
    this.building.push(name);
    const before = this.diagnostics.filter((d) => d.severity === 'error').length;
    const result = this.build(metric);
    this.building.pop();
    const failed = this.diagnostics.filter((d) => d.severity === 'error').length > before;
    // Left out without an error: it builds on a metric that --skip-unsupported skips.
    if (!result && !failed && !this.skipped.has(name)) this.skipped.set(name, 'warning');
    this.done.set(name, failed ? null : result);
    return failed ? null : result;
  }

  /** The KPI of another metric that an input names, with cycle and existence checks. */
  dependency(input: MfInput): ImportedKpi | null | 'skipped' {
    const name = input.name.value;
    if (!this.metrics.has(name)) {
      return this.error(input.name.at, 'KPI0710', `there is no metric '${name}'`, didYouMean(name, this.metrics.keys()));
    }
    const at = this.building.indexOf(name);
    if (at >= 0) {
      const cycle = [...this.building.slice(at), name];
      return this.error(input.name.at, 'KPI0711', `metrics build on each other in a cycle: ${cycle.join(' → ')}`, 'a metric cannot depend on itself, directly or through others; break the cycle');
    }
    const k = this.kpi(name);
    if (k) return k;
    const severity = this.skipped.get(name);
    if (severity) {
      this.error(input.name.at, 'KPI0720', `this metric builds on '${name}', which is not imported`, undefined, severity);
      return 'skipped';
    }
    return this.error(input.name.at, 'KPI0720', `this metric builds on '${name}', which cannot be imported (see its errors)`);
  }

  build(metric: MfMetric): ImportedKpi | null {
    const type = metric.type.value;
    if (type === 'conversion') {
      const severity = this.options.skipUnsupported ? 'warning' : 'error';
      this.skipped.set(metric.name, severity);
      return this.error(metric.type.at, 'KPI0712', `metric '${metric.name}' is a conversion metric, which the importer does not support`, this.options.skipUnsupported ? 'it is skipped' : 'import with --skip-unsupported to leave it out and import the rest', severity);
    }
    if (!SUPPORTED_TYPES.includes(type)) {
      return this.error(metric.type.at, 'KPI0713', `metric '${metric.name}' has the unknown type '${type}'`, didYouMean(type, [...SUPPORTED_TYPES, 'conversion']) ?? 'the types are simple, ratio, derived, cumulative and conversion');
    }
    if (!isFormulaName(metric.name)) {
      return this.error(metric.at, 'KPI0726', `the metric name '${metric.name}' cannot be a KPI id`, 'KPI ids are lower-case letters, digits and underscores, and not a reserved word of the formula language');
    }
    const measures: [string, string][] = [];
    const sink = this.measureSink(measures);
    let empty: number | null = null;
    let value: Value | null = null;
    if (type === 'simple' || type === 'cumulative') {
      if (!metric.measure) return this.error(metric.at, 'KPI0702', `${type} metric '${metric.name}' names no measure`, 'add type_params: { measure: ... }');
      const over = type === 'cumulative' ? this.over(metric) : null;
      if (over === undefined) return null;
      if (type === 'cumulative') this.periodAgg(metric);
      value = this.measureValue(metric.measure, metric.filters, over, sink, true);
      if (metric.measure.fillNullsWith && metric.measure.joinToTimespine) empty = metric.measure.fillNullsWith.value;
    } else if (type === 'ratio') {
      value = this.ratio(metric, [], sink);
    } else {
      value = this.derived(metric, [], sink);
    }
    if (!value) return null;
    return this.describe(metric, value, measures, empty);
  }

  /** Registers measures under unique names; the same text is one measure. */
  measureSink(measures: [string, string][]): Sink {
    return {
      measure: (name, value) => {
        const same = measures.find(([, text]) => text === value.text);
        if (same) return { ...value, text: same[0], prec: Prec.Atom };
        let n = name;
        for (let i = 2; measures.some(([m]) => m === n) || !isFormulaName(n); i++) n = `${name}_${i}`;
        measures.push([n, value.text]);
        return { ...value, text: n, prec: Prec.Atom };
      },
    };
  }

  // ---- measures ----------------------------------------------------------------------------

  measure(input: MfInput): MeasureInfo | null {
    const mi = this.index.measures.get(input.name.value);
    if (mi) return mi;
    const known = [...this.index.measures.keys()];
    const declared = this.metricsMeasureExists(input.name.value);
    if (declared) return null; // its own errors were reported where it is declared
    return this.error(input.name.at, 'KPI0710', `there is no measure '${input.name.value}'`, didYouMean(input.name.value, known));
  }

  /** A measure declared in the project that failed its own checks. */
  metricsMeasureExists(name: string): boolean {
    return this.index.tables.some((t) => t.model.measures.some((m) => m.name === name));
  }

  /** One aggregate over the measure's table, with the filters, the time column and the window. */
  aggregate(mi: MeasureInfo, filters: SourceText[], over: string | null): { value: Value; rows: Value } | null {
    const t = mi.table;
    const conditions: Formula[] = [];
    for (const f of filters) {
      const before = this.diagnostics.length;
      const condition = translateFilter(f, { index: this.index, table: t, timeColumn: mi.time?.column ?? null }, this.diagnostics);
      if (condition === null || this.diagnostics.length > before) return null;
      conditions.push(condition);
    }
    if (mi.semiAdditive && over) {
      return this.error(mi.measure.at, 'KPI0715', `measure '${mi.measure.name}' is non-additive, and a cumulative metric cannot aggregate it over a window`);
    }
    const clause = (extra: Formula | null): string => {
      const all = [...(extra ? [extra] : []), ...conditions];
      const parts: string[] = [];
      if (all.length > 0) parts.push(`where ${all.map((c) => (all.length === 1 ? c.text : paren(c, Prec.Not))).join(' and ')}`);
      if (mi.time && mi.time.column !== t.time) parts.push(`on ${mi.time.column}`);
      if (over) parts.push(over);
      if (mi.semiAdditive) parts.push(`at ${mi.semiAdditive.edge}${mi.semiAdditive.per ? ` per ${mi.semiAdditive.per}` : ''}`);
      return parts.join(' ');
    };
    const call = (fn: string, args: string[], extra: Formula | null = null) => {
      const c = clause(extra);
      return `${t.table}.${fn}(${args.join(', ')}${args.length > 0 && c ? ' ' : ''}${c})`;
    };
    const arg = mi.arg;
    let text: string;
    let unit: Unit | null;
    switch (mi.fn) {
      case 'count':
        text = call('count', arg ? [arg.text] : []);
        unit = { count: 1 };
        break;
      case 'count_distinct':
        text = call('count_distinct', [arg!.text]);
        unit = { count: 1 };
        break;
      case 'sum_boolean':
        text = call('count', [], arg);
        unit = { count: 1 };
        break;
      case 'median':
        text = call(mi.discrete ? 'median_disc' : 'median', [arg!.text]);
        unit = arg!.unit ?? DIMENSIONLESS;
        break;
      case 'percentile':
        text = call(mi.discrete ? 'percentile_disc' : 'percentile', [arg!.text, String(mi.fraction)]);
        unit = arg!.unit ?? DIMENSIONLESS;
        break;
      default:
        text = call(mi.fn, [arg!.text]);
        unit = arg!.unit ?? DIMENSIONLESS;
    }
    const time = mi.time ? { table: t.table, column: mi.time.column, grain: mi.time.grain } : null;
    const base = { prec: Prec.Atom, tables: [t.table], time };
    return { value: { text, unit, ...base }, rows: { text: call('count', []), unit: { count: 1 }, ...base } };
  }

  /**
   * A measure as MetricFlow reads it in a simple or cumulative metric: null in a period without
   * rows. With fill_nulls_with, a metric queried itself (`topLevel`) shows the fill value wherever
   * the query has a row; as an input of another metric it stays null where it has no rows, unless
   * it joins to the time spine.
   */
  measureValue(input: MfInput, metricFilters: SourceText[], over: string | null, sink: Sink, topLevel: boolean): Value | null {
    const mi = this.measure(input);
    if (!mi) return null;
    const agg = this.aggregate(mi, [...input.filters, ...metricFilters], over);
    if (!agg) return null;
    const countLike = mi.fn === 'count' || mi.fn === 'count_distinct' || mi.fn === 'sum_boolean';
    const fill = input.fillNullsWith?.value ?? null;
    const spine = input.joinToTimespine;
    const m = sink.measure(mi.measure.name, agg.value);
    const needRows = countLike || (fill !== null && !spine && !topLevel);
    const rows = !needRows ? null : agg.rows.text === agg.value.text ? m : sink.measure(`${mi.measure.name}_rows`, agg.rows);
    const guard = (v: Value): Value => ({ ...v, text: `if(${rows!.text} = 0, null, ${v.text})`, prec: Prec.Atom });
    const coalesce = (v: Value): Value => ({ ...v, text: `coalesce(${v.text}, ${numberText(fill!)})`, prec: Prec.Atom });
    let v = m;
    if (fill === null) v = countLike ? guard(m) : m;
    else if (spine || topLevel) v = coalesce(countLike ? guard(m) : m);
    else v = guard(coalesce(m));
    return v;
  }

  over(metric: MfMetric): string | null | undefined {
    if (metric.window && metric.grainToDate) {
      this.error(metric.grainToDate.at, 'KPI0714', `cumulative metric '${metric.name}' has both a window and a grain_to_date; MetricFlow allows one of them`);
      return undefined;
    }
    if (metric.window) {
      const i = parseInterval(metric.window.value);
      if (!i) {
        this.error(metric.window.at, 'KPI0714', `the window '${metric.window.value}' cannot be translated`, 'write a whole number and a unit: day, week, month, quarter or year (such as 7 days)');
        return undefined;
      }
      return `over ${intervalText(i)}`;
    }
    if (metric.grainToDate) {
      const g = metric.grainToDate.value.toLowerCase();
      if (!['day', 'week', 'month', 'quarter', 'year'].includes(g)) {
        this.error(metric.grainToDate.at, 'KPI0714', `the grain_to_date '${metric.grainToDate.value}' cannot be translated`, 'the grains are day, week, month, quarter and year');
        return undefined;
      }
      return `over ${g} to date`;
    }
    return 'over all time';
  }

  /** period_agg: `last` is what `over` computes at every grain; `first` and `average` only at day grain. */
  periodAgg(metric: MfMetric): void {
    const agg = (metric.periodAgg?.value ?? 'first').toLowerCase();
    if (agg === 'last') return;
    if (agg !== 'first' && agg !== 'average') {
      this.error(metric.periodAgg!.at, 'KPI0714', `period_agg '${agg}' is not one of first, last, average`);
      return;
    }
    const at = metric.periodAgg?.at ?? metric.type.at;
    this.diagnostics.push({
      severity: 'warning',
      code: 'KPI0721',
      message: `cumulative metric '${metric.name}' re-aggregates with period_agg '${agg}'${metric.periodAgg ? '' : ' (the default)'}: the imported KPI gives MetricFlow's values at day grain; at a coarser grain it gives the value at each period's end, which is MetricFlow's period_agg 'last'`,
      file: at.file,
      span: at.span,
      hint: "set period_agg: last to say so in the project, or query the KPI at --grain day",
    });
  }

  // ---- metrics built on metrics ------------------------------------------------------------

  /** An input metric as a value: its KPI by id, or (with filters) its formula with the filters inside. */
  input(input: MfInput, extra: SourceText[], sink: Sink, local: string): Value | null {
    const dep = this.dependency(input);
    if (!dep || dep === 'skipped') return null;
    const filters = [...input.filters, ...extra];
    let v: Value;
    if (filters.length === 0 && !dep.inlineAsInput) {
      v = { text: dep.id, prec: Prec.Atom, unit: dep.valueUnit, tables: dep.tables, time: null };
    } else {
      const inner = this.inlineValue(dep.metric, filters);
      if (!inner) return null;
      v = inner;
    }
    if (input.offsetWindow && input.offsetToGrain) {
      return this.error(input.offsetToGrain.at, 'KPI0714', 'an input metric has both an offset_window and an offset_to_grain; MetricFlow allows one of them');
    }
    if (input.offsetWindow) {
      const i = parseInterval(input.offsetWindow.value);
      if (!i) return this.error(input.offsetWindow.at, 'KPI0714', `the offset_window '${input.offsetWindow.value}' cannot be translated`, 'write a whole number and a unit: day, week, month, quarter or year (such as 1 month)');
      v = { ...v, text: `previous(${v.text}, ${intervalText(i)})`, prec: Prec.Atom };
    } else if (input.offsetToGrain) {
      const g = input.offsetToGrain.value.toLowerCase();
      if (!['day', 'week', 'month', 'quarter', 'year'].includes(g)) return this.error(input.offsetToGrain.at, 'KPI0714', `the offset_to_grain '${input.offsetToGrain.value}' cannot be translated`, 'the grains are day, week, month, quarter and year');
      v = { ...v, text: `start_of(${v.text}, ${g})`, prec: Prec.Atom };
    }
    if (v.text === local) return v;
    return sink.measure(local, v);
  }

  /** A metric's whole formula as one expression, with more filters in each of its aggregates. */
  inlineValue(metric: MfMetric, filters: SourceText[]): Value | null {
    const type = metric.type.value;
    if (type === 'simple' || type === 'cumulative') {
      const over = type === 'cumulative' ? this.over(metric) : null;
      if (over === undefined) return null;
      const v = this.measureValue(metric.measure!, [...metric.filters, ...filters], over, inline, false);
      return v;
    }
    if (type === 'ratio') return this.ratio(metric, filters, inline);
    return this.derived(metric, filters, inline);
  }

  ratio(metric: MfMetric, extra: SourceText[], sink: Sink): Value | null {
    if (!metric.numerator || !metric.denominator) return this.error(metric.at, 'KPI0702', `ratio metric '${metric.name}' needs a numerator and a denominator`);
    const filters = [...metric.filters, ...extra];
    // A filtered input without an alias must not take the name of the other input's KPI.
    const local = (i: MfInput) => i.alias ?? (i.filters.length > 0 ? `${i.name.value}_filtered` : i.name.value);
    const num = this.input(metric.numerator, filters, sink, local(metric.numerator));
    const den = this.input(metric.denominator, filters, sink, local(metric.denominator));
    if (!num || !den) return null;
    const unit = num.unit && den.unit ? divide(num.unit, den.unit) : num.unit ?? den.unit;
    return { text: `${paren(num, Prec.Mul)} / ${paren(den, Prec.Mul + 1)}`, prec: Prec.Mul, unit, tables: union(num.tables, den.tables), time: num.time ?? den.time };
  }

  derived(metric: MfMetric, extra: SourceText[], sink: Sink): Value | null {
    if (!metric.expr) return this.error(metric.at, 'KPI0702', `derived metric '${metric.name}' has no expr`);
    const filters = [...metric.filters, ...extra];
    const values = new Map<string, Value>();
    for (const input of metric.inputs) {
      const local = (input.alias ?? input.name.value).toLowerCase();
      const v = this.input(input, filters, sink, local);
      if (!v) return null;
      values.set(local, v);
    }
    const expr = metric.expr;
    let f: Formula;
    try {
      f = translateSql(expr.text, {
        name: (parts, span) => {
          const v = values.get(parts.join('.'));
          if (!v) throw new SqlError(`'${parts.join('.')}' is not one of the metrics this derived metric lists`, span, didYouMean(parts.join('.'), values.keys()) ?? `its metrics are: ${[...values.keys()].join(', ')}`, 'KPI0710');
          return { text: v.text, prec: v.prec, type: 'number', unit: v.unit };
        },
      });
    } catch (e) {
      if (!(e instanceof SqlError)) throw e;
      this.diagnostics.push(diagnosticAt(expr.origin, e.span, 'error', e.code, `the expr of derived metric '${metric.name}' cannot be translated: ${e.message}`, e.hint));
      return null;
    }
    if (f.type !== 'number' && f.type !== 'unknown') return this.error(expr.at, 'KPI0707', `the expr of derived metric '${metric.name}' must give a number`);
    const all = [...values.values()];
    return { text: f.text, prec: f.prec, unit: f.unit, tables: union(...all.map((v) => v.tables)), time: all.find((v) => v.time)?.time ?? null };
  }

  // ---- the KPI file ------------------------------------------------------------------------

  describe(metric: MfMetric, value: Value, measures: [string, string][], empty: number | null): ImportedKpi | null {
    const meta = kpiMeta(metric.meta);
    const label = metric.label?.trim() || titleCase(metric.name);
    const time = value.time ?? this.firstTime(value.tables);
    const table = time ? this.index.tables.find((t) => t.table === time.table) : undefined;
    const grainText = (metric.timeGranularity?.value ?? time?.grain ?? 'day').toLowerCase();
    const grain: Grain = (GRAINS as readonly string[]).includes(grainText) ? (grainText as Grain) : 'day';
    const unitAndCurrency = this.unitOf(metric, value, meta);
    if (!unitAndCurrency) return null;
    const tier = this.choice(metric, meta, 'tier', TIERS, 'operational');
    const better = this.choice(metric, meta, 'better', ['higher', 'lower'] as const, 'higher');
    const roles = this.roles(metric, meta);
    if (!tier || !better || !roles) return null;
    const description = (metric.description ?? '').trim() || `${label}, imported from the MetricFlow ${metric.type.value} metric ${metric.name}.`;
    return {
      id: metric.name,
      name: label,
      description,
      question: typeof meta.question === 'string' && meta.question.trim() ? meta.question.trim() : `What is the value of ${label} in each period?`,
      tier,
      roles,
      owner: typeof meta.owner === 'string' && meta.owner.trim() ? meta.owner.trim() : 'metricflow-import',
      tags: ['metricflow', `metricflow-${metric.type.value}`],
      unit: unitAndCurrency.unit,
      currency: unitAndCurrency.currency,
      better,
      measures,
      formula: value.text,
      time: time && table && table.time === time.column ? `${time.table}.${time.column}` : null,
      grain,
      dimensions: this.dimensionsOf(value.tables),
      empty,
      metric,
      valueUnit: value.unit,
      inlineAsInput: (metric.type.value === 'simple' || metric.type.value === 'cumulative') && !!metric.measure?.fillNullsWith && !metric.measure.joinToTimespine,
      tables: value.tables,
    };
  }

  firstTime(tables: string[]): Value['time'] {
    for (const name of tables) {
      const t = this.index.tables.find((x) => x.table === name);
      if (t?.time) {
        const d = this.index.dimensions.find((x) => x.table === t && x.column === t.time);
        return { table: t.table, column: t.time, grain: d?.dimension.granularity?.value.toLowerCase() ?? null };
      }
    }
    return null;
  }

  unitOf(metric: MfMetric, value: Value, meta: Record<string, unknown>): { unit: KpiUnit; currency: string | null } | null {
    if (meta.unit !== undefined) {
      if (typeof meta.unit !== 'string' || !(KPI_UNITS as readonly string[]).includes(meta.unit)) return this.error(metric.at, 'KPI0702', `the meta unit of metric '${metric.name}' must be one of ${KPI_UNITS.join(', ')}`);
      return { unit: meta.unit as KpiUnit, currency: typeof meta.currency === 'string' ? meta.currency : null };
    }
    const u = value.unit ?? DIMENSIONLESS;
    for (const unit of ['count', 'hours', 'minutes', 'days'] as const) if (matchesDeclared(u, unit, null)) return { unit, currency: null };
    if (matchesDeclared(u, 'currency', null)) {
      const key = Object.keys(u).find((k) => k.startsWith('currency:'))!;
      return { unit: 'currency', currency: key.slice('currency:'.length) };
    }
    return { unit: metric.type.value === 'ratio' ? 'ratio' : 'score', currency: null };
  }

  choice<T extends string>(metric: MfMetric, meta: Record<string, unknown>, key: string, allowed: readonly T[], fallback: T): T | null {
    const v = meta[key];
    if (v === undefined) return fallback;
    if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
    return this.error(metric.at, 'KPI0702', `the meta ${key} of metric '${metric.name}' must be one of ${allowed.join(', ')}`);
  }

  roles(metric: MfMetric, meta: Record<string, unknown>): Role[] | null {
    const v = meta.roles;
    if (v === undefined) return ['manager'];
    const list = typeof v === 'string' ? [v] : Array.isArray(v) ? v : null;
    if (list && list.length > 0 && list.every((r) => typeof r === 'string' && (ROLES as readonly string[]).includes(r))) return [...new Set(list as Role[])];
    return this.error(metric.at, 'KPI0702', `the meta roles of metric '${metric.name}' must be a list of ${ROLES.join(', ')}`);
  }

  /**
   * Every categorical dimension reachable from all the tables the KPI aggregates, and their
   * entities, as `table.column`; a table reached through a reference adds no dimension for its
   * key, which is the referencing column's value.
   */
  dimensionsOf(tables: string[]): string[] {
    if (tables.length === 0) return [];
    const candidates = (from: string): string[] => {
      const out: string[] = [];
      for (const r of reachable(this.index.catalog, from)) {
        const t = this.index.tables.find((x) => x.table === r.table)!;
        for (const c of t.columns.values()) {
          const isDim = this.index.dimensions.some((d) => d.table === t && d.column === c.name && d.dimension.type === 'categorical');
          const isEntity = [...t.entities.values()].includes(c.name) && !(r.path.length > 0 && c.name === t.primaryKey);
          if (isDim || isEntity) out.push(`${t.table}.${c.name}`);
        }
      }
      return out;
    };
    const [first, ...rest] = tables;
    const sets = rest.map((t) => new Set(candidates(t)));
    return [...new Set(candidates(first))].filter((d) => sets.every((s) => s.has(d)));
  }
}

function kpiMeta(meta: Record<string, unknown>): Record<string, unknown> {
  const kpi = meta.kpi;
  return typeof kpi === 'object' && kpi !== null && !Array.isArray(kpi) ? (kpi as Record<string, unknown>) : {};
}

function titleCase(name: string): string {
  return name
    .split('_')
    .filter(Boolean)
    .map((w, i) => (i === 0 ? w[0].toUpperCase() + w.slice(1) : w))
    .join(' ');
}

function numberText(n: number): string {
  return String(n);
}

function union(...lists: string[][]): string[] {
  return [...new Set(lists.flat())];
}

function divide(a: Unit, b: Unit): Unit {
  const out: Record<string, number> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const e = (out[k] ?? 0) - v;
    if (e === 0) delete out[k];
    else out[k] = e;
  }
  return out;
}
