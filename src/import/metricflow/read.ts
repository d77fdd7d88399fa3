// Reads a dbt semantic layer project: the `semantic_models:` and `metrics:` of its YAML files (the
// standalone spec MetricFlow reads), and the `data_type` of the dbt models' columns, keeping the
// place of every value so that diagnostics name the file, line and column.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isSeq, type Node } from 'yaml';
import type { Diagnostic, FileSpan, TextOrigin } from '../../diagnostics/diagnostic.js';
import { readText } from '../../load/project.js';
import { keyNode, nodeAtPath, parseYaml, scalarOrigin, spanOfNode, type YamlFile } from '../../load/yaml.js';

/** A place in a file of the project. */
export interface Place {
  file: string;
  span: FileSpan;
}

export interface Located<T> {
  value: T;
  at: Place;
}

/** A piece of SQL or template text (an `expr`, a `filter`) and where each of its characters sits. */
export interface SourceText {
  text: string;
  origin: TextOrigin;
  at: Place;
}

export type EntityType = 'primary' | 'unique' | 'foreign' | 'natural';

export interface MfEntity {
  name: string;
  type: EntityType;
  expr: SourceText | null;
  at: Place;
}

export interface MfDimension {
  name: string;
  type: 'categorical' | 'time';
  expr: SourceText | null;
  granularity: Located<string> | null;
  /** SCD type 2 validity bounds (`type_params.validity_params`). */
  validity: Place | null;
  label: string | null;
  description: string | null;
  at: Place;
}

export interface MfNonAdditive {
  name: Located<string>;
  choice: 'min' | 'max';
  groupings: Located<string>[];
  at: Place;
}

export interface MfMeasure {
  name: string;
  agg: Located<string>;
  expr: SourceText | null;
  aggTimeDimension: Located<string> | null;
  nonAdditive: MfNonAdditive | null;
  percentile: Located<number> | null;
  discrete: boolean;
  approximate: boolean;
  createMetric: boolean;
  label: string | null;
  description: string | null;
  meta: Record<string, unknown>;
  model: string;
  at: Place;
}

export interface MfSemanticModel {
  name: string;
  /** The table the model reads: `model: ref('x')` or `node_relation.alias`. */
  table: Located<string> | null;
  description: string | null;
  defaultTime: Located<string> | null;
  primaryEntity: string | null;
  entities: MfEntity[];
  dimensions: MfDimension[];
  measures: MfMeasure[];
  at: Place;
}

/** An input of a metric: the measure of a simple or cumulative metric, an input metric of a ratio or derived one. */
export interface MfInput {
  name: Located<string>;
  alias: string | null;
  filters: SourceText[];
  offsetWindow: Located<string> | null;
  offsetToGrain: Located<string> | null;
  fillNullsWith: Located<number> | null;
  joinToTimespine: boolean;
  at: Place;
}

export interface MfMetric {
  name: string;
  type: Located<string>;
  label: string | null;
  description: string | null;
  filters: SourceText[];
  measure: MfInput | null;
  numerator: MfInput | null;
  denominator: MfInput | null;
  expr: SourceText | null;
  inputs: MfInput[];
  window: Located<string> | null;
  grainToDate: Located<string> | null;
  periodAgg: Located<string> | null;
  timeGranularity: Located<string> | null;
  meta: Record<string, unknown>;
  at: Place;
}

export interface MfProject {
  root: string;
  models: MfSemanticModel[];
  metrics: MfMetric[];
  /** `models:` → column → `data_type`, as the dbt project declares them. */
  columnTypes: Map<string, Map<string, string>>;
  /** `models:` → column → the unit its `meta` gives (`meta: { unit: currency, currency: EUR }`). */
  columnUnits: Map<string, Map<string, { unit: unknown; currency: unknown; at: Place }>>;
}

const SKIPPED_DIRS = new Set(['target', 'dbt_packages', 'dbt_modules', 'logs', 'node_modules']);

/** The project's YAML files, sorted by path, without build output, installed packages and hidden folders. */
export function projectFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (!SKIPPED_DIRS.has(name)) walk(p);
      } else if (/\.ya?ml$/.test(name)) out.push(p);
    }
  };
  walk(root);
  return out.sort();
}

export function readProject(root: string): { value: MfProject; diagnostics: Diagnostic[] } {
  const project: MfProject = { root, models: [], metrics: [], columnTypes: new Map(), columnUnits: new Map() };
  const diagnostics: Diagnostic[] = [];
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    diagnostics.push({ severity: 'error', code: 'KPI0703', message: `the project folder ${root} does not exist`, hint: 'give the folder that holds the dbt project (dbt_project.yml and its models/)' });
    return { value: project, diagnostics };
  }
  for (const path of projectFiles(root)) {
    const { file, text, diagnostics: ds } = readText(root, path);
    if (text === null) {
      diagnostics.push(...ds.map((d) => ({ ...d, code: 'KPI0701' })));
      continue;
    }
    const parsed = parseYaml(file, text);
    const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      diagnostics.push(...errors.map((d) => ({ ...d, code: 'KPI0701' })));
      continue;
    }
    new FileReader(parsed.yaml, project, diagnostics).read();
  }
  if (project.models.length === 0 && !diagnostics.some((d) => d.severity === 'error')) {
    diagnostics.push({ severity: 'error', code: 'KPI0703', message: `no YAML file under ${root} declares 'semantic_models:'`, hint: "kpi import metricflow reads the standalone semantic layer spec: a top-level 'semantic_models:' list and a 'metrics:' list" });
  }
  return { value: project, diagnostics };
}

type Path = (string | number)[];

/** Reads the semantic layer entries of one YAML file. */
class FileReader {
  constructor(
    readonly yaml: YamlFile,
    readonly project: MfProject,
    readonly diagnostics: Diagnostic[],
  ) {}

  read(): void {
    const data = this.yaml.doc.toJS() as unknown;
    if (!isRecord(data)) return;
    if (data.semantic_models !== undefined) {
      const list = this.list(['semantic_models'], data.semantic_models);
      list.forEach((m, i) => this.model(['semantic_models', i], m));
    }
    if (data.metrics !== undefined) {
      const list = this.list(['metrics'], data.metrics);
      list.forEach((m, i) => this.metric(['metrics', i], m));
    }
    if (Array.isArray(data.models)) {
      data.models.forEach((m, i) => {
        if (!isRecord(m)) return;
        if (m.semantic_model !== undefined) {
          this.error(['models', i, 'semantic_model'], 'KPI0723', "a semantic model declared inside a dbt model (the latest YAML spec) is not read", "declare it in a top-level 'semantic_models:' list, as the standalone spec does");
        }
        if (typeof m.name === 'string' && Array.isArray(m.columns)) {
          const types = this.project.columnTypes.get(m.name) ?? new Map<string, string>();
          const units = this.project.columnUnits.get(m.name) ?? new Map<string, { unit: unknown; currency: unknown; at: Place }>();
          m.columns.forEach((c, j) => {
            if (!isRecord(c) || typeof c.name !== 'string') return;
            if (typeof c.data_type === 'string') types.set(c.name.toLowerCase(), c.data_type);
            const meta = this.meta(c);
            if (meta.unit !== undefined) units.set(c.name.toLowerCase(), { unit: meta.unit, currency: meta.currency, at: this.place(['models', i, 'columns', j, 'name']) });
          });
          this.project.columnTypes.set(m.name, types);
          this.project.columnUnits.set(m.name, units);
        }
      });
    }
  }

  // ---- places and diagnostics --------------------------------------------------------------

  node(path: Path): Node | null {
    return nodeAtPath(this.yaml.doc, path).node;
  }

  /** The place of the value at `path`; for a mapping or a list under a key, the key's place. */
  place(path: Path): Place {
    const node = this.node(path);
    const last = path[path.length - 1];
    const key = (isMap(node) || isSeq(node)) && typeof last === 'string' ? keyNode(this.yaml.doc, path.slice(0, -1), last) : null;
    return { file: this.yaml.file, span: spanOfNode(this.yaml, key ?? node) };
  }

  error(path: Path, code: string, message: string, hint?: string): void {
    const d: Diagnostic = { severity: 'error', code, message, ...this.place(path) };
    if (hint) d.hint = hint;
    this.diagnostics.push(d);
  }

  list(path: Path, value: unknown): unknown[] {
    if (Array.isArray(value)) return value;
    this.error(path, 'KPI0702', `'${String(path[path.length - 1])}' must be a list`);
    return [];
  }

  text(path: Path, value: string): SourceText {
    const node = this.node(path);
    return { text: value, origin: scalarOrigin(this.yaml, node as Node, value), at: this.place(path) };
  }

  /** A required string field; reports its absence. */
  need(path: Path, obj: Record<string, unknown>, key: string, what: string): string | null {
    const v = obj[key];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    if (v === undefined) this.error(path, 'KPI0702', `${what} has no '${key}'`, `add '${key}: ...'`);
    else this.error([...path, key], 'KPI0702', `'${key}' of ${what} must be text`);
    return null;
  }

  optString(path: Path, obj: Record<string, unknown>, key: string): string | null {
    const v = obj[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    this.error([...path, key], 'KPI0702', `'${key}' must be text`);
    return null;
  }

  located(path: Path, obj: Record<string, unknown>, key: string): Located<string> | null {
    const v = this.optString(path, obj, key);
    return v === null ? null : { value: v.trim(), at: this.place([...path, key]) };
  }

  optText(path: Path, obj: Record<string, unknown>, key: string): SourceText | null {
    const v = obj[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'number' || typeof v === 'boolean') return this.text([...path, key], String(v));
    if (typeof v === 'string') return this.text([...path, key], v);
    this.error([...path, key], 'KPI0702', `'${key}' must be text (SQL)`);
    return null;
  }

  /** `filter:` is one string or a list of strings, all of which must hold. */
  filters(path: Path, obj: Record<string, unknown>): SourceText[] {
    const v = obj.filter;
    if (v === undefined || v === null) return [];
    if (typeof v === 'string') return [this.text([...path, 'filter'], v)];
    if (Array.isArray(v)) {
      return v.flatMap((f, i) => {
        if (typeof f === 'string') return [this.text([...path, 'filter', i], f)];
        this.error([...path, 'filter', i], 'KPI0702', 'each filter must be text');
        return [];
      });
    }
    this.error([...path, 'filter'], 'KPI0702', "'filter' must be text or a list of texts");
    return [];
  }

  meta(obj: Record<string, unknown>): Record<string, unknown> {
    const config = isRecord(obj.config) ? obj.config : {};
    const meta = isRecord(config.meta) ? config.meta : isRecord(obj.meta) ? obj.meta : {};
    return meta;
  }

  // ---- semantic models ---------------------------------------------------------------------

  model(path: Path, raw: unknown): void {
    if (!isRecord(raw)) return this.error(path, 'KPI0702', 'a semantic model must be a mapping with a name, a model and its entities, dimensions and measures');
    const name = this.need(path, raw, 'name', 'the semantic model');
    if (!name) return;
    const model: MfSemanticModel = {
      name,
      table: this.table(path, raw, name),
      description: this.optString(path, raw, 'description'),
      defaultTime: isRecord(raw.defaults) ? this.located([...path, 'defaults'], raw.defaults, 'agg_time_dimension') : null,
      primaryEntity: this.optString(path, raw, 'primary_entity'),
      entities: [],
      dimensions: [],
      measures: [],
      at: this.place([...path, 'name']),
    };
    for (const [key, fill] of [
      ['entities', (p: Path, e: Record<string, unknown>) => this.entity(p, e, model)],
      ['dimensions', (p: Path, e: Record<string, unknown>) => this.dimension(p, e, model)],
      ['measures', (p: Path, e: Record<string, unknown>) => this.measure(p, e, model)],
    ] as const) {
      if (raw[key] === undefined || raw[key] === null) continue;
      this.list([...path, key], raw[key]).forEach((e, i) => {
        if (isRecord(e)) fill([...path, key, i], e);
        else this.error([...path, key, i], 'KPI0702', `each of the ${key} must be a mapping with a name`);
      });
    }
    this.project.models.push(model);
  }

  table(path: Path, raw: Record<string, unknown>, name: string): Located<string> | null {
    if (typeof raw.model === 'string') {
      const m = /^\s*\{\{\s*ref\(\s*['"]([^'"]+)['"]\s*(?:,\s*['"]([^'"]+)['"]\s*)?\)\s*\}\}\s*$|^\s*ref\(\s*['"]([^'"]+)['"]\s*(?:,\s*['"]([^'"]+)['"]\s*)?\)\s*$/.exec(raw.model);
      const ref = m ? (m[2] ?? m[1] ?? m[4] ?? m[3]) : null;
      if (!ref) {
        this.error([...path, 'model'], 'KPI0705', `the model of semantic model '${name}' must be written ref('table')`);
        return null;
      }
      return { value: ref.split('.').pop()!, at: this.place([...path, 'model']) };
    }
    if (isRecord(raw.node_relation)) {
      const alias = raw.node_relation.alias;
      if (typeof alias === 'string') return { value: alias, at: this.place([...path, 'node_relation', 'alias']) };
      this.error([...path, 'node_relation'], 'KPI0705', `the node_relation of semantic model '${name}' has no alias (the table's name)`);
      return null;
    }
    this.error([...path, 'name'], 'KPI0705', `semantic model '${name}' names no table`, "add model: ref('table')");
    return null;
  }

  entity(path: Path, raw: Record<string, unknown>, model: MfSemanticModel): void {
    const name = this.need(path, raw, 'name', 'the entity');
    if (!name) return;
    const type = this.optString(path, raw, 'type');
    if (type !== 'primary' && type !== 'unique' && type !== 'foreign' && type !== 'natural') {
      this.error(raw.type === undefined ? path : [...path, 'type'], 'KPI0702', `entity '${name}' must have a type: primary, unique, foreign or natural${type ? `, not '${type}'` : ''}`);
      return;
    }
    model.entities.push({ name, type, expr: this.optText(path, raw, 'expr'), at: this.place([...path, 'name']) });
  }

  dimension(path: Path, raw: Record<string, unknown>, model: MfSemanticModel): void {
    const name = this.need(path, raw, 'name', 'the dimension');
    if (!name) return;
    const type = this.optString(path, raw, 'type')?.toLowerCase();
    if (type !== 'categorical' && type !== 'time') {
      this.error(raw.type === undefined ? path : [...path, 'type'], 'KPI0702', `dimension '${name}' must have a type: categorical or time${type ? `, not '${type}'` : ''}`);
      return;
    }
    const params = isRecord(raw.type_params) ? raw.type_params : {};
    model.dimensions.push({
      name,
      type,
      expr: this.optText(path, raw, 'expr'),
      granularity: this.located([...path, 'type_params'], params, 'time_granularity'),
      validity: params.validity_params !== undefined ? this.place([...path, 'type_params', 'validity_params']) : null,
      label: this.optString(path, raw, 'label'),
      description: this.optString(path, raw, 'description'),
      at: this.place([...path, 'name']),
    });
  }

  measure(path: Path, raw: Record<string, unknown>, model: MfSemanticModel): void {
    const name = this.need(path, raw, 'name', 'the measure');
    if (!name) return;
    const agg = this.located(path, raw, 'agg');
    if (!agg) return this.error(path, 'KPI0702', `measure '${name}' has no 'agg'`, 'add agg: sum (or count, count_distinct, sum_boolean, average, min, max, median, percentile)');
    const params = isRecord(raw.agg_params) ? raw.agg_params : {};
    let percentile: Located<number> | null = null;
    if (params.percentile !== undefined) {
      const p = params.percentile;
      if (typeof p === 'number') percentile = { value: p, at: this.place([...path, 'agg_params', 'percentile']) };
      else this.error([...path, 'agg_params', 'percentile'], 'KPI0716', `the percentile of measure '${name}' must be a number from 0 to 1`);
    }
    model.measures.push({
      name,
      agg: { value: agg.value.toLowerCase(), at: agg.at },
      expr: this.optText(path, raw, 'expr'),
      aggTimeDimension: this.located(path, raw, 'agg_time_dimension'),
      nonAdditive: this.nonAdditive([...path, 'non_additive_dimension'], raw.non_additive_dimension),
      percentile,
      discrete: params.use_discrete_percentile === true,
      approximate: params.use_approximate_percentile === true,
      createMetric: raw.create_metric === true,
      label: this.optString(path, raw, 'label'),
      description: this.optString(path, raw, 'description'),
      meta: this.meta(raw),
      model: model.name,
      at: this.place([...path, 'name']),
    });
  }

  nonAdditive(path: Path, raw: unknown): MfNonAdditive | null {
    if (raw === undefined || raw === null) return null;
    if (!isRecord(raw)) {
      this.error(path, 'KPI0702', 'non_additive_dimension must be a mapping with a name and a window_choice');
      return null;
    }
    const name = this.located(path, raw, 'name');
    if (!name) {
      this.error(path, 'KPI0702', 'non_additive_dimension has no name', 'name the time dimension the measure must not be added up over');
      return null;
    }
    const choice = (this.optString(path, raw, 'window_choice') ?? 'min').toLowerCase();
    if (choice !== 'min' && choice !== 'max') {
      this.error([...path, 'window_choice'], 'KPI0702', `window_choice must be min or max, not '${choice}'`);
      return null;
    }
    const groupings = Array.isArray(raw.window_groupings)
      ? raw.window_groupings.flatMap((g, i) => (typeof g === 'string' ? [{ value: g, at: this.place([...path, 'window_groupings', i]) }] : []))
      : [];
    return { name, choice, groupings, at: this.place(path) };
  }

  // ---- metrics -----------------------------------------------------------------------------

  metric(path: Path, raw: unknown): void {
    if (!isRecord(raw)) return this.error(path, 'KPI0702', 'a metric must be a mapping with a name, a type and its type_params');
    const name = this.need(path, raw, 'name', 'the metric');
    if (!name) return;
    const type = this.located(path, raw, 'type');
    if (!type) return this.error(path, 'KPI0702', `metric '${name}' has no type`, 'add type: simple, ratio, derived or cumulative');
    const tp = isRecord(raw.type_params) ? raw.type_params : {};
    const tpPath = [...path, 'type_params'];
    const cumulative = isRecord(tp.cumulative_type_params) ? tp.cumulative_type_params : {};
    const cumulativePath = [...tpPath, 'cumulative_type_params'];
    const input = (key: string) => (tp[key] === undefined ? null : this.input([...tpPath, key], tp[key]));
    const inputs = tp.metrics === undefined ? [] : this.list([...tpPath, 'metrics'], tp.metrics).flatMap((m, i) => {
      const x = this.input([...tpPath, 'metrics', i], m);
      return x ? [x] : [];
    });
    this.project.metrics.push({
      name,
      type: { value: type.value.toLowerCase(), at: type.at },
      label: this.optString(path, raw, 'label'),
      description: this.optString(path, raw, 'description'),
      filters: this.filters(path, raw),
      measure: input('measure'),
      numerator: input('numerator'),
      denominator: input('denominator'),
      expr: this.optText(tpPath, tp, 'expr'),
      inputs,
      window: this.located(cumulativePath, cumulative, 'window') ?? this.located(tpPath, tp, 'window'),
      grainToDate: this.located(cumulativePath, cumulative, 'grain_to_date') ?? this.located(tpPath, tp, 'grain_to_date'),
      periodAgg: this.located(cumulativePath, cumulative, 'period_agg'),
      timeGranularity: this.located(path, raw, 'time_granularity'),
      meta: this.meta(raw),
      at: this.place([...path, 'name']),
    });
  }

  /** `measure: name` or `measure: { name, filter, alias, fill_nulls_with, join_to_timespine }`, and likewise for input metrics. */
  input(path: Path, raw: unknown): MfInput | null {
    if (typeof raw === 'string') {
      const at = this.place(path);
      return { name: { value: raw.trim(), at }, alias: null, filters: [], offsetWindow: null, offsetToGrain: null, fillNullsWith: null, joinToTimespine: false, at };
    }
    if (!isRecord(raw)) {
      this.error(path, 'KPI0702', 'an input must be a name or a mapping with a name');
      return null;
    }
    const name = this.located(path, raw, 'name');
    if (!name) {
      this.error(path, 'KPI0702', 'this input has no name');
      return null;
    }
    let fill: Located<number> | null = null;
    if (raw.fill_nulls_with !== undefined && raw.fill_nulls_with !== null) {
      if (typeof raw.fill_nulls_with === 'number') fill = { value: raw.fill_nulls_with, at: this.place([...path, 'fill_nulls_with']) };
      else this.error([...path, 'fill_nulls_with'], 'KPI0702', 'fill_nulls_with must be a number');
    }
    return {
      name,
      alias: this.optString(path, raw, 'alias'),
      filters: this.filters(path, raw),
      offsetWindow: this.located(path, raw, 'offset_window'),
      offsetToGrain: this.located(path, raw, 'offset_to_grain'),
      fillNullsWith: fill,
      joinToTimespine: raw.join_to_timespine === true,
      at: this.place([...path, 'name']),
    };
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
