// The intermediate representation every emitter reads. It knows nothing of the formula text or
// the YAML: names are resolved, types and units are checked, KPI references and measures are
// inlined, and every aggregate says which rows it reads and how they fall into periods.

export type Grain = 'day' | 'week' | 'month' | 'quarter' | 'year';
/** A query's grain: a period grain, or `none` for one value over the whole range. */
export type QueryGrain = Grain | 'none';
export type ValueType = 'number' | 'boolean' | 'string' | 'date' | 'timestamp' | 'null';

/** One many-to-one hop: `from.fk = to.key`. */
export interface JoinStep {
  fromTable: string;
  fkColumn: string;
  toTable: string;
  toKey: string;
}

export type ArithOp = '+' | '-' | '*' | '/';
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type LogicOp = 'and' | 'or';

export type ScalarFn =
  | 'coalesce'
  | 'if'
  | 'abs'
  | 'round'
  | 'least'
  | 'greatest'
  | 'hours_between'
  | 'minutes_between'
  | 'days_between'
  /** The start and end instant of the period a row falls into (inside aggregates). */
  | 'period_start'
  | 'period_end'
  /** The length of a row's lifespan inside the period (inside `during` aggregates). */
  | 'overlap_minutes'
  | 'overlap_hours'
  | 'overlap_days';

export type AggregateFn =
  | 'count'
  | 'count_distinct'
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'median'
  | 'percentile'
  /** Discrete: the first value whose cumulative share reaches the fraction. */
  | 'median_disc'
  | 'percentile_disc';

/** The rows a window aggregate reads for a period `[s, e)`, by its time column `t`. */
export type Window =
  /** `over 12 months`: `e - 12 months <= t < e`. */
  | { kind: 'interval'; count: number; unit: Grain }
  /** `over year to date`: from the start of the year holding the period's last instant to `e`. */
  | { kind: 'to_date'; grain: Grain }
  /** `over all time`: `t < e`. */
  | { kind: 'all' };

/** How an aggregate's rows fall into periods. */
export type TimeSpec =
  | { kind: 'period'; column: string; columnType: 'date' | 'timestamp' }
  | { kind: 'snapshot'; edge: 'start' | 'end' | 'during'; from: string; to: string; fromType: 'date' | 'timestamp'; toType: 'date' | 'timestamp' }
  | { kind: 'window'; column: string; columnType: 'date' | 'timestamp'; window: Window }
  /**
   * Semi-additive (`at last`, `at first`): of the period's rows, those whose time is the latest
   * (earliest) in the period, over the whole table or per value of `per` (a column of the table).
   */
  | { kind: 'semi'; edge: 'last' | 'first'; column: string; columnType: 'date' | 'timestamp'; per: string | null; perType: ValueType | null };

/** How an offset moves a period start `p` (the result is truncated to the query's grain). */
export type Shift =
  /** `previous(x, 3)`: three periods back. */
  | { kind: 'periods'; n: number }
  /** `previous(x, 1 year)`: `p - 1 year`. */
  | { kind: 'interval'; count: number; unit: Grain }
  /** `start_of(x, month)`: the start of the month holding `p`. */
  | { kind: 'start_of'; grain: Grain };

export interface AggregateSpec {
  table: string;
  fn: AggregateFn;
  /** null for `count()`. */
  arg: IrExpr | null;
  /** The percentile for `percentile` (0..1); 0.5 for `median`. */
  fraction: number | null;
  filter: IrExpr | null;
  time: TimeSpec;
}

/**
 * The aggregate of a related aggregate: over the rows of `table` whose many-to-one `path` (from
 * `table`, at least one step) ends at the outer row, whose last step's key is the outer table's
 * primary key. `time` null: all of them; else those in the outer row's period as the spec says.
 */
export interface RelatedSpec {
  table: string;
  fn: AggregateFn;
  arg: IrExpr | null;
  fraction: number | null;
  filter: IrExpr | null;
  time: Exclude<TimeSpec, { kind: 'semi' }> | null;
  path: JoinStep[];
}

export type IrExpr =
  | { kind: 'literal'; value: number | string | boolean | null; type: ValueType }
  /** A column of the aggregate's table (`path` empty) or of a table reached through `path`. */
  | { kind: 'column'; path: JoinStep[]; table: string; column: string; type: ValueType }
  | { kind: 'neg'; operand: IrExpr }
  | { kind: 'not'; operand: IrExpr }
  | { kind: 'arith'; op: ArithOp; left: IrExpr; right: IrExpr }
  | { kind: 'compare'; op: CompareOp; left: IrExpr; right: IrExpr }
  | { kind: 'logic'; op: LogicOp; left: IrExpr; right: IrExpr }
  | { kind: 'in'; operand: IrExpr; values: IrExpr[]; negated: boolean }
  | { kind: 'is_null'; operand: IrExpr; negated: boolean }
  | { kind: 'call'; fn: ScalarFn; args: IrExpr[] }
  | { kind: 'case'; whens: { when: IrExpr; then: IrExpr }[]; else: IrExpr | null }
  /** An aggregate, before planning. */
  | { kind: 'aggregate'; spec: AggregateSpec }
  /**
   * A related aggregate: inside another aggregate's row expression, the aggregate over the rows of
   * `spec.table` that reach the outer row through `spec.path`. `type` is number, or the column's
   * date/timestamp for min and max.
   */
  | { kind: 'related'; spec: RelatedSpec; type: ValueType }
  /** An aggregate after planning: column `column` of scan `scan`. */
  | { kind: 'agg_ref'; scan: string; column: string; fn: AggregateFn }
  /** The value of `operand` `periods` periods before (operand holds only agg_refs and constants). */
  | { kind: 'previous'; operand: IrExpr; periods: number }
  /**
   * The value of `operand` at another period: each shift moves the period start in turn, the first
   * shift first. After planning, operand is an agg_ref.
   */
  | { kind: 'shifted'; operand: IrExpr; shifts: Shift[] };

/** A dimension, and per table of the query the path that reaches its column. */
export interface DimensionPlan {
  name: string;
  type: ValueType;
  /** Per scan id: the column expression (a `column` IrExpr) that gives this dimension. */
  byScan: Record<string, IrExpr>;
}

/** One pass over one table: all aggregates of the query that read it with the same time spec. */
export interface Scan {
  id: string;
  table: string;
  time: TimeSpec;
  /** Every join path used by dimensions, filters and arguments, deduplicated and ordered. */
  joins: JoinStep[][];
  /** A query-level row filter (`--where`) for this table, already resolved. */
  filter: IrExpr | null;
  aggregates: { column: string; spec: AggregateSpec }[];
}

export interface KpiValue {
  id: string;
  value: IrExpr;
  /** What a period shows when none of the value's aggregates has a row in it (null: null). */
  empty: number | null;
}

export interface QueryPlan {
  grain: QueryGrain;
  /** `all`: every period of the range; `data`: only periods where some scan has a row. */
  periods: 'all' | 'data';
  dimensions: DimensionPlan[];
  scans: Scan[];
  outputs: KpiValue[];
  /** How many periods before the range the previous-period values need. */
  lookback: number;
  /** Time columns whose min and max give the default range. */
  rangeColumns: { table: string; column: string; type: 'date' | 'timestamp' }[];
}
