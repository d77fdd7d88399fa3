// Test helpers: a compact S-expression view of an AST (kinds, operators and values at a glance)
// and an AST without its spans, for comparisons "modulo spans".

import { plainOrigin, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { Expr } from '../../src/lang/ast.js';
import { parseFormula } from '../../src/lang/parse.js';

export function parse(text: string) {
  return parseFormula(text, plainOrigin('kpis/x.yaml', text));
}

/** The AST of a formula that must parse without diagnostics. */
export function parseOk(text: string): Expr {
  const r = parse(text);
  if (r.diagnostics.length > 0 || r.value === null) {
    throw new Error(`'${text}' did not parse: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  }
  return r.value;
}

export function sexpr(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return e.text;
    case 'string':
      return `'${e.value}'`;
    case 'boolean':
      return String(e.value);
    case 'null':
      return 'null';
    case 'interval':
      return `(interval ${e.count} ${e.unit})`;
    case 'name':
      return e.name;
    case 'qualified':
      return `${e.table}.${e.column}`;
    case 'unary':
      return `(${e.op === '-' ? 'neg' : 'not'} ${sexpr(e.operand)})`;
    case 'binary':
      return `(${e.op} ${sexpr(e.left)} ${sexpr(e.right)})`;
    case 'in':
      return `(${e.negated ? 'not-in' : 'in'} ${sexpr(e.operand)} [${e.values.map(sexpr).join(' ')}])`;
    case 'is_null':
      return `(${e.negated ? 'is-not-null' : 'is-null'} ${sexpr(e.operand)})`;
    case 'call':
      return `(${[`call ${e.name}`, ...e.args.map(sexpr)].join(' ')})`;
    case 'case':
      return `(case ${e.whens.map((w) => `(when ${sexpr(w.when)} ${sexpr(w.then)})`).join(' ')}${e.else ? ` (else ${sexpr(e.else)})` : ''})`;
    case 'aggregate': {
      const parts = [`agg ${e.table}.${e.fn}`, ...e.args.map(sexpr)];
      if (e.where) parts.push(`where: ${sexpr(e.where)}`);
      if (e.on) parts.push(`on: ${e.on.column}`);
      if (e.at) parts.push(`at: ${e.at.edge}${e.at.per ? ` per ${e.at.per.column}` : ''}`);
      if (e.over) parts.push(`over: ${e.over.kind === 'interval' ? `${e.over.count} ${e.over.unit}` : e.over.kind === 'to_date' ? `${e.over.grain} to date` : 'all time'}`);
      return `(${parts.join(' ')})`;
    }
  }
}

/** A deep copy without span fields. */
export function withoutSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSpans);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== 'span' && !k.endsWith('Span'))
        .map(([k, v]) => [k, withoutSpans(v)]),
    );
  }
  return value;
}

/** code line:column/length, the way tests compare diagnostics. */
export function brief(d: Diagnostic): string {
  return `${d.code} ${d.span?.line}:${d.span?.column}/${d.span?.length}`;
}
