// Typed definitions the loader produces from `schemas/sources/*.yaml` and `kpis/**/*.yaml`.
// Every field a diagnostic may point at keeps its place in the file.

import type { FileSpan, TextOrigin } from '../diagnostics/diagnostic.js';

export type ColumnType = 'integer' | 'decimal' | 'boolean' | 'string' | 'date' | 'timestamp';

/** Units a numeric column or a KPI can carry. `currency` takes a code (EUR, USD). */
export const COLUMN_UNITS = ['currency', 'hours', 'minutes', 'days', 'count', 'score', 'ratio'] as const;
export type ColumnUnit = (typeof COLUMN_UNITS)[number];

export interface ColumnDef {
  name: string;
  type: ColumnType;
  unit: ColumnUnit | null;
  currency: string | null;
  /** Allowed values of a categorical string column. */
  values: string[] | null;
  nullable: boolean;
  /** Many-to-one reference: this column holds the primary key of that table. */
  references: string | null;
  description: string | null;
  span: FileSpan;
}

export interface SourceDef {
  table: string;
  description: string | null;
  primaryKey: string;
  /** The default time column that puts rows into periods. */
  time: string | null;
  /** Columns bounding when a row is alive, for `at start` / `at end` snapshots ([from, to)). */
  lifespan: { from: string; to: string } | null;
  columns: ColumnDef[];
  file: string;
  span: FileSpan;
}

export const TIERS = ['strategic', 'tactical', 'operational', 'emerging'] as const;
export type Tier = (typeof TIERS)[number];
export const ROLES = ['exec', 'manager', 'dispatcher', 'technician'] as const;
export type Role = (typeof ROLES)[number];
export const KPI_UNITS = ['percent', 'ratio', 'count', 'currency', 'hours', 'minutes', 'days', 'score'] as const;
export type KpiUnit = (typeof KPI_UNITS)[number];
export const GRAINS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type Grain = (typeof GRAINS)[number];

/** A piece of formula text and where it sits in its file. */
export interface FormulaText {
  text: string;
  origin: TextOrigin;
  span: FileSpan;
}

export interface Located<T> {
  value: T;
  span: FileSpan;
}

export interface FixtureExpectation {
  period: string;
  /** Dimension values, when the fixture slices by dimensions. */
  dims: Record<string, string | number | boolean | null>;
  value: number | null;
  span: FileSpan;
}

export interface Fixture {
  name: string;
  given: Record<string, Record<string, unknown>[]>;
  /** The query's grain; `none` for one value over the range. */
  grain: Grain | 'none';
  periods: 'all' | 'data';
  by: string[];
  from: string | null;
  to: string | null;
  expect: FixtureExpectation[];
  span: FileSpan;
}

export interface KpiDef {
  id: Located<string>;
  name: string;
  short: string | null;
  description: string;
  question: string;
  tier: Tier;
  roles: Role[];
  owner: string;
  tags: string[];
  unit: Located<KpiUnit>;
  /** A display label for the unit when it says more than the unit (`visits per engineer`). */
  unitLabel: string | null;
  currency: string | null;
  better: 'higher' | 'lower';
  format: string | null;
  /** What a period with no input rows shows (null: null). */
  empty: number | null;
  formula: FormulaText;
  measures: { name: Located<string>; formula: FormulaText }[];
  /** `table.column`, the default time column. */
  time: Located<{ table: string; column: string }> | null;
  grain: Grain;
  dimensions: Located<string>[];
  target: { good: number; warn: number } | null;
  benchmark: { value: number | null; text: string | null } | null;
  pitfalls: string | null;
  related: Located<string>[];
  tests: Fixture[];
  /** Path relative to the project root, with forward slashes. */
  file: string;
  /** The folder under `kpis/` the file sits in. */
  group: string;
}

export interface Project {
  root: string;
  sources: SourceDef[];
  kpis: KpiDef[];
}
