// SQL expressions of a semantic layer project (a measure's or a dimension's `expr`, a filter, a
// derived metric's `expr`) translated into the formula language: columns, literals, arithmetic,
// comparisons, `and`/`or`/`not`, `case when`, `coalesce`, `nullif`, casts, `is null`, `in (...)`,
// `between`. Anything else is an error that names the construct and its place in the text.

import type { Unit } from '../../check/units.js';
import { DIMENSIONLESS, divideUnits, multiplyUnits, sameUnit } from '../../check/units.js';
import { keywords } from '../../lang/tokens.js';

export type SqlType = 'number' | 'string' | 'boolean' | 'date' | 'timestamp' | 'null' | 'unknown';

/** Binding strength of formula-language text, loosest first (docs/language.md). */
export const Prec = { Or: 1, And: 2, Not: 3, Compare: 4, Add: 5, Mul: 6, Neg: 7, Atom: 8 } as const;

/** A translated expression: formula-language text, how tightly it binds, its type and unit. */
export interface Formula {
  text: string;
  prec: number;
  type: SqlType;
  /** null: a number written out, which takes the unit of what it meets. */
  unit: Unit | null;
  /** The column it is, when it is a bare column whose type is not known yet. */
  column?: string;
}

export interface SqlSpan {
  start: number;
  end: number;
}

/** Why a piece of SQL cannot be translated, where in its text, and the diagnostic code to give. */
export class SqlError extends Error {
  constructor(
    message: string,
    readonly span: SqlSpan,
    readonly hint?: string,
    readonly code: string = 'KPI0707',
  ) {
    super(message);
  }
}

/** What names in the SQL mean: columns, a derived metric's inputs, a filter's templates. */
export interface Resolver {
  /** `col`, `"col"`, `t.col`; throws SqlError when the name means nothing here. */
  name(parts: string[], span: SqlSpan): Formula;
  /** `{{ Dimension('x') }}` and the like, in filters; `body` is the text between the braces. */
  template?(body: string, span: SqlSpan): Formula;
  /** A column whose type was unknown is used as `type`. */
  hint?(column: string, type: SqlType): void;
  /** A comparison of a template with a literal (time dimensions at a grain rewrite it). */
  compare?(op: CompareOp, left: SqlNode, right: SqlNode, span: SqlSpan): Formula | null;
}

export interface TranslateOptions {
  /** `date_trunc('day', ts)`, `cast(ts as date)` and `ts::date` stand for `ts` (time dimensions). */
  truncation?: boolean;
}

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

// ---- tokens ------------------------------------------------------------------------------------

type TokKind = 'num' | 'str' | 'ident' | 'qident' | 'op' | 'tpl' | 'end';
interface Tok {
  kind: TokKind;
  text: string;
  start: number;
  end: number;
}

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (src.startsWith('--', i)) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (src.startsWith('/*', i)) {
      const close = src.indexOf('*/', i + 2);
      if (close < 0) throw new SqlError('this comment is not closed', { start: i, end: i + 2 });
      i = close + 2;
      continue;
    }
    if (src.startsWith('{{', i)) {
      const close = src.indexOf('}}', i + 2);
      if (close < 0) throw new SqlError("this template has no closing '}}'", { start: i, end: i + 2 });
      out.push({ kind: 'tpl', text: src.slice(i + 2, close), start: i, end: close + 2 });
      i = close + 2;
      continue;
    }
    if (src.startsWith('{%', i) || src.startsWith('{#', i)) throw new SqlError('Jinja statements and comments cannot be translated', { start: i, end: i + 2 });
    const num = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i));
    if (num) {
      out.push({ kind: 'num', text: num[0], start: i, end: i + num[0].length });
      i += num[0].length;
      continue;
    }
    if (c === "'") {
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= src.length) throw new SqlError('this string has no closing quote', { start: i, end: i + 1 });
        if (src[j] === "'") {
          if (src[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += src[j++];
      }
      out.push({ kind: 'str', text: value, start: i, end: j + 1 });
      i = j + 1;
      continue;
    }
    if (c === '"' || c === '`') {
      const close = src.indexOf(c, i + 1);
      if (close < 0) throw new SqlError('this quoted name has no closing quote', { start: i, end: i + 1 });
      out.push({ kind: 'qident', text: src.slice(i + 1, close), start: i, end: close + 1 });
      i = close + 1;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(src.slice(i));
    if (ident) {
      out.push({ kind: 'ident', text: ident[0], start: i, end: i + ident[0].length });
      i += ident[0].length;
      continue;
    }
    const op = ['<=', '>=', '<>', '!=', '::', '||', '==', '=', '<', '>', '+', '-', '*', '/', '%', '(', ')', ',', '.', '[', ']'].find((o) => src.startsWith(o, i));
    if (!op) throw new SqlError(`the character '${c}' cannot be translated`, { start: i, end: i + 1 });
    out.push({ kind: 'op', text: op, start: i, end: i + op.length });
    i += op.length;
  }
  out.push({ kind: 'end', text: '', start: src.length, end: src.length });
  return out;
}

// ---- SQL syntax tree -----------------------------------------------------------------------

export type SqlNode = SqlSpan &
  (
    | { k: 'num'; text: string }
    | { k: 'str'; value: string }
    | { k: 'bool'; value: boolean }
    | { k: 'null' }
    | { k: 'name'; parts: string[] }
    | { k: 'tpl'; body: string }
    | { k: 'unary'; op: '-' | '+' | 'not'; x: SqlNode }
    | { k: 'bin'; op: string; l: SqlNode; r: SqlNode }
    | { k: 'is'; x: SqlNode; what: 'null' | 'true' | 'false'; not: boolean }
    | { k: 'in'; x: SqlNode; list: SqlNode[]; not: boolean }
    | { k: 'between'; x: SqlNode; lo: SqlNode; hi: SqlNode; not: boolean }
    | { k: 'like'; x: SqlNode; op: string }
    | { k: 'case'; operand: SqlNode | null; whens: { when: SqlNode; then: SqlNode }[]; else: SqlNode | null }
    | { k: 'call'; name: string; args: SqlNode[]; star: boolean; nameSpan: SqlSpan }
    | { k: 'cast'; x: SqlNode; type: string }
  );

function unsupported(what: string, start: number, end: number): SqlError {
  return new SqlError(`${what} cannot be translated into the formula language`, { start, end });
}

const RESERVED_SQL = new Set(['and', 'or', 'not', 'is', 'in', 'between', 'like', 'ilike', 'case', 'when', 'then', 'else', 'end', 'as', 'from', 'select', 'null', 'true', 'false']);

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(o = 0): Tok {
    return this.toks[Math.min(this.i + o, this.toks.length - 1)];
  }
  private isWord(w: string, o = 0): boolean {
    const t = this.peek(o);
    return t.kind === 'ident' && t.text.toLowerCase() === w;
  }
  private isOp(op: string, o = 0): boolean {
    const t = this.peek(o);
    return t.kind === 'op' && t.text === op;
  }
  private next(): Tok {
    return this.toks[this.i++];
  }
  private expectOp(op: string): Tok {
    if (!this.isOp(op)) throw this.unexpected(`'${op}'`);
    return this.next();
  }
  private expectWord(w: string): Tok {
    if (!this.isWord(w)) throw this.unexpected(`'${w.toUpperCase()}'`);
    return this.next();
  }
  private unexpected(what: string): SqlError {
    const t = this.peek();
    return new SqlError(t.kind === 'end' ? `expected ${what}, but the expression ends here` : `expected ${what}, found '${t.kind === 'str' ? `'${t.text}'` : t.text}'`, { start: t.start, end: Math.max(t.end, t.start + 1) });
  }

  parseAll(): SqlNode {
    const e = this.or();
    if (this.peek().kind !== 'end') throw this.unexpected('an operator or the end of the expression');
    return e;
  }

  private or(): SqlNode {
    let l = this.and();
    while (this.isWord('or')) {
      this.next();
      const r = this.and();
      l = { k: 'bin', op: 'or', l, r, start: l.start, end: r.end };
    }
    return l;
  }
  private and(): SqlNode {
    let l = this.not();
    while (this.isWord('and')) {
      this.next();
      const r = this.not();
      l = { k: 'bin', op: 'and', l, r, start: l.start, end: r.end };
    }
    return l;
  }
  private not(): SqlNode {
    if (this.isWord('not')) {
      const t = this.next();
      const x = this.not();
      return { k: 'unary', op: 'not', x, start: t.start, end: x.end };
    }
    return this.predicate();
  }
  private predicate(): SqlNode {
    const x = this.additive();
    const t = this.peek();
    if (t.kind === 'op' && ['=', '==', '<>', '!=', '<', '<=', '>', '>='].includes(t.text)) {
      this.next();
      const r = this.additive();
      const op = t.text === '<>' ? '!=' : t.text === '==' ? '=' : t.text;
      return { k: 'bin', op, l: x, r, start: x.start, end: r.end };
    }
    if (this.isWord('is')) {
      this.next();
      const not = this.isWord('not') ? (this.next(), true) : false;
      const w = this.peek();
      const what = w.kind === 'ident' ? w.text.toLowerCase() : '';
      if (what === 'null' || what === 'true' || what === 'false') {
        this.next();
        return { k: 'is', x, what, not, start: x.start, end: w.end };
      }
      if (what === 'distinct') throw unsupported("'is distinct from'", t.start, w.end);
      throw this.unexpected("NULL, TRUE or FALSE after 'IS'");
    }
    const negated = this.isWord('not') && (this.isWord('in', 1) || this.isWord('between', 1) || this.isWord('like', 1) || this.isWord('ilike', 1));
    if (negated) this.next();
    if (this.isWord('in')) {
      this.next();
      this.expectOp('(');
      if (this.isWord('select')) throw unsupported('a subquery', t.start, this.peek().end);
      const list = [this.or()];
      while (this.isOp(',')) {
        this.next();
        list.push(this.or());
      }
      const close = this.expectOp(')');
      return { k: 'in', x, list, not: negated, start: x.start, end: close.end };
    }
    if (this.isWord('between')) {
      this.next();
      const lo = this.additive();
      this.expectWord('and');
      const hi = this.additive();
      return { k: 'between', x, lo, hi, not: negated, start: x.start, end: hi.end };
    }
    if (this.isWord('like') || this.isWord('ilike')) {
      const op = this.next().text.toUpperCase();
      const r = this.additive();
      return { k: 'like', x, op: negated ? `NOT ${op}` : op, start: t.start, end: r.end };
    }
    return x;
  }
  private additive(): SqlNode {
    let l = this.multiplicative();
    while (this.isOp('+') || this.isOp('-') || this.isOp('||')) {
      const op = this.next().text;
      const r = this.multiplicative();
      l = { k: 'bin', op, l, r, start: l.start, end: r.end };
    }
    return l;
  }
  private multiplicative(): SqlNode {
    let l = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = this.next().text;
      const r = this.unary();
      l = { k: 'bin', op, l, r, start: l.start, end: r.end };
    }
    return l;
  }
  private unary(): SqlNode {
    if (this.isOp('-') || this.isOp('+')) {
      const t = this.next();
      const x = this.unary();
      return { k: 'unary', op: t.text as '-' | '+', x, start: t.start, end: x.end };
    }
    let x = this.primary();
    while (this.isOp('::')) {
      this.next();
      const type = this.typeName();
      x = { k: 'cast', x, type: type.text, start: x.start, end: type.end };
    }
    return x;
  }
  private typeName(): { text: string; end: number } {
    const first = this.peek();
    if (first.kind !== 'ident') throw this.unexpected('a type name');
    const words = [this.next()];
    // Types of more than one word: double precision, character varying, timestamp with time zone.
    while (this.peek().kind === 'ident' && ['precision', 'varying', 'with', 'without', 'time', 'zone'].includes(this.peek().text.toLowerCase())) words.push(this.next());
    let end = words[words.length - 1].end;
    if (this.isOp('(')) {
      this.next();
      while (!this.isOp(')') && this.peek().kind !== 'end') this.next();
      end = this.expectOp(')').end;
    }
    return { text: words.map((w) => w.text.toLowerCase()).join(' '), end };
  }
  private primary(): SqlNode {
    const t = this.peek();
    switch (t.kind) {
      case 'num':
        this.next();
        return { k: 'num', text: t.text, start: t.start, end: t.end };
      case 'str':
        this.next();
        return { k: 'str', value: t.text, start: t.start, end: t.end };
      case 'tpl':
        this.next();
        return { k: 'tpl', body: t.text, start: t.start, end: t.end };
      case 'qident':
        return this.nameOrCall();
      case 'ident':
        break;
      case 'op':
        if (t.text === '(') {
          this.next();
          if (this.isWord('select')) throw unsupported('a subquery', t.start, this.peek().end);
          const e = this.or();
          const close = this.expectOp(')');
          return { ...e, start: t.start, end: close.end };
        }
        throw this.unexpected('a value, a column or a function');
      case 'end':
        throw this.unexpected('a value, a column or a function');
    }
    const w = t.text.toLowerCase();
    if (w === 'null') return (this.next(), { k: 'null', start: t.start, end: t.end });
    if (w === 'true' || w === 'false') return (this.next(), { k: 'bool', value: w === 'true', start: t.start, end: t.end });
    if (w === 'case') return this.caseExpr();
    if ((w === 'cast' || w === 'try_cast' || w === 'safe_cast') && this.isOp('(', 1)) {
      this.next();
      this.next();
      const x = this.or();
      this.expectWord('as');
      const type = this.typeName();
      const close = this.expectOp(')');
      return { k: 'cast', x, type: type.text, start: t.start, end: close.end };
    }
    if (w === 'interval') throw unsupported('an interval', t.start, this.peek(1).end);
    if ((w === 'date' || w === 'timestamp') && this.peek(1).kind === 'str') {
      this.next();
      const s = this.next();
      return { k: 'cast', x: { k: 'str', value: s.text, start: s.start, end: s.end }, type: w, start: t.start, end: s.end };
    }
    if (w === 'exists' || w === 'select') throw unsupported('a subquery', t.start, t.end);
    if (RESERVED_SQL.has(w)) throw this.unexpected('a value, a column or a function');
    return this.nameOrCall();
  }
  private nameOrCall(): SqlNode {
    const first = this.next();
    const parts = [first.kind === 'qident' ? first.text : first.text.toLowerCase()];
    let end = first.end;
    while (this.isOp('.')) {
      this.next();
      const p = this.next();
      if (p.kind !== 'ident' && p.kind !== 'qident') throw new SqlError("expected a name after '.'", { start: p.start, end: Math.max(p.end, p.start + 1) });
      parts.push(p.kind === 'qident' ? p.text : p.text.toLowerCase());
      end = p.end;
    }
    if (this.isOp('(')) {
      this.next();
      const args: SqlNode[] = [];
      let star = false;
      if (this.isOp('*')) {
        this.next();
        star = true;
      } else if (!this.isOp(')')) {
        if (this.isWord('distinct')) throw unsupported(`${parts.join('.').toUpperCase()}(DISTINCT ...)`, first.start, this.peek().end);
        args.push(this.or());
        while (this.isOp(',')) {
          this.next();
          args.push(this.or());
        }
      }
      const close = this.expectOp(')');
      if (this.isWord('over')) throw unsupported('a window function (OVER ...)', first.start, this.peek().end);
      return { k: 'call', name: parts.join('.').toLowerCase(), args, star, nameSpan: { start: first.start, end }, start: first.start, end: close.end };
    }
    return { k: 'name', parts, start: first.start, end };
  }
  private caseExpr(): SqlNode {
    const start = this.next().start;
    const operand = this.isWord('when') ? null : this.or();
    const whens: { when: SqlNode; then: SqlNode }[] = [];
    while (this.isWord('when')) {
      this.next();
      const when = this.or();
      this.expectWord('then');
      whens.push({ when, then: this.or() });
    }
    if (whens.length === 0) throw this.unexpected("'WHEN'");
    let otherwise: SqlNode | null = null;
    if (this.isWord('else')) {
      this.next();
      otherwise = this.or();
    }
    const end = this.expectWord('end').end;
    return { k: 'case', operand, whens, else: otherwise, start, end };
  }
}

export function parseSql(text: string): SqlNode {
  return new Parser(tokenize(text)).parseAll();
}

// ---- translation -----------------------------------------------------------------------------

const NUMERIC_TYPES = /^(int|integer|bigint|smallint|tinyint|hugeint|int2|int4|int8|int64|byteint|decimal|numeric|number|float|float4|float8|float64|double|double precision|real)$/;
const INTEGER_TYPES = /^(int|integer|bigint|smallint|tinyint|hugeint|int2|int4|int8|int64|byteint)$/;
const STRING_TYPES = /^(varchar|text|string|char|character|character varying|nvarchar)$/;
const TIME_TYPES = /^(date|timestamp|datetime|timestamp_ntz|timestamp_tz|timestamp_ltz|timestamptz|timestamp with time zone|timestamp without time zone)$/;
const BOOLEAN_TYPES = /^(bool|boolean)$/;

/** A name the formula language can hold as it stands: lower case, not a keyword. */
export function isFormulaName(name: string): boolean {
  return /^[a-z][a-z0-9_]*$/.test(name) && !keywords.includes(name);
}

export function paren(f: { text: string; prec: number }, min: number): string {
  return f.prec < min ? `(${f.text})` : f.text;
}

export function translateSql(text: string, resolver: Resolver, options: TranslateOptions = {}): Formula {
  return new Translator(resolver, options).expr(parseSql(text));
}

/** Translates an already parsed node (filters rewrite some nodes before translating). */
export function translateNode(node: SqlNode, resolver: Resolver, options: TranslateOptions = {}): Formula {
  return new Translator(resolver, options).expr(node);
}

function numberText(t: string): string {
  let s = t;
  if (s.startsWith('.')) s = `0${s}`;
  s = s.replace(/\.(?=[eE]|$)/, '');
  return s;
}

class Translator {
  constructor(
    readonly resolver: Resolver,
    readonly options: TranslateOptions,
  ) {}

  /** `f` used as a value of type `type`: a column of unknown type learns it; another type is an error. */
  expect(f: Formula, type: SqlType, node: SqlNode, what: string): Formula {
    if (f.type === 'unknown') {
      if (f.column) this.resolver.hint?.(f.column, type);
      return { ...f, type, unit: type === 'number' ? (f.unit ?? DIMENSIONLESS) : f.unit };
    }
    if (f.type === type || f.type === 'null') return f;
    if ((type === 'date' || type === 'timestamp') && (f.type === 'date' || f.type === 'timestamp')) return f;
    throw new SqlError(`${what} needs ${article(type)}, but this is ${article(f.type)}`, node);
  }

  expr(n: SqlNode): Formula {
    switch (n.k) {
      case 'num':
        return { text: numberText(n.text), prec: Prec.Atom, type: 'number', unit: null };
      case 'str':
        if (/[\n\r]/.test(n.value)) throw new SqlError('a string that spans lines cannot be translated', n);
        return { text: `'${n.value.replace(/'/g, "''")}'`, prec: Prec.Atom, type: 'string', unit: DIMENSIONLESS };
      case 'bool':
        return { text: String(n.value), prec: Prec.Atom, type: 'boolean', unit: DIMENSIONLESS };
      case 'null':
        return { text: 'null', prec: Prec.Atom, type: 'null', unit: null };
      case 'name':
        return this.resolver.name(n.parts, n);
      case 'tpl':
        if (!this.resolver.template) throw new SqlError('a Jinja template cannot be translated here', n);
        return this.resolver.template(n.body, n);
      case 'unary': {
        const x = this.expr(n.x);
        if (n.op === 'not') {
          const b = this.expect(x, 'boolean', n.x, "'NOT'");
          return { text: `not ${paren(b, Prec.Not)}`, prec: Prec.Not, type: 'boolean', unit: DIMENSIONLESS };
        }
        const v = this.expect(x, 'number', n.x, `'${n.op}'`);
        if (n.op === '+') return v;
        const inner = paren(v, Prec.Neg);
        return { text: inner.startsWith('-') ? `-(${inner})` : `-${inner}`, prec: Prec.Neg, type: 'number', unit: v.unit };
      }
      case 'bin':
        return this.binary(n as Extract<SqlNode, { k: 'bin' }>);
      case 'is': {
        const x = this.expr(n.x);
        if (n.what === 'null') return { text: `${paren(x, Prec.Add)} is ${n.not ? 'not ' : ''}null`, prec: Prec.Compare, type: 'boolean', unit: DIMENSIONLESS };
        // `x IS TRUE` is false (not null) when x is null.
        const b = this.expect(x, 'boolean', n.x, `'IS ${n.what.toUpperCase()}'`);
        const test = n.what === 'true' ? `coalesce(${b.text}, false)` : `coalesce(${paren(b, Prec.Add)} = false, false)`;
        return n.not ? { text: `not ${test}`, prec: Prec.Not, type: 'boolean', unit: DIMENSIONLESS } : { text: test, prec: Prec.Atom, type: 'boolean', unit: DIMENSIONLESS };
      }
      case 'in': {
        let x = this.expr(n.x);
        const values = n.list.map((v) => {
          if (v.k !== 'num' && v.k !== 'str' && v.k !== 'bool' && !(v.k === 'unary' && v.op === '-' && v.x.k === 'num')) {
            throw new SqlError('the list after IN must hold values written out', v);
          }
          return this.expr(v);
        });
        const known = values.find((v) => v.type !== 'null');
        if (known) x = this.expect(x, known.type, n.x, "'IN'");
        return { text: `${paren(x, Prec.Add)} ${n.not ? 'not ' : ''}in [${values.map((v) => v.text).join(', ')}]`, prec: Prec.Compare, type: 'boolean', unit: DIMENSIONLESS };
      }
      case 'between': {
        const ge = this.compare('>=', n.x, n.lo, n);
        const le = this.compare('<=', n.x, n.hi, n);
        const both = `${paren(ge, Prec.And)} and ${paren(le, Prec.Not)}`;
        return n.not ? { text: `not (${both})`, prec: Prec.Not, type: 'boolean', unit: DIMENSIONLESS } : { text: both, prec: Prec.And, type: 'boolean', unit: DIMENSIONLESS };
      }
      case 'like':
        throw new SqlError(`'${n.op}' (pattern matching) has no equivalent in the formula language`, n, 'compare with whole values, or list them with IN (...)');
      case 'case':
        return this.caseExpr(n as Extract<SqlNode, { k: 'case' }>);
      case 'call':
        return this.call(n as Extract<SqlNode, { k: 'call' }>);
      case 'cast':
        return this.cast(n as Extract<SqlNode, { k: 'cast' }>);
      default: {
        const never: never = n;
        return never;
      }
    }
  }

  binary(n: Extract<SqlNode, { k: 'bin' }>): Formula {
    if (n.op === 'and' || n.op === 'or') {
      const l = this.expect(this.expr(n.l), 'boolean', n.l, `'${n.op.toUpperCase()}'`);
      const r = this.expect(this.expr(n.r), 'boolean', n.r, `'${n.op.toUpperCase()}'`);
      const p = n.op === 'and' ? Prec.And : Prec.Or;
      return { text: `${paren(l, p)} ${n.op} ${paren(r, p + 1)}`, prec: p, type: 'boolean', unit: DIMENSIONLESS };
    }
    if (n.op === '||') throw new SqlError("'||' (joining text) has no equivalent in the formula language", n);
    if (n.op === '%') throw new SqlError("'%' (the remainder of a division) has no equivalent in the formula language", n);
    if (['=', '!=', '<', '<=', '>', '>='].includes(n.op)) return this.compare(n.op as CompareOp, n.l, n.r, n);
    const l = this.expect(this.expr(n.l), 'number', n.l, `'${n.op}'`);
    const r = this.expect(this.expr(n.r), 'number', n.r, `'${n.op}'`);
    const p = n.op === '+' || n.op === '-' ? Prec.Add : Prec.Mul;
    let unit: Unit | null;
    if (n.op === '+' || n.op === '-') unit = l.unit === null ? r.unit : r.unit === null || sameUnit(l.unit, r.unit) ? l.unit : l.unit;
    else if (l.unit === null && r.unit === null) unit = null;
    else unit = n.op === '*' ? multiplyUnits(l.unit ?? DIMENSIONLESS, r.unit ?? DIMENSIONLESS) : divideUnits(l.unit ?? DIMENSIONLESS, r.unit ?? DIMENSIONLESS);
    const rightText = paren(r, p + 1);
    return { text: `${paren(l, p)} ${n.op} ${rightText}`, prec: p, type: 'number', unit };
  }

  compare(op: CompareOp, ln: SqlNode, rn: SqlNode, whole: SqlSpan): Formula {
    const special = this.resolver.compare?.(op, ln, rn, whole);
    if (special) return special;
    let l = this.expr(ln);
    let r = this.expr(rn);
    if (l.type === 'null' || r.type === 'null') throw new SqlError('a comparison with NULL is never true', whole, 'write IS NULL or IS NOT NULL');
    const temporal = (t: SqlType) => t === 'date' || t === 'timestamp';
    if (l.type === 'unknown' && r.type !== 'unknown') l = this.expect(l, r.type === 'string' && r.prec === Prec.Atom && isTimeLiteral(r.text) ? 'unknown' : r.type, ln, 'this comparison');
    if (r.type === 'unknown' && l.type !== 'unknown') r = this.expect(r, l.type === 'string' && isTimeLiteral(l.text) ? 'unknown' : l.type, rn, 'this comparison');
    const comparable = l.type === r.type || l.type === 'unknown' || r.type === 'unknown' || (temporal(l.type) && (temporal(r.type) || (r.type === 'string' && isTimeLiteral(r.text)))) || (temporal(r.type) && l.type === 'string' && isTimeLiteral(l.text));
    if (!comparable) throw new SqlError(`cannot compare ${article(l.type)} with ${article(r.type)}`, whole);
    return { text: `${paren(l, Prec.Add)} ${op} ${paren(r, Prec.Add)}`, prec: Prec.Compare, type: 'boolean', unit: DIMENSIONLESS };
  }

  caseExpr(n: Extract<SqlNode, { k: 'case' }>): Formula {
    const operand = n.operand ? this.expr(n.operand) : null;
    const whens = n.whens.map((w) => {
      const cond = operand ? this.compare('=', n.operand!, w.when, w.when) : this.expect(this.expr(w.when), 'boolean', w.when, "'WHEN'");
      return { cond, then: this.expr(w.then) };
    });
    const otherwise = n.else ? this.expr(n.else) : null;
    const branches = [...whens.map((w) => w.then), ...(otherwise ? [otherwise] : [])];
    const { type, unit } = this.merge(branches, [...n.whens.map((w) => w.then), ...(n.else ? [n.else] : [])], "the branches of 'CASE'");
    const text = `case ${whens.map((w) => `when ${w.cond.text} then ${w.then.text}`).join(' ')}${otherwise ? ` else ${otherwise.text}` : ''} end`;
    return { text, prec: Prec.Atom, type, unit };
  }

  /** One type (and unit) for branches; columns of unknown type take the type of the others. */
  merge(branches: Formula[], nodes: SqlNode[], what: string): { type: SqlType; unit: Unit | null } {
    const known = branches.find((b) => b.type !== 'null' && b.type !== 'unknown');
    const type: SqlType = known?.type ?? (branches.some((b) => b.type === 'unknown') ? 'unknown' : 'null');
    let unit: Unit | null = null;
    branches.forEach((b, i) => {
      const t = type === 'unknown' ? b : this.expect(b, type, nodes[i], what);
      if (type === 'number' && t.unit !== null) unit = unit ?? t.unit;
    });
    return { type, unit: type === 'number' ? unit : DIMENSIONLESS };
  }

  call(n: Extract<SqlNode, { k: 'call' }>): Formula {
    const name = n.name;
    const args = () => n.args.map((a) => this.expr(a));
    const arity = (min: number, max: number) => {
      if (n.args.length < min || n.args.length > max) throw new SqlError(`${name.toUpperCase()} takes ${min === max ? min : `${min} to ${max}`} arguments here, not ${n.args.length}`, n);
    };
    switch (name) {
      case 'coalesce':
      case 'ifnull':
      case 'nvl': {
        arity(1, 16);
        const xs = args();
        const { type, unit } = this.merge(xs, n.args, `the arguments of ${name.toUpperCase()}`);
        if (xs.length === 1) return xs[0];
        return { text: `coalesce(${xs.map((x) => x.text).join(', ')})`, prec: Prec.Atom, type, unit };
      }
      case 'nullif': {
        arity(2, 2);
        const cond = this.compare('=', n.args[0], n.args[1], n);
        const x = this.expr(n.args[0]);
        return { text: `if(${cond.text}, null, ${x.text})`, prec: Prec.Atom, type: x.type, unit: x.unit };
      }
      case 'if':
      case 'iff': {
        arity(3, 3);
        const c = this.expect(this.expr(n.args[0]), 'boolean', n.args[0], `${name.toUpperCase()}`);
        const a = this.expr(n.args[1]);
        const b = this.expr(n.args[2]);
        const { type, unit } = this.merge([a, b], [n.args[1], n.args[2]], `the branches of ${name.toUpperCase()}`);
        return { text: `if(${c.text}, ${a.text}, ${b.text})`, prec: Prec.Atom, type, unit };
      }
      case 'abs': {
        arity(1, 1);
        const x = this.expect(this.expr(n.args[0]), 'number', n.args[0], 'ABS');
        return { text: `abs(${x.text})`, prec: Prec.Atom, type: 'number', unit: x.unit };
      }
      case 'round': {
        arity(1, 2);
        const x = this.expect(this.expr(n.args[0]), 'number', n.args[0], 'ROUND');
        if (n.args.length === 2 && !(n.args[1].k === 'num' && /^\d+$/.test(n.args[1].text))) throw new SqlError('the digits of ROUND must be a whole number written out', n.args[1]);
        return { text: `round(${x.text}${n.args.length === 2 ? `, ${(n.args[1] as { text: string }).text}` : ''})`, prec: Prec.Atom, type: 'number', unit: x.unit };
      }
      case 'greatest':
      case 'least': {
        arity(2, 16);
        const xs = args().map((x, i) => this.expect(x, 'number', n.args[i], name.toUpperCase()));
        const { unit } = this.merge(xs, n.args, `the arguments of ${name.toUpperCase()}`);
        return { text: `${name}(${xs.map((x) => x.text).join(', ')})`, prec: Prec.Atom, type: 'number', unit };
      }
      case 'date_trunc':
      case 'datetime_trunc':
      case 'timestamp_trunc': {
        arity(2, 2);
        if (!this.options.truncation) throw new SqlError(`${name.toUpperCase()} cannot be translated here: the formula language puts rows into periods by the query's grain`, n, 'use the column itself');
        const col = n.args.find((a) => a.k !== 'str' && !(a.k === 'name' && /^(day|week|month|quarter|year|hour|minute|second)$/.test(a.parts.join('.'))));
        if (!col) throw new SqlError(`${name.toUpperCase()} needs a column`, n);
        return this.expect(this.expr(col), 'timestamp', col, name.toUpperCase());
      }
      default:
        throw new SqlError(`the SQL function ${name.toUpperCase()}${n.star ? '(*)' : '()'} has no equivalent in the formula language`, n.nameSpan, isAggregate(name) ? 'a measure aggregates with its agg; its expr is a row-level expression' : undefined);
    }
  }

  cast(n: Extract<SqlNode, { k: 'cast' }>): Formula {
    const x = this.expr(n.x);
    const t = n.type;
    if (NUMERIC_TYPES.test(t)) {
      if (x.type === 'boolean') return { text: `if(${x.text}, 1, 0)`, prec: Prec.Atom, type: 'number', unit: null };
      const v = this.expect(x, 'number', n.x, `a cast to ${t}`);
      if (INTEGER_TYPES.test(t) && !(v.prec === Prec.Atom && /^\d+$/.test(v.text))) return { text: `round(${v.text})`, prec: Prec.Atom, type: 'number', unit: v.unit };
      return v;
    }
    if (STRING_TYPES.test(t)) return this.expect(x, 'string', n.x, `a cast to ${t}`);
    if (BOOLEAN_TYPES.test(t)) return this.expect(x, 'boolean', n.x, `a cast to ${t}`);
    if (TIME_TYPES.test(t)) {
      if (x.type === 'string' && isTimeLiteral(x.text)) return x;
      if (this.options.truncation) return this.expect(x, 'timestamp', n.x, `a cast to ${t}`);
      throw new SqlError(`a cast to ${t} cannot be translated here: it changes which instant a row holds`, n, 'compare the column itself with a date or a timestamp');
    }
    throw new SqlError(`a cast to ${t} has no equivalent in the formula language`, n);
  }
}

function isAggregate(name: string): boolean {
  return ['sum', 'count', 'avg', 'min', 'max', 'median', 'percentile_cont', 'percentile_disc', 'stddev', 'variance', 'array_agg', 'listagg', 'string_agg'].includes(name);
}

/** A string literal's text (quoted) that reads as a date or a timestamp. */
export function isTimeLiteral(quoted: string): boolean {
  return /^'\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?)?'$/.test(quoted);
}

function article(t: SqlType): string {
  switch (t) {
    case 'number':
      return 'a number';
    case 'string':
      return 'text';
    case 'boolean':
      return 'a condition (true/false)';
    case 'date':
      return 'a date';
    case 'timestamp':
      return 'a timestamp';
    case 'null':
      return 'null';
    case 'unknown':
      return 'a value';
    default: {
      const never: never = t;
      return never;
    }
  }
}
