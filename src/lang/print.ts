// The canonical text of an expression: keywords in lower case, one space around binary operators,
// and parentheses only where precedence needs them. parseFormula(printExpr(e)) gives back `e`
// (apart from spans). Used for docs, messages and tests.

import type { BinaryOp, Expr, OverClause } from './ast.js';

/** Binding strength, loosest first; see the precedence table in docs/language.md. */
const Level = {
  Or: 1,
  And: 2,
  Not: 3,
  Comparison: 4,
  Additive: 5,
  Multiplicative: 6,
  Negation: 7,
  Primary: 8,
} as const;
type Level = number;

function binaryLevel(op: BinaryOp): Level {
  switch (op) {
    case 'or':
      return Level.Or;
    case 'and':
      return Level.And;
    case '=':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return Level.Comparison;
    case '+':
    case '-':
      return Level.Additive;
    case '*':
    case '/':
      return Level.Multiplicative;
    default: {
      const never: never = op;
      return never;
    }
  }
}

function levelOf(e: Expr): Level {
  switch (e.kind) {
    case 'binary':
      return binaryLevel(e.op);
    case 'unary':
      return e.op === 'not' ? Level.Not : Level.Negation;
    case 'in':
    case 'is_null':
      return Level.Comparison;
    default:
      return Level.Primary;
  }
}

/** `e` printed, in parentheses unless it binds at least as tightly as `min`. */
function operand(e: Expr, min: Level): string {
  const text = printExpr(e);
  return levelOf(e) >= min ? text : `(${text})`;
}

export function quoteString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function printExpr(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return e.text;
    case 'string':
      return quoteString(e.value);
    case 'boolean':
      return e.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'name':
      return e.name;
    case 'qualified':
      return `${e.table}.${e.column}`;
    case 'unary': {
      if (e.op === 'not') return `not ${operand(e.operand, Level.Not)}`;
      const inner = operand(e.operand, Level.Negation);
      // `--` starts a comment, so a double negation keeps a space.
      return inner.startsWith('-') ? `- ${inner}` : `-${inner}`;
    }
    case 'binary': {
      const level = binaryLevel(e.op);
      // Left-associative: the left side may be the same level, the right must bind tighter.
      // Comparisons do not associate at all, so both sides must bind tighter.
      const leftMin = level === Level.Comparison ? level + 1 : level;
      return `${operand(e.left, leftMin)} ${e.op} ${operand(e.right, level + 1)}`;
    }
    case 'in':
      return `${operand(e.operand, Level.Additive)} ${e.negated ? 'not in' : 'in'} [${e.values.map(printExpr).join(', ')}]`;
    case 'is_null':
      return `${operand(e.operand, Level.Additive)} is ${e.negated ? 'not null' : 'null'}`;
    case 'interval':
      return printInterval(e.count, e.unit);
    case 'call':
      return `${e.name}(${e.args.map(printExpr).join(', ')})`;
    case 'case': {
      const whens = e.whens.map((w) => `when ${printExpr(w.when)} then ${printExpr(w.then)}`);
      const otherwise = e.else ? [`else ${printExpr(e.else)}`] : [];
      return ['case', ...whens, ...otherwise, 'end'].join(' ');
    }
    case 'aggregate': {
      const parts = [
        e.args.map(printExpr).join(', '),
        e.where ? `where ${printExpr(e.where)}` : '',
        e.on ? `on ${e.on.column}` : '',
        e.at ? (e.at.edge === 'during' ? 'during' : `at ${e.at.edge}${e.at.per ? ` per ${e.at.per.column}` : ''}`) : '',
        e.over ? printOver(e.over) : '',
      ].filter((p) => p !== '');
      return `${e.table}.${e.fn}(${parts.join(' ')})`;
    }
    default: {
      const never: never = e;
      return never;
    }
  }
}

export function printInterval(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

export function printOver(o: OverClause): string {
  switch (o.kind) {
    case 'interval':
      return `over ${printInterval(o.count, o.unit)}`;
    case 'to_date':
      return `over ${o.grain} to date`;
    case 'all':
      return 'over all time';
    default: {
      const never: never = o;
      return never;
    }
  }
}
