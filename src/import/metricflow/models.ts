// Semantic models → source schemas: node_relation (or ref) → table, entities → the key and
// many-to-one references, dimensions and the columns measures read → typed columns,
// defaults.agg_time_dimension → the default time column. Also the index the metrics and filters
// resolve names against: which table and column a dimension, an entity or a measure stands for.

import { buildCatalog, type Catalog } from '../../check/catalog.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { diagnosticAt } from '../../diagnostics/diagnostic.js';
import { didYouMean } from '../../diagnostics/suggest.js';
import type { ColumnType, ColumnUnit, SourceDef } from '../../load/types.js';
import { COLUMN_UNITS } from '../../load/types.js';
import type { MfDimension, MfMeasure, MfProject, MfSemanticModel, Place, SourceText } from './read.js';
import { isFormulaName, parseSql, SqlError, translateNode, translateSql, type Formula, type Resolver, type SqlNode, type SqlType } from './sql-expr.js';

export interface TableColumn {
  name: string;
  type: ColumnType | null;
  /** How the project's SQL uses the column, when it does not declare its type. */
  hints: SqlType[];
  /** The role that fixes its type when nothing else does. */
  role: 'key' | 'entity' | 'time' | 'categorical' | 'measure';
  nullable: boolean;
  references: string | null;
  unit: ColumnUnit | null;
  currency: string | null;
  /** The MetricFlow names that stand for this column (`listing__country_latest`). */
  names: string[];
  description: string | null;
}

export interface ImportedTable {
  model: MfSemanticModel;
  table: string;
  columns: Map<string, TableColumn>;
  /** Entity name → the column that holds it. */
  entities: Map<string, string>;
  primaryKey: string;
  time: string | null;
}

/** A dimension of a semantic model: a column of its table, or an expression of its columns. */
export interface DimensionInfo {
  dimension: MfDimension;
  table: ImportedTable;
  column: string | null;
  /** A categorical dimension computed from columns (`case when quantity > 10 then true ...`). */
  computed: SqlNode | null;
}

export type MeasureFn = 'count' | 'count_distinct' | 'sum' | 'sum_boolean' | 'avg' | 'min' | 'max' | 'median' | 'percentile';

export interface MeasureInfo {
  measure: MfMeasure;
  table: ImportedTable;
  fn: MeasureFn;
  /** The row expression aggregated, in the formula language; null for `count` of rows. */
  arg: Formula | null;
  /** The time column that puts its rows into periods, and that column's granularity. */
  time: { column: string; grain: string | null } | null;
  /** `non_additive_dimension`: the rows of the last (max) or first (min) time, per an entity. */
  semiAdditive: { edge: 'last' | 'first'; per: string | null } | null;
  fraction: number | null;
  discrete: boolean;
}

export interface SemanticIndex {
  tables: ImportedTable[];
  byModel: Map<string, ImportedTable>;
  dimensions: DimensionInfo[];
  measures: Map<string, MeasureInfo>;
  catalog: Catalog;
}

const AGGS: Record<string, MeasureFn> = {
  sum: 'sum',
  sum_boolean: 'sum_boolean',
  count: 'count',
  count_distinct: 'count_distinct',
  average: 'avg',
  avg: 'avg',
  min: 'min',
  max: 'max',
  median: 'median',
  percentile: 'percentile',
};

export function buildIndex(project: MfProject, diagnostics: Diagnostic[]): SemanticIndex {
  return new IndexBuilder(project, diagnostics).build();
}

function sqlDiagnostic(text: SourceText, e: SqlError, what: string): Diagnostic {
  return diagnosticAt(text.origin, e.span, 'error', e.code, `${what}: ${e.message}`, e.hint);
}

class IndexBuilder {
  readonly tables: ImportedTable[] = [];
  readonly byModel = new Map<string, ImportedTable>();
  readonly dimensions: DimensionInfo[] = [];
  readonly measures = new Map<string, MeasureInfo>();
  /** `table.column` → the unit the dbt model's column declares. */
  readonly units = new Map<string, { unit: ColumnUnit; currency: string | null }>();

  constructor(
    readonly project: MfProject,
    readonly diagnostics: Diagnostic[],
  ) {}

  error(at: Place, code: string, message: string, hint?: string): void {
    this.diagnostics.push({ severity: 'error', code, message, file: at.file, span: at.span, ...(hint ? { hint } : {}) });
  }

  build(): SemanticIndex {
    const seenTables = new Map<string, MfSemanticModel>();
    const seenModels = new Set<string>();
    for (const model of this.project.models) {
      if (seenModels.has(model.name)) {
        this.error(model.at, 'KPI0704', `semantic model '${model.name}' is declared twice`);
        continue;
      }
      seenModels.add(model.name);
      if (!model.table) continue;
      const name = model.table.value.toLowerCase();
      if (!/^[a-z][a-z0-9_]*$/.test(name)) {
        this.error(model.table.at, 'KPI0705', `the table '${model.table.value}' of semantic model '${model.name}' is not a name the source schemas accept (lower-case letters, digits and underscores)`);
        continue;
      }
      const other = seenTables.get(name);
      if (other) {
        this.error(model.table.at, 'KPI0704', `semantic models '${other.name}' and '${model.name}' both read table '${name}'`, 'describe each table by one semantic model');
        continue;
      }
      seenTables.set(name, model);
      const table: ImportedTable = { model, table: name, columns: new Map(), entities: new Map(), primaryKey: '', time: null };
      this.tables.push(table);
      this.byModel.set(model.name, table);
    }
    for (const t of this.tables) this.columnUnits(t);
    for (const t of this.tables) this.columnsOf(t);
    this.references();
    for (const t of this.tables) this.resolveTypes(t);
    const catalog = buildCatalog(this.tables.map(toSourceDef));
    return { tables: this.tables, byModel: this.byModel, dimensions: this.dimensions, measures: this.measures, catalog };
  }

  /** Units come from the dbt model's columns: `meta: { unit: currency, currency: EUR }`. */
  columnUnits(t: ImportedTable): void {
    for (const [name, u] of this.project.columnUnits.get(t.table) ?? []) {
      if (typeof u.unit !== 'string' || !(COLUMN_UNITS as readonly string[]).includes(u.unit)) {
        this.error(u.at, 'KPI0702', `the meta unit of column '${name}' must be one of ${COLUMN_UNITS.join(', ')}`);
        continue;
      }
      const currency = typeof u.currency === 'string' && /^[A-Z]{3}$/.test(u.currency) ? u.currency : u.unit === 'currency' ? 'EUR' : null;
      this.units.set(`${t.table}.${name}`, { unit: u.unit as ColumnUnit, currency });
    }
  }

  column(t: ImportedTable, name: string, role: TableColumn['role'], mfName: string | null, description: string | null): TableColumn {
    let c = t.columns.get(name);
    if (!c) {
      const declared = this.units.get(`${t.table}.${name}`);
      c = { name, type: null, hints: declared ? ['number'] : [], role, nullable: role !== 'key', references: null, unit: declared?.unit ?? null, currency: declared?.currency ?? null, names: [], description: null };
      t.columns.set(name, c);
    }
    const rank = { key: 0, time: 1, entity: 2, categorical: 3, measure: 4 } as const;
    if (rank[role] < rank[c.role]) c.role = role;
    if (role === 'key') c.nullable = false;
    if (mfName && !c.names.includes(mfName)) c.names.push(mfName);
    if (description && !c.description) c.description = description;
    return c;
  }

  /** The column an entity's or a dimension's expr names: the name itself, or a bare column. */
  columnName(expr: SourceText | null, name: string, truncation: boolean, what: string): { column: string | null; computed: SqlNode | null } {
    if (!expr) return { column: name.toLowerCase(), computed: null };
    let node: SqlNode;
    try {
      node = parseSql(expr.text);
    } catch (e) {
      if (!(e instanceof SqlError)) throw e;
      this.diagnostics.push(sqlDiagnostic(expr, e, `the expr of ${what} cannot be read`));
      return { column: null, computed: null };
    }
    const bare = unwrapColumn(node, truncation);
    if (bare) return { column: bare, computed: null };
    return { column: null, computed: node };
  }

  columnsOf(t: ImportedTable): void {
    const m = t.model;
    const checkName = (column: string, at: Place, what: string): boolean => {
      if (isFormulaName(column)) return true;
      this.error(at, 'KPI0726', `the column '${column}' of ${what} cannot be named in the formula language`, /^[a-z][a-z0-9_]*$/.test(column) ? `'${column}' is a reserved word of the formula language; rename the column in the dbt model` : 'columns are named with lower-case letters, digits and underscores');
      return false;
    };
    const keys = ['primary', 'unique', 'natural'] as const;
    for (const e of m.entities) {
      const { column, computed } = this.columnName(e.expr, e.name, false, `entity '${e.name}'`);
      if (computed) {
        this.error(e.expr!.at, 'KPI0724', `the expr of entity '${e.name}' is not a column: entities are joined on a column of the table`, 'compute the key in the dbt model and name that column');
        continue;
      }
      if (!column || !checkName(column, e.at, `entity '${e.name}'`)) continue;
      this.column(t, column, 'entity', e.name, null);
      t.entities.set(e.name, column);
    }
    const key = keys.map((k) => m.entities.find((e) => e.type === k && t.entities.has(e.name))).find((e) => e) ?? m.entities.find((e) => t.entities.has(e.name));
    if (key) {
      t.primaryKey = t.entities.get(key.name)!;
      this.column(t, t.primaryKey, 'key', null, null);
    }
    for (const d of m.dimensions) {
      if (d.validity) {
        this.error(d.validity, 'KPI0725', `dimension '${d.name}' has validity_params (a slowly changing dimension, SCD type 2), which the importer does not support`, 'join through a table that holds one row per key, or import without this semantic model');
        continue;
      }
      const { column, computed } = this.columnName(d.expr, d.name, d.type === 'time', `dimension '${d.name}'`);
      if (computed && d.type === 'time') {
        this.error(d.expr!.at, 'KPI0724', `the expr of time dimension '${d.name}' is not a column`, 'a time dimension is a date or timestamp column (date_trunc and casts of it are accepted)');
        continue;
      }
      if (computed) {
        this.computedColumns(t, d.expr!, computed, `dimension '${d.name}'`);
        this.dimensions.push({ dimension: d, table: t, column: null, computed });
        continue;
      }
      if (!column || !checkName(column, d.at, `dimension '${d.name}'`)) continue;
      const primary = primaryEntityOf(m);
      this.column(t, column, d.type === 'time' ? 'time' : 'categorical', primary ? `${primary}__${d.name}` : d.name, d.description ?? d.label);
      this.dimensions.push({ dimension: d, table: t, column, computed: null });
    }
    if (m.defaultTime) {
      const d = this.dimensions.find((x) => x.table === t && x.dimension.name === m.defaultTime!.value);
      if (!d || d.dimension.type !== 'time') this.error(m.defaultTime.at, 'KPI0709', `defaults.agg_time_dimension names '${m.defaultTime.value}', which is not a time dimension of semantic model '${m.name}'`, didYouMean(m.defaultTime.value, this.dimensions.filter((x) => x.table === t && x.dimension.type === 'time').map((x) => x.dimension.name)));
      else t.time = d.column;
    }
    for (const measure of m.measures) this.measure(t, measure);
    if (!t.primaryKey) t.primaryKey = [...t.columns.keys()][0] ?? '';
  }

  /** The columns a computed dimension reads become columns of the table. */
  computedColumns(t: ImportedTable, expr: SourceText, node: SqlNode, what: string): Formula | null {
    try {
      return translateNode(node, this.columnResolver(t, null));
    } catch (e) {
      if (!(e instanceof SqlError)) throw e;
      this.diagnostics.push(sqlDiagnostic(expr, e, `the expr of ${what} cannot be translated`));
      return null;
    }
  }

  /** Names in a semantic model's SQL are columns of its table; `qualifier` writes them `table.column`. */
  columnResolver(t: ImportedTable, qualifier: string | null): Resolver {
    return {
      name: (parts, span) => {
        const name = parts[parts.length - 1];
        if (!isFormulaName(name)) {
          throw new SqlError(`the column '${name}' cannot be named in the formula language`, span, /^[a-z][a-z0-9_]*$/.test(name) ? `'${name}' is a reserved word of the formula language` : 'columns are named with lower-case letters, digits and underscores', 'KPI0726');
        }
        const c = this.column(t, name, 'measure', null, null);
        const type = c.type ? sqlTypeOf(c.type) : 'unknown';
        return { text: qualifier ? `${qualifier}.${name}` : name, prec: 8, type, unit: type === 'number' || type === 'unknown' ? columnUnit(c) : null, ...(type === 'unknown' ? { column: name } : {}) };
      },
      hint: (column, type) => {
        const c = t.columns.get(column);
        if (c && type !== 'unknown' && type !== 'null') c.hints.push(type);
      },
    };
  }

  measure(t: ImportedTable, measure: MfMeasure): void {
    if (this.measures.has(measure.name)) {
      this.error(measure.at, 'KPI0704', `measure '${measure.name}' is declared twice`, `first declared in semantic model '${this.measures.get(measure.name)!.table.model.name}'; measure names are unique across the project`);
      return;
    }
    const fn = AGGS[measure.agg.value];
    if (!fn) {
      this.error(measure.agg.at, 'KPI0706', `measure '${measure.name}' has the unknown aggregation '${measure.agg.value}'`, didYouMean(measure.agg.value, Object.keys(AGGS)) ?? `the aggregations are: ${Object.keys(AGGS).filter((a) => a !== 'avg').join(', ')}`);
      return;
    }
    let fraction: number | null = fn === 'median' ? 0.5 : null;
    if (fn === 'percentile') {
      if (!measure.percentile) {
        this.error(measure.agg.at, 'KPI0716', `measure '${measure.name}' aggregates a percentile but agg_params names none`, 'add agg_params: { percentile: 0.9 }');
        return;
      }
      if (!(measure.percentile.value >= 0 && measure.percentile.value <= 1)) {
        this.error(measure.percentile.at, 'KPI0716', `the percentile of measure '${measure.name}' must be from 0 to 1, not ${measure.percentile.value}`);
        return;
      }
      fraction = measure.percentile.value;
    }
    if (measure.approximate) {
      this.diagnostics.push({ severity: 'warning', code: 'KPI0722', message: `measure '${measure.name}' asks for an approximate percentile; the imported KPI computes it exactly`, file: measure.agg.at.file, span: measure.agg.at.span });
    }
    const exprText = measure.expr ?? null;
    let arg: Formula | null = null;
    const sqlText = exprText ? exprText.text : measure.name;
    const countsRows = (fn === 'count' || fn === 'sum') && /^\s*(1|\*)\s*$/.test(sqlText);
    if (!countsRows) {
      try {
        const f = translateSql(sqlText, this.columnResolver(t, null));
        arg = f;
      } catch (e) {
        if (!(e instanceof SqlError)) throw e;
        if (exprText) this.diagnostics.push(sqlDiagnostic(exprText, e, `the expr of measure '${measure.name}' cannot be translated`));
        else this.error(measure.at, e.code, `measure '${measure.name}' has no expr, and its name is not a column: ${e.message}`);
        return;
      }
      const need: SqlType | null = fn === 'sum_boolean' ? 'boolean' : fn === 'count' || fn === 'count_distinct' ? null : 'number';
      if (need && arg.type === 'unknown' && arg.column) {
        const c = t.columns.get(arg.column)!;
        c.hints.push(need);
      } else if (need && arg.type !== need && arg.type !== 'unknown' && arg.type !== 'null') {
        this.error(exprText ? exprText.at : measure.at, 'KPI0707', `measure '${measure.name}' aggregates with ${measure.agg.value}, which needs ${need === 'boolean' ? 'a condition' : 'a number'}, but its expr is ${arg.type === 'boolean' ? 'a condition' : arg.type}`);
        return;
      }
    }
    const time = this.measureTime(t, measure);
    if (time === undefined) return;
    const semiAdditive = this.semiAdditive(t, measure, time);
    if (semiAdditive === undefined) return;
    this.measures.set(measure.name, { measure, table: t, fn: countsRows ? 'count' : fn, arg, time, semiAdditive, fraction, discrete: measure.discrete });
  }

  /** The measure's agg_time_dimension (or the model's default): undefined when it cannot be found. */
  measureTime(t: ImportedTable, measure: MfMeasure): MeasureInfo['time'] | undefined {
    const named = measure.aggTimeDimension ?? t.model.defaultTime;
    if (!named) {
      this.error(measure.at, 'KPI0709', `measure '${measure.name}' has no time dimension`, `add agg_time_dimension to the measure, or defaults: { agg_time_dimension: ... } to semantic model '${t.model.name}'`);
      return undefined;
    }
    const d = this.dimensions.find((x) => x.table === t && x.dimension.name === named.value && x.dimension.type === 'time');
    if (!d || !d.column) {
      const times = this.dimensions.filter((x) => x.table === t && x.dimension.type === 'time').map((x) => x.dimension.name);
      if (named === measure.aggTimeDimension) this.error(named.at, 'KPI0709', `agg_time_dimension names '${named.value}', which is not a time dimension of semantic model '${t.model.name}'`, didYouMean(named.value, times));
      return undefined;
    }
    return { column: d.column, grain: d.dimension.granularity?.value.toLowerCase() ?? null };
  }

  semiAdditive(t: ImportedTable, measure: MfMeasure, time: MeasureInfo['time']): MeasureInfo['semiAdditive'] | undefined {
    const na = measure.nonAdditive;
    if (!na) return null;
    const d = this.dimensions.find((x) => x.table === t && x.dimension.name === na.name.value && x.dimension.type === 'time');
    if (!d) {
      this.error(na.name.at, 'KPI0709', `non_additive_dimension names '${na.name.value}', which is not a time dimension of semantic model '${t.model.name}'`);
      return undefined;
    }
    if (d.column !== time?.column) {
      this.error(na.name.at, 'KPI0715', `measure '${measure.name}' is non-additive over '${na.name.value}', which is not its aggregation time dimension; the importer supports non-additive dimensions only over the time that puts the rows into periods`);
      return undefined;
    }
    if (na.groupings.length > 1) {
      this.error(na.groupings[1].at, 'KPI0715', `measure '${measure.name}' groups its non-additive window by more than one entity; the importer supports one`);
      return undefined;
    }
    let per: string | null = null;
    if (na.groupings.length === 1) {
      const g = na.groupings[0];
      const column = t.entities.get(g.value);
      if (!column) {
        this.error(g.at, 'KPI0709', `window_groupings names '${g.value}', which is not an entity of semantic model '${t.model.name}'`, didYouMean(g.value, t.model.entities.map((x) => x.name)));
        return undefined;
      }
      per = column;
    }
    return { edge: na.choice === 'max' ? 'last' : 'first', per };
  }

  /** Foreign entities reference the table whose key entity has the same name. */
  references(): void {
    for (const t of this.tables) {
      for (const e of t.model.entities) {
        if (e.type !== 'foreign') continue;
        const column = t.entities.get(e.name);
        if (!column) continue;
        const targets = this.tables.filter((o) => o !== t && o.model.entities.some((x) => x.name === e.name && x.type !== 'foreign') && o.entities.get(e.name) === o.primaryKey);
        if (targets.length === 0) continue;
        const c = t.columns.get(column)!;
        c.references = targets[0].table;
      }
    }
  }

  resolveTypes(t: ImportedTable): void {
    const resolving = new Set<string>();
    const resolve = (table: ImportedTable, c: TableColumn): ColumnType => {
      if (c.type) return c.type;
      const key = `${table.table}.${c.name}`;
      if (resolving.has(key)) return 'integer';
      resolving.add(key);
      const declared = (this.project.columnTypes.get(table.table) ?? new Map<string, string>()).get(c.name);
      let type: ColumnType | null = declared ? fromDataType(declared) : null;
      if (!type && c.references) {
        const target = this.tables.find((x) => x.table === c.references)!;
        type = resolve(target, target.columns.get(target.primaryKey)!);
      }
      if (!type && c.role === 'time') type = 'timestamp';
      if (!type) {
        const hint = c.hints.find((h) => h === 'boolean' || h === 'number' || h === 'string' || h === 'date' || h === 'timestamp');
        if (hint) type = hint === 'number' ? 'decimal' : (hint as ColumnType);
      }
      if (!type && (c.role === 'key' || c.role === 'entity')) type = /(^|_)id$/.test(c.name) ? 'integer' : 'string';
      if (!type && /^(is|has)_/.test(c.name)) type = 'boolean';
      c.type = type ?? 'string';
      resolving.delete(key);
      return c.type;
    };
    for (const c of t.columns.values()) resolve(t, c);
    for (const c of t.columns.values()) {
      if (c.unit && c.type !== 'integer' && c.type !== 'decimal') c.unit = null;
    }
  }
}

/** The entity a model's dimensions are reached through: its primary (or unique, natural) entity, or `primary_entity`. */
export function primaryEntityOf(m: MfSemanticModel): string | null {
  for (const k of ['primary', 'unique', 'natural'] as const) {
    const e = m.entities.find((x) => x.type === k);
    if (e) return e.name;
  }
  return m.primaryEntity;
}

/** A bare column, or (for time dimensions) a truncation or cast of one. */
function unwrapColumn(n: SqlNode, truncation: boolean): string | null {
  if (n.k === 'name') return n.parts[n.parts.length - 1];
  if (!truncation) return null;
  if (n.k === 'cast') return unwrapColumn(n.x, truncation);
  if (n.k === 'call' && (n.name === 'date_trunc' || n.name === 'datetime_trunc' || n.name === 'timestamp_trunc') && n.args.length === 2) {
    const col = n.args.find((a) => a.k === 'name' && !/^(day|week|month|quarter|year|hour|minute|second)$/.test(a.parts.join('.')));
    return col ? unwrapColumn(col, truncation) : null;
  }
  return null;
}

export function sqlTypeOf(t: ColumnType): SqlType {
  return t === 'integer' || t === 'decimal' ? 'number' : t;
}

function columnUnit(c: TableColumn): Formula['unit'] {
  if (!c.unit || c.unit === 'ratio') return {};
  if (c.unit === 'currency') return { [`currency:${c.currency ?? 'EUR'}`]: 1 };
  return { [c.unit]: 1 };
}

/** A dbt `data_type` → a source schema column type. */
export function fromDataType(dataType: string): ColumnType | null {
  const t = dataType.toLowerCase().replace(/\s+/g, ' ').trim();
  const base = t.replace(/\(.*\)/, '').trim();
  if (/^(int|integer|bigint|smallint|tinyint|hugeint|int2|int4|int8|int64|byteint)$/.test(base)) return 'integer';
  // Snowflake's NUMBER(p, 0) holds whole numbers.
  if ((base === 'number' || base === 'numeric' || base === 'decimal') && /\(\s*\d+\s*,\s*0\s*\)$/.test(t)) return 'integer';
  if (/^(decimal|numeric|number|float|float4|float8|float64|double|double precision|real|bignumeric)$/.test(base)) return 'decimal';
  if (/^(bool|boolean)$/.test(base)) return 'boolean';
  if (/^(varchar|text|string|char|character|character varying|nvarchar)$/.test(base)) return 'string';
  if (base === 'date') return 'date';
  if (/^(timestamp|datetime|timestamp_ntz|timestamp_tz|timestamp_ltz|timestamptz|timestamp with time zone|timestamp without time zone)$/.test(base)) return 'timestamp';
  return null;
}

export function toSourceDef(t: ImportedTable): SourceDef {
  const span = { line: 1, column: 1, length: 1 };
  return {
    table: t.table,
    description: t.model.description,
    primaryKey: t.primaryKey,
    time: t.time,
    lifespan: null,
    columns: [...t.columns.values()].map((c) => ({
      name: c.name,
      type: c.type ?? 'string',
      unit: c.unit,
      currency: c.currency,
      values: null,
      nullable: c.nullable,
      references: c.references,
      description: c.description,
      span,
    })),
    file: `schemas/sources/${t.table}.yaml`,
    span,
  };
}

