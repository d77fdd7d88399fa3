// The formula language's abstract syntax tree. Every node carries its span: offsets into the
// formula text (end exclusive), which the TextOrigin of the formula maps to file positions.

import type { TextSpan } from '../diagnostics/diagnostic.js';

export type Span = TextSpan;

export type BinaryOp =
  | '+' | '-' | '*' | '/'
  | '=' | '!=' | '<' | '<=' | '>' | '>='
  | 'and' | 'or';

export interface NumberLit {
  kind: 'number';
  value: number;
  /** The digits as written, so emitters can render them exactly. */
  text: string;
  span: Span;
}

export interface StringLit {
  kind: 'string';
  value: string;
  span: Span;
}

export interface BooleanLit {
  kind: 'boolean';
  value: boolean;
  span: Span;
}

export interface NullLit {
  kind: 'null';
  span: Span;
}

export type IntervalUnit = 'day' | 'week' | 'month' | 'quarter' | 'year';

/** `12 months`, `1 year`: a calendar interval (an `over` window, an offset of `previous`). */
export interface IntervalLit {
  kind: 'interval';
  count: number;
  unit: IntervalUnit;
  span: Span;
}

/** A bare name: a column of the aggregate's table inside an aggregate; a measure or a KPI outside. */
export interface NameRef {
  kind: 'name';
  name: string;
  span: Span;
}

/** `table.column`: a column of a table reached through many-to-one references (row level). */
export interface QualifiedRef {
  kind: 'qualified';
  table: string;
  column: string;
  tableSpan: Span;
  columnSpan: Span;
  span: Span;
}

export interface Unary {
  kind: 'unary';
  op: '-' | 'not';
  operand: Expr;
  span: Span;
}

export interface Binary {
  kind: 'binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
  opSpan: Span;
  span: Span;
}

/** `x in ['a', 'b']`, `x not in [1, 2]`. */
export interface InList {
  kind: 'in';
  operand: Expr;
  values: Expr[];
  negated: boolean;
  span: Span;
}

/** `x is null`, `x is not null`. */
export interface IsNull {
  kind: 'is_null';
  operand: Expr;
  negated: boolean;
  span: Span;
}

/** A function call: `if(c, a, b)`, `coalesce(a, b)`, `hours_between(a, b)`, `previous(x)`, ... */
export interface Call {
  kind: 'call';
  name: string;
  nameSpan: Span;
  args: Expr[];
  span: Span;
}

export interface CaseWhen {
  when: Expr;
  then: Expr;
}

/** `case when c1 then a when c2 then b else c end`. */
export interface Case {
  kind: 'case';
  whens: CaseWhen[];
  else: Expr | null;
  span: Span;
}

/**
 * `at end` / `at start` of an aggregate: a snapshot over rows whose lifespan covers that instant;
 * `during`: the rows whose lifespan overlaps the period.
 */
export interface AtClause {
  edge: 'start' | 'end' | 'during' | 'last' | 'first';
  /** `at last per account_id`: each entity's last (first) rows in the period. */
  per: { column: string; span: Span } | null;
  span: Span;
}

/**
 * `over 12 months` (a rolling window ending at each period's end), `over year to date`, `over all
 * time`: the rows an aggregate reads for a period reach back before the period's start.
 */
export type OverClause =
  | { kind: 'interval'; count: number; unit: IntervalUnit; span: Span }
  | { kind: 'to_date'; grain: IntervalUnit; span: Span }
  | { kind: 'all'; span: Span };

/** `on closed_at`: the time column that puts this aggregate's rows into periods. */
export interface OnClause {
  column: string;
  span: Span;
}

/**
 * `table.fn(args where cond on col at end)`: an aggregate over one table's rows.
 * The function name is not restricted by the grammar; the checker validates it.
 */
export interface Aggregate {
  kind: 'aggregate';
  table: string;
  tableSpan: Span;
  fn: string;
  fnSpan: Span;
  args: Expr[];
  where: Expr | null;
  on: OnClause | null;
  at: AtClause | null;
  over: OverClause | null;
  span: Span;
}

export type Expr =
  | NumberLit
  | StringLit
  | BooleanLit
  | NullLit
  | IntervalLit
  | NameRef
  | QualifiedRef
  | Unary
  | Binary
  | InList
  | IsNull
  | Call
  | Case
  | Aggregate;

export type ExprKind = Expr['kind'];

/** Calls `visit` on `expr` and on every expression below it, parents first. */
export function walk(expr: Expr, visit: (e: Expr) => void): void {
  visit(expr);
  for (const child of children(expr)) walk(child, visit);
}

export function children(expr: Expr): Expr[] {
  switch (expr.kind) {
    case 'number':
    case 'string':
    case 'boolean':
    case 'null':
    case 'interval':
    case 'name':
    case 'qualified':
      return [];
    case 'unary':
      return [expr.operand];
    case 'binary':
      return [expr.left, expr.right];
    case 'in':
      return [expr.operand, ...expr.values];
    case 'is_null':
      return [expr.operand];
    case 'call':
      return expr.args;
    case 'case':
      return [...expr.whens.flatMap((w) => [w.when, w.then]), ...(expr.else ? [expr.else] : [])];
    case 'aggregate':
      return [...expr.args, ...(expr.where ? [expr.where] : [])];
    default: {
      const never: never = expr;
      return never;
    }
  }
}
