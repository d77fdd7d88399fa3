// The formula parser's entry point: text → AST, with diagnostics in plain words. It never throws:
// the nesting depth is checked on the tokens before the (recursive) parser runs, and anything
// unforeseen becomes an internal-error diagnostic rather than an exception.

import type { ILexingError, IToken } from 'chevrotain';
import { diagnosticAt, hasErrors, sortDiagnostics, type Diagnostic, type Result, type TextOrigin } from '../diagnostics/diagnostic.js';
import type { Expr, Span } from './ast.js';
import { children } from './ast.js';
import { parseTokens } from './parser.js';
import { Codes as AstCodes, cstToAst } from './to-ast.js';
import { syntaxErrors } from './syntax-errors.js';
import * as T from './tokens.js';

export { keywords } from './tokens.js';

/** The diagnostic codes this stage produces; docs/language.md explains each. */
export const ParseCodes = {
  syntax: 'KPI0201',
  unterminatedString: 'KPI0202',
  unexpectedCharacter: 'KPI0203',
  doubleQuotedString: 'KPI0204',
  repeatedClause: AstCodes.repeatedClause,
  atNeedsEdge: AstCodes.atNeedsEdge,
  tooDeep: 'KPI0207',
  empty: 'KPI0208',
  chainedComparison: AstCodes.chainedComparison,
  clauseOnPlainCall: AstCodes.clauseOnPlainCall,
  numberWithoutLeadingDigit: 'KPI0211',
  numberOutOfRange: 'KPI0217',
  internal: 'KPI0219',
} as const;

/** Parentheses, brackets, `case` and prefix operators, counted together. */
export const MAX_NESTING = 64;
/** More errors than this in one formula are not shown. */
export const MAX_DIAGNOSTICS = 20;
/** Operators in a chain (`a + b + c ...`) make the tree deep too; later stages recurse over it. */
export const MAX_TREE_DEPTH = 400;

/** Parses one formula. The value is null when any error was found. */
export function parseFormula(text: string, origin: TextOrigin): Result<Expr | null> {
  try {
    return parseUnsafe(text, origin);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return {
      value: null,
      diagnostics: [
        diagnosticAt(origin, { start: 0, end: text.length }, 'error', ParseCodes.internal, `the formula parser failed unexpectedly: ${message}`,
          'this is a bug in the compiler; please report it with the formula'),
      ],
    };
  }
}

function parseUnsafe(text: string, origin: TextOrigin): Result<Expr | null> {
  const lexed = T.formulaLexer.tokenize(text);
  const diagnostics: Diagnostic[] = [
    ...lexed.errors.map((e) => unexpectedCharacter(text, e, origin)),
    ...lexed.tokens.flatMap((t, i) => lexedMistake(t, origin, lexed.tokens[i - 1])),
  ];
  const tokens = lexed.tokens;
  if (tokens.length === 0) {
    if (diagnostics.length === 0) {
      diagnostics.push(
        diagnosticAt(origin, { start: 0, end: text.length }, 'error', ParseCodes.empty, 'the formula is empty',
          "write an expression, such as 'work_orders.count()'"),
      );
    }
    return { value: null, diagnostics: dedupe(diagnostics) };
  }

  const tooDeep = firstTooDeep(tokens);
  if (tooDeep) {
    diagnostics.push(
      diagnosticAt(origin, spanOf(tooDeep), 'error', ParseCodes.tooDeep,
        `the formula nests more than ${MAX_NESTING} levels deep here`,
        'split it into named measures'),
    );
    return { value: null, diagnostics: dedupe(diagnostics) };
  }

  const { cst, errors } = parseTokens(tokens);
  if (errors.length > 0) {
    diagnostics.push(...syntaxErrors(errors, tokens, text, lexed.errors, origin));
    return { value: null, diagnostics: dedupe(diagnostics) };
  }

  const built = cstToAst(cst, origin);
  diagnostics.push(...built.diagnostics);
  const deep = nodeBeyondDepth(built.value, MAX_TREE_DEPTH);
  if (deep) {
    diagnostics.push(
      diagnosticAt(origin, deep.kind === 'binary' ? deep.opSpan : deep.span, 'error', ParseCodes.tooDeep,
        `the formula is more than ${MAX_TREE_DEPTH} operators deep here`,
        'split it into named measures'),
    );
  }
  return { value: hasErrors(diagnostics) ? null : built.value, diagnostics: dedupe(diagnostics) };
}

export function spanOf(t: IToken): Span {
  return { start: t.startOffset, end: t.startOffset + t.image.length };
}

/**
 * In source order, one per position (two diagnostics at one place say the same thing twice),
 * and at most MAX_DIAGNOSTICS: past that, a formula is garbage and more errors do not help.
 */
function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return sortDiagnostics(diagnostics)
    .filter((d) => {
      const key = `${d.span?.line}:${d.span?.column}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, MAX_DIAGNOSTICS);
}

// ---- lexical mistakes ------------------------------------------------------------------------

function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code > 0x20 && code < 0x7f) return `'${ch}'`;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

function unexpectedCharacter(text: string, e: ILexingError, origin: TextOrigin): Diagnostic {
  const run = text.slice(e.offset, e.offset + e.length);
  const first = String.fromCodePoint(run.codePointAt(0) ?? 0);
  const span = { start: e.offset, end: e.offset + Math.max(1, e.length) };
  const message =
    run.length === 1 || [...run].length === 1
      ? `unexpected character ${describeChar(first)}`
      : `unexpected characters ${run.length <= 12 && /^[\x21-\x7e]+$/.test(run) ? `'${run}'` : `starting with ${describeChar(first)}`}`;
  return diagnosticAt(origin, span, 'error', ParseCodes.unexpectedCharacter, message, characterHint(first));
}

function characterHint(ch: string): string | undefined {
  switch (ch) {
    case '&':
      return "write 'and'";
    case '|':
      return "write 'or'";
    case '!':
      return "write 'not', or '!=' to compare";
    case ';':
      return 'a formula is one expression, with no semicolon';
    case '`':
      return 'names are written without quotes';
    case '%':
      return "percentages are ratios: write 'a / b' and declare 'unit: percent'";
    default:
      return /[^\x00-\x7f]/.test(ch) ? "names use only the letters A-Z, digits and '_'" : undefined;
  }
}

/** Tokens that exist to be reported: see tokens.ts. */
function lexedMistake(t: IToken, origin: TextOrigin, previous: IToken | undefined): Diagnostic[] {
  switch (t.tokenType) {
    case T.UnterminatedString:
      return [
        diagnosticAt(origin, { start: t.startOffset, end: t.startOffset + 1 }, 'error', ParseCodes.unterminatedString,
          'this string has no closing quote', "end it with ' on the same line; write '' for a quote inside it"),
      ];
    case T.DoubleQuotedString: {
      const inner = t.image.endsWith('"') && t.image.length > 1 ? t.image.slice(1, -1) : t.image.slice(1);
      return [
        diagnosticAt(origin, spanOf(t), 'error', ParseCodes.doubleQuotedString, 'strings use single quotes',
          `write '${inner.replaceAll("'", "''")}'`),
      ];
    }
    case T.NumberLiteral: {
      const problem = numberProblem(t.image);
      return problem ? [diagnosticAt(origin, spanOf(t), 'error', ParseCodes.numberOutOfRange, problem.message, problem.hint)] : [];
    }
    case T.BadNumber:
      // `1.2.3` lexes as `1.2` and `.3`: the mistake is the second point, not a missing digit.
      if (previous?.tokenType === T.NumberLiteral && previous.startOffset + previous.image.length === t.startOffset) {
        return [diagnosticAt(origin, { start: t.startOffset, end: t.startOffset + 1 }, 'error', ParseCodes.numberWithoutLeadingDigit, 'a number has at most one decimal point', `write ${previous.image}${t.image.slice(1)} or ${previous.image}, not ${previous.image}${t.image}`)];
      }
      return [
        diagnosticAt(origin, spanOf(t), 'error', ParseCodes.numberWithoutLeadingDigit, 'a number needs a digit before its decimal point',
          `write 0${t.image}`),
      ];
    default:
      return [];
  }
}

/**
 * Numbers are 64-bit floating point in every backend. One written beyond that range would become
 * infinity, zero, or another integer: say so rather than compute with a different number.
 */
function numberProblem(image: string): { message: string; hint: string } | undefined {
  const value = Number(image);
  if (!Number.isFinite(value)) {
    return { message: `the number ${shorten(image)} is too large`, hint: 'numbers go up to about 1.8e308' };
  }
  if (value === 0 && /[1-9]/.test(image.split(/[eE]/)[0])) {
    return { message: `the number ${shorten(image)} is too small: it would be 0`, hint: 'numbers other than 0 go down to about 5e-324' };
  }
  if (/^\d+$/.test(image) && !Number.isSafeInteger(value) && BigInt(image) !== BigInt(value)) {
    return {
      message: `the number ${shorten(image)} cannot be held exactly: it would be ${BigInt(value)}`,
      hint: `whole numbers are exact up to ${Number.MAX_SAFE_INTEGER}; write ${value.toExponential().replace('e+', 'e')} if an approximation is meant`,
    };
  }
  return undefined;
}

function shorten(image: string): string {
  return image.length > 24 ? `${image.slice(0, 12)}...${image.slice(-8)}` : image;
}

// ---- nesting ---------------------------------------------------------------------------------

export function isOpener(t: IToken): boolean {
  return t.tokenType === T.LParen || t.tokenType === T.LBracket || t.tokenType === T.Case;
}

export function isCloser(t: IToken, previous: IToken | undefined): boolean {
  if (t.tokenType === T.End) return previous?.tokenType !== T.At;
  return t.tokenType === T.RParen || t.tokenType === T.RBracket;
}

/**
 * The token where the parser would recurse more than MAX_NESTING levels, if any. A run of prefix
 * operators before an opener stays on the parser's stack until the opener closes, so it counts
 * with it: `-(-(-(x)))` is six levels.
 */
function firstTooDeep(tokens: IToken[]): IToken | undefined {
  const weights: number[] = [];
  let depth = 0;
  let prefixRun = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const previous = tokens[i - 1];
    if (t.tokenType === T.Minus || t.tokenType === T.Not) {
      prefixRun++;
      if (depth + prefixRun > MAX_NESTING) return t;
    } else if (isOpener(t)) {
      const weight = 1 + prefixRun;
      weights.push(weight);
      depth += weight;
      prefixRun = 0;
      if (depth > MAX_NESTING) return t;
    } else if (isCloser(t, previous)) {
      depth -= weights.pop() ?? 0;
      prefixRun = 0;
    } else {
      prefixRun = 0;
    }
  }
  return undefined;
}

/** The first node found deeper than `limit` levels, walking without recursion. */
function nodeBeyondDepth(root: Expr, limit: number): Expr | undefined {
  const stack: Array<{ e: Expr; depth: number }> = [{ e: root, depth: 1 }];
  while (stack.length > 0) {
    const { e, depth } = stack.pop()!;
    if (depth > limit) return e;
    for (const c of children(e)) stack.push({ e: c, depth: depth + 1 });
  }
  return undefined;
}
