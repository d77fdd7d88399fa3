// A checked IR expression in plain words, for the docs: "the number of work_orders rows where status
// is 'completed', per period by completed_at". Sub-expressions that are a named measure or another
// KPI are called by their name, so a formula reads at the level it was written.

import type { AggregateSpec, IrExpr, RelatedSpec, ScalarFn, Shift, TimeSpec } from '../../plan/ir.js';

/** Words, and the names in them that a renderer may link or mark up. */
export type Piece = string | { kpi: string } | { measure: string };

export interface Names {
  /** JSON of an IR value → the measure or KPI it is. The first one given wins. */
  byValue: Map<string, { kpi: string } | { measure: string }>;
}

export function namesFor(measures: { name: string; value: IrExpr }[], kpis: { id: string; value: IrExpr }[]): Names {
  const byValue = new Map<string, { kpi: string } | { measure: string }>();
  for (const m of measures) if (!byValue.has(key(m.value))) byValue.set(key(m.value), { measure: m.name });
  for (const k of kpis) if (!byValue.has(key(k.value))) byValue.set(key(k.value), { kpi: k.id });
  return { byValue };
}

/**
 * A key equal for equal trees, as JSON.stringify(e) is, but built bottom-up: each object is
 * serialised once, with its children replaced by the ids of their keys. Stringifying every
 * subtree at every level cost cubic time in a chain of measures (18 s for 300).
 */
const keys = new WeakMap<object, string>();
const ids = new Map<string, number>();

function key(v: object): string {
  let k = keys.get(v);
  if (k === undefined) {
    k = JSON.stringify(v, (name: string, x: unknown) => (name !== '' && x !== null && typeof x === 'object' && !Array.isArray(x) ? `#${idOf(x)}` : x));
    keys.set(v, k);
  }
  return k;
}

function idOf(v: object): number {
  const k = key(v);
  let id = ids.get(k);
  if (id === undefined) {
    id = ids.size;
    ids.set(k, id);
  }
  return id;
}

export function plainText(pieces: Piece[]): string {
  return pieces.map((p) => (typeof p === 'string' ? p : 'kpi' in p ? p.kpi : p.measure)).join('');
}

/** `e` in words. Its own top node is always spelled out, even when it is a named measure or KPI. */
export function explain(e: IrExpr, names: Names = { byValue: new Map() }): Piece[] {
  return merge(words(e, names, true).pieces);
}

/** Binding strength, loosest first, as in the formula language. */
const Level = { Or: 1, And: 2, Not: 3, Comparison: 4, Additive: 5, Multiplicative: 6, Negation: 7, Primary: 8 } as const;

interface Phrase {
  pieces: Piece[];
  level: number;
  /** Set when the phrase is arithmetic spelt out (not a name standing for it). */
  arith?: 'additive' | '*' | '/';
  /** Ends in an aggregate's ", per period by ..." clause, so what follows needs a comma to read. */
  tail?: boolean;
}

function words(e: IrExpr, names: Names, top = false): Phrase {
  const named = top ? undefined : names.byValue.get(key(e));
  if (named && hasAggregate(e)) return { pieces: [named], level: Level.Primary };
  const sub = (x: IrExpr, min: number): Piece[] => {
    const p = words(x, names);
    return p.level >= min ? p.pieces : ['(', ...p.pieces, ')'];
  };
  const phrase = (level: number, ...parts: (string | Piece[])[]): Phrase => ({ pieces: parts.flatMap((p) => (typeof p === 'string' ? [p] : p)), level });
  switch (e.kind) {
    case 'literal':
      return phrase(Level.Primary, literal(e.value));
    case 'column':
      return phrase(Level.Primary, e.path.length > 0 ? `${e.table}.${e.column}` : e.column);
    case 'neg':
      return phrase(Level.Negation, 'minus ', sub(e.operand, Level.Negation));
    case 'not':
      return phrase(Level.Not, 'not ', sub(e.operand, Level.Primary));
    case 'arith': {
      const level = e.op === '+' || e.op === '-' ? Level.Additive : Level.Multiplicative;
      const op = { '+': ' plus ', '-': ' minus ', '*': ' times ', '/': ' divided by ' }[e.op];
      // Words have no precedence: "1 minus a divided by b" reads either way. So a product or
      // quotient inside a sum, and a quotient on the left of a product, get parentheses.
      const arith = (x: IrExpr, side: 'left' | 'right'): Phrase => {
        const p = words(x, names);
        const inner = p.arith;
        const parens = inner === undefined
          ? p.level < level
          : level === Level.Additive
            ? inner !== 'additive' || side === 'right'
            : inner === 'additive' || side === 'right' || inner === '/';
        return parens ? { pieces: ['(', ...p.pieces, ')'], level: Level.Primary } : p;
      };
      const [l, r] = [arith(e.left, 'left'), arith(e.right, 'right')];
      return { ...phrase(level, l.pieces, l.tail ? `,${op}` : op, r.pieces), arith: level === Level.Additive ? 'additive' : e.op === '*' ? '*' : '/', tail: r.tail };
    }
    case 'compare': {
      const temporal = isTemporal(e.left) || isTemporal(e.right);
      return phrase(Level.Comparison, sub(e.left, Level.Comparison + 1), ` ${compareWords(e.op, temporal)} `, sub(e.right, Level.Comparison + 1));
    }
    case 'logic': {
      const level = e.op === 'and' ? Level.And : Level.Or;
      return phrase(level, sub(e.left, level), ` ${e.op} `, sub(e.right, level + 1));
    }
    case 'in': {
      const values = list(e.values.map((v) => sub(v, Level.Comparison + 1)), 'or');
      const verb = e.values.length > 2 ? (e.negated ? ' is not one of ' : ' is one of ') : e.negated ? (e.values.length === 1 ? ' is not ' : ' is neither ') : ' is ';
      const pieces = e.negated && e.values.length === 2 ? list(e.values.map((v) => sub(v, Level.Comparison + 1)), 'nor') : values;
      return phrase(Level.Comparison, sub(e.operand, Level.Comparison + 1), verb, pieces);
    }
    case 'is_null':
      return phrase(Level.Comparison, sub(e.operand, Level.Comparison + 1), e.negated ? ' has a value' : ' has no value');
    case 'call':
      return call(e.fn, e.args.map((a) => words(a, names)));
    case 'case': {
      const parts: Piece[][] = e.whens.map((w) => [...sub(w.then, Level.Comparison), ' when ', ...sub(w.when, Level.Or + 1)]);
      parts.push(e.else ? [...sub(e.else, Level.Comparison), ' otherwise'] : ['no value otherwise']);
      return phrase(Level.Or, list(parts, ''));
    }
    case 'aggregate':
      return { ...phrase(Level.Primary, aggregate(e.spec, names)), tail: true };
    case 'related':
      return { ...phrase(Level.Primary, aggregate(e.spec, names)), tail: true };
    case 'agg_ref':
      return phrase(Level.Primary, `${e.scan}.${e.column}`);
    case 'previous': {
      const operand = words(e.operand, names);
      const when = e.periods === 1 ? ' in the previous period' : ` ${e.periods} periods before`;
      return phrase(Level.Primary, sub(e.operand, Level.Primary), operand.tail && operand.level >= Level.Primary ? `,${when}` : when);
    }
    case 'shifted': {
      const operand = words(e.operand, names);
      const when = ` ${[...e.shifts].reverse().map(shiftWords).join(', ')}`;
      return phrase(Level.Primary, sub(e.operand, Level.Primary), operand.tail && operand.level >= Level.Primary ? `,${when}` : when);
    }
    default: {
      const never: never = e;
      return never;
    }
  }
}

function aggregate(s: AggregateSpec | RelatedSpec, names: Names): Piece[] {
  const arg = s.arg ? wordsIn(s.arg, names) : [];
  // A related aggregate reads the rows of its table that point at the outer row: "its visits rows".
  const rows = 'path' in s ? `its ${s.table} rows` : `${s.table} rows`;
  let head: Piece[];
  switch (s.fn) {
    case 'count':
      head = s.arg ? ['the number of values of ', ...arg, ` over ${rows}`] : [`the number of ${rows}`];
      break;
    case 'count_distinct':
      head = ['the number of distinct values of ', ...arg, ` over ${rows}`];
      break;
    case 'sum':
      head = ['the sum of ', ...arg, ` over ${rows}`];
      break;
    case 'avg':
      head = ['the average of ', ...arg, ` over ${rows}`];
      break;
    case 'min':
      head = ['the smallest ', ...arg, ` over ${rows}`];
      break;
    case 'max':
      head = ['the largest ', ...arg, ` over ${rows}`];
      break;
    case 'median':
      head = ['the median of ', ...arg, ` over ${rows}`];
      break;
    case 'percentile':
      head = [`the ${ordinal((s.fraction ?? 0.5) * 100)} percentile of `, ...arg, ` over ${rows}`];
      break;
    case 'median_disc':
      head = ['the median (a value that occurs) of ', ...arg, ` over ${rows}`];
      break;
    case 'percentile_disc':
      head = [`the ${ordinal((s.fraction ?? 0.5) * 100)} percentile (a value that occurs) of `, ...arg, ` over ${rows}`];
      break;
    default: {
      const never: never = s.fn;
      return never;
    }
  }
  const filter: Piece[] = s.filter ? [' where ', ...wordsIn(s.filter, names)] : [];
  if ('path' in s) return [...head, ...filter, ...(s.time ? [`, ${relatedTimeWords(s.time)}`] : [])];
  return [...head, ...filter, `, ${timeWords(s.time)}`];
}

/** Which of a related aggregate's rows count, relative to the outer row's period. */
function relatedTimeWords(t: NonNullable<RelatedSpec['time']>): string {
  if (t.kind === 'period') return `by ${t.column} in the row's period`;
  return timeWords(t).replaceAll('each period', "the row's period");
}

/** Row-level words inside an aggregate: the loosest level needs no parentheses there. */
function wordsIn(e: IrExpr, names: Names): Piece[] {
  return words(e, names).pieces;
}

function timeWords(t: TimeSpec): string {
  switch (t.kind) {
    case 'period':
      return `per period by ${t.column}`;
    case 'snapshot': {
      const when = { start: 'alive at the start of each period', end: 'alive at the end of each period', during: 'alive at any time during each period' }[t.edge];
      return `${when} (from ${t.from} to ${t.to})`;
    }
    case 'window': {
      const w = t.window;
      const span = w.kind === 'interval' ? `in the ${w.count === 1 ? w.unit : `${w.count} ${w.unit}s`} up to the end of each period` : w.kind === 'to_date' ? `from the start of the ${w.grain} to the end of each period (${w.grain} to date)` : 'from the first row up to the end of each period (all time)';
      return `${span}, by ${t.column}`;
    }
    case 'semi':
      return `only the rows at the ${t.edge} ${t.column} of each period${t.per ? ` for each ${t.per}` : ''}`;
    default: {
      const never: never = t;
      return never;
    }
  }
}

function call(fn: ScalarFn, args: Phrase[]): Phrase {
  const at = (i: number, min: number): Piece[] => {
    const a = args[i];
    if (!a) return [];
    return a.level >= min ? a.pieces : ['(', ...a.pieces, ')'];
  };
  const all = (min: number) => args.map((_, i) => at(i, min));
  const p = (level: number, ...parts: (string | Piece[])[]): Phrase => ({ pieces: parts.flatMap((x) => (typeof x === 'string' ? [x] : x)), level });
  const between = (unit: string) => p(Level.Primary, `the ${unit} from `, at(0, Level.Additive), ' to ', at(1, Level.Additive));
  switch (fn) {
    case 'coalesce':
      return args.length === 2
        ? args[0].tail && args[0].level >= Level.Primary
          ? p(Level.Primary, at(0, Level.Primary), ', or ', at(1, Level.Additive), ' when there is none')
          : p(Level.Primary, at(0, Level.Primary), ' (or ', at(1, Level.Additive), ' when missing)')
        : p(Level.Primary, 'the first present of ', list(all(Level.Additive), 'and'));
    case 'if':
      return p(Level.Or, at(1, Level.Comparison), ' when ', at(0, Level.Or + 1), ', else ', at(2, Level.Comparison));
    case 'abs':
      return p(Level.Primary, 'the absolute value of ', at(0, Level.Primary));
    case 'round':
      return args.length > 1 ? p(Level.Primary, at(0, Level.Primary), ' rounded to ', at(1, Level.Primary), ' decimals') : p(Level.Primary, at(0, Level.Primary), ' rounded');
    case 'least':
      return p(Level.Primary, args.length === 2 ? 'the smaller of ' : 'the smallest of ', list(all(Level.Additive), 'and'));
    case 'greatest':
      return p(Level.Primary, args.length === 2 ? 'the larger of ' : 'the largest of ', list(all(Level.Additive), 'and'));
    case 'hours_between':
      return between('hours');
    case 'minutes_between':
      return between('minutes');
    case 'days_between':
      return between('days');
    case 'period_start':
      return p(Level.Primary, "the period's start");
    case 'period_end':
      return p(Level.Primary, "the period's end");
    case 'overlap_minutes':
      return p(Level.Primary, 'the minutes of its lifespan inside the period');
    case 'overlap_hours':
      return p(Level.Primary, 'the hours of its lifespan inside the period');
    case 'overlap_days':
      return p(Level.Primary, 'the days of its lifespan inside the period');
    default: {
      const never: never = fn;
      return never;
    }
  }
}

function compareWords(op: '=' | '!=' | '<' | '<=' | '>' | '>=', temporal: boolean): string {
  switch (op) {
    case '=':
      return 'is';
    case '!=':
      return 'is not';
    case '<':
      return temporal ? 'is before' : 'is less than';
    case '<=':
      return temporal ? 'is at or before' : 'is at most';
    case '>':
      return temporal ? 'is after' : 'is greater than';
    case '>=':
      return temporal ? 'is at or after' : 'is at least';
    default: {
      const never: never = op;
      return never;
    }
  }
}

function isTemporal(e: IrExpr): boolean {
  if (e.kind === 'column' || e.kind === 'literal') return e.type === 'date' || e.type === 'timestamp';
  if (e.kind === 'call') return e.fn === 'period_start' || e.fn === 'period_end' || (e.fn === 'coalesce' && e.args.some(isTemporal));
  return false;
}

function hasAggregate(e: IrExpr): boolean {
  switch (e.kind) {
    case 'aggregate':
    case 'agg_ref':
      return true;
    case 'related':
      return false;
    case 'literal':
    case 'column':
      return false;
    case 'neg':
    case 'not':
    case 'is_null':
    case 'previous':
    case 'shifted':
      return hasAggregate(e.operand);
    case 'arith':
    case 'compare':
    case 'logic':
      return hasAggregate(e.left) || hasAggregate(e.right);
    case 'in':
      return [e.operand, ...e.values].some(hasAggregate);
    case 'call':
      return e.args.some(hasAggregate);
    case 'case':
      return e.whens.some((w) => hasAggregate(w.when) || hasAggregate(w.then)) || (e.else !== null && hasAggregate(e.else));
    default: {
      const never: never = e;
      return never;
    }
  }
}

function literal(v: number | string | boolean | null): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return `'${v.replaceAll("'", "''")}'`;
  return String(v);
}

/** "a", "a or b", "a, b or c". */
function list(items: Piece[][], conjunction: string): Piece[] {
  const out: Piece[] = [];
  items.forEach((item, i) => {
    if (i > 0) out.push(i === items.length - 1 && conjunction ? ` ${conjunction} ` : ', ');
    out.push(...item);
  });
  return out;
}

function ordinal(n: number): string {
  const r = Math.round(n * 1000) / 1000;
  if (!Number.isInteger(r)) return `${r}th`;
  const tens = r % 100;
  if (tens >= 11 && tens <= 13) return `${r}th`;
  const suffix: Record<number, string> = { 1: 'st', 2: 'nd', 3: 'rd' };
  return `${r}${suffix[r % 10] ?? 'th'}`;
}

/** Adjacent strings joined, so a renderer sees few, whole pieces. */
function merge(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (typeof p === 'string' && typeof last === 'string') out[out.length - 1] = last + p;
    else out.push(p);
  }
  return out;
}

/** `1 year before`, `at the start of the month` (shifts read outermost last). */
function shiftWords(x: Shift): string {
  switch (x.kind) {
    case 'periods':
      return x.n === 1 ? 'in the previous period' : `${x.n} periods before`;
    case 'interval':
      return `${x.count === 1 ? `1 ${x.unit}` : `${x.count} ${x.unit}s`} before`;
    case 'start_of':
      return `at the start of the ${x.grain}`;
    default: {
      const never: never = x;
      return never;
    }
  }
}
