// The intermediate representation every emitter reads. It knows nothing of the formula text or
// the YAML: names are resolved, types and units are checked, KPI references and measures are
// inlined, and every aggregate says which rows it reads and how they fall into periods.

export type Grain = 'day' | 'week' | 'month' | 'quarter' | 'year';
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
  | 'percentile';

/** How an aggregate's rows fall into periods. */
export type TimeSpec =
  | { kind: 'period'; column: string; columnType: 'date' | 'timestamp' }
  | { kind: 'snapshot'; edge: 'start' | 'end' | 'during'; from: string; to: string; fromType: 'date' | 'timestamp'; toType: 'date' | 'timestamp' };

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
  /** An aggregate after planning: column `column` of scan `scan`. */
  | { kind: 'agg_ref'; scan: string; column: string; fn: AggregateFn }
  /** The value of `operand` `periods` periods before (operand holds only agg_refs and constants). */
  | { kind: 'previous'; operand: IrExpr; periods: number };

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
}

export interface QueryPlan {
  grain: Grain;
  dimensions: DimensionPlan[];
  scans: Scan[];
  outputs: KpiValue[];
  /** How many periods before the range the previous-period values need. */
  lookback: number;
  /** Time columns whose min and max give the default range. */
  rangeColumns: { table: string; column: string; type: 'date' | 'timestamp' }[];
}
