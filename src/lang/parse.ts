// The formula parser's entry point: text → AST, with diagnostics in plain words. It never throws:
// the nesting depth is checked on the tokens before the (recursive) parser runs, and anything
// unforeseen becomes an internal-error diagnostic rather than an exception.

import type { ILexingError, IRecognitionException, IToken, TokenType } from 'chevrotain';
import { diagnosticAt, hasErrors, sortDiagnostics, type Diagnostic, type Result, type TextOrigin } from '../diagnostics/diagnostic.js';
import type { Expr, Span } from './ast.js';
import { children } from './ast.js';
import { parseTokens, type SyntaxErrorRecord } from './parser.js';
import { Codes as AstCodes, cstToAst } from './to-ast.js';
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
    ...lexed.tokens.flatMap((t) => lexedMistake(t, origin)),
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

function spanOf(t: IToken): Span {
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
function lexedMistake(t: IToken, origin: TextOrigin): Diagnostic[] {
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
    case T.BadNumber:
      return [
        diagnosticAt(origin, spanOf(t), 'error', ParseCodes.numberWithoutLeadingDigit, 'a number needs a digit before its decimal point',
          `write 0${t.image}`),
      ];
    default:
      return [];
  }
}

// ---- nesting ---------------------------------------------------------------------------------

function isOpener(t: IToken): boolean {
  return t.tokenType === T.LParen || t.tokenType === T.LBracket || t.tokenType === T.Case;
}

function isCloser(t: IToken, previous: IToken | undefined): boolean {
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

// ---- syntax errors ---------------------------------------------------------------------------

const expressionStarts = new Set<string>([
  T.Not, T.Minus, T.NumberLiteral, T.StringLiteral, T.True, T.False, T.Null, T.LParen, T.Case, T.Identifier,
].map((t) => t.name));

const tokenTypesByName = new Map<string, TokenType>(T.allTokens.map((t) => [t.name, t]));

function labelOf(name: string): string {
  return tokenTypesByName.get(name)?.LABEL ?? name;
}

function quoteImage(t: IToken): string {
  const image = t.image.length > 24 ? `${t.image.slice(0, 24)}...` : t.image;
  return t.tokenType === T.StringLiteral || t.tokenType === T.UnterminatedString ? image : `'${image}'`;
}

function isEof(t: IToken): boolean {
  return Number.isNaN(t.startOffset) || t.tokenType.name === 'EOF';
}

function readRecord(message: string): SyntaxErrorRecord | undefined {
  try {
    return JSON.parse(message) as SyntaxErrorRecord;
  } catch {
    return undefined;
  }
}

interface Context {
  tokens: IToken[];
  text: string;
  origin: TextOrigin;
}

function syntaxErrors(
  errors: IRecognitionException[],
  tokens: IToken[],
  text: string,
  lexErrors: ILexingError[],
  origin: TextOrigin,
): Diagnostic[] {
  const ctx: Context = { tokens, text, origin };
  // A dropped character leaves a hole; the syntax error right after it only repeats the problem.
  const afterHoles = new Set(lexErrors.map((e) => tokenIndexAtOrAfter(tokens, e.offset + e.length)));
  const seen = new Set<number>();
  const result: Diagnostic[] = [];
  for (const error of errors) {
    const index = isEof(error.token) ? tokens.length : tokenIndexAtOrAfter(tokens, error.token.startOffset);
    if (seen.has(index) || afterHoles.has(index)) continue;
    // After a first error, leftover input is usually the recovery's debris, unless it is a
    // closing bracket that truly has no opener.
    if (result.length > 0 && error.name === 'NotAllInputParsedException' && !isUnmatchedCloser(tokens, index)) continue;
    seen.add(index);
    result.push(syntaxError(error, index, ctx));
  }
  return result;
}

function isUnmatchedCloser(tokens: IToken[], index: number): boolean {
  const t = tokens[index] as IToken | undefined;
  if (!t || (t.tokenType !== T.RParen && t.tokenType !== T.RBracket)) return false;
  let depth = 0;
  for (let i = 0; i < index; i++) {
    if (tokens[i].tokenType === T.LParen || tokens[i].tokenType === T.LBracket) depth++;
    else if (tokens[i].tokenType === T.RParen || tokens[i].tokenType === T.RBracket) depth--;
  }
  return depth <= 0;
}

function tokenIndexAtOrAfter(tokens: IToken[], offset: number): number {
  const i = tokens.findIndex((t) => t.startOffset >= offset);
  return i < 0 ? tokens.length : i;
}

function syntaxError(error: IRecognitionException, index: number, ctx: Context): Diagnostic {
  const found = ctx.tokens[index] as IToken | undefined;
  const previous = ctx.tokens[index - 1] as IToken | undefined;
  const span = found ? spanOf(found) : endOfInput(ctx);
  const foundWords = found ? `found ${quoteImage(found)}` : 'but the formula ends here';
  const after = previous ? ` after ${quoteImage(previous)}` : '';
  const record = readRecord(error.message);
  const { message, hint } = describe(record, found, previous, after, foundWords, index, ctx);
  return diagnosticAt(ctx.origin, span, 'error', ParseCodes.syntax, message, hint ?? keywordHint(previous, found));
}

/** The last character of the last token: where "the formula ends here" points. */
function endOfInput(ctx: Context): Span {
  const last = ctx.tokens[ctx.tokens.length - 1];
  const end = last ? last.startOffset + last.image.length : ctx.text.length;
  return { start: Math.max(0, end - 1), end: Math.max(0, end) };
}

function describe(
  record: SyntaxErrorRecord | undefined,
  found: IToken | undefined,
  previous: IToken | undefined,
  after: string,
  foundWords: string,
  index: number,
  ctx: Context,
): { message: string; hint?: string } {
  if (found && previous && found.tokenType === T.Equals && previous.tokenType === T.Equals) {
    return { message: `unexpected '='${after}`, hint: "compare with a single '='" };
  }
  if (!record) return { message: `unexpected ${found ? quoteImage(found) : 'end of the formula'}` };
  switch (record.kind) {
    case 'not_all_input':
      if (found?.tokenType === T.RParen) return { message: "found ')' with no '(' before it to close" };
      if (found?.tokenType === T.RBracket) return { message: "found ']' with no '[' before it to close" };
      return { message: `expected an operator or the end of the formula, ${foundWords}` };
    case 'no_viable_alt':
    case 'early_exit': {
      if (record.expected.some((e) => expressionStarts.has(e))) {
        return { message: `expected an expression${after}, ${foundWords}` };
      }
      const expected = [...new Set(record.expected.map(labelOf))];
      return { message: `expected ${orList(expected)}${after}, ${foundWords}` };
    }
    case 'mismatch':
      return { message: mismatchMessage(record, after, foundWords, index, ctx) };
    default: {
      const never: never = record;
      return never;
    }
  }
}

function mismatchMessage(
  record: Extract<SyntaxErrorRecord, { kind: 'mismatch' }>,
  after: string,
  foundWords: string,
  index: number,
  ctx: Context,
): string {
  const closers: Record<string, { open: TokenType; words: string; what: string }> = {
    [T.RParen.name]: {
      open: T.LParen,
      words: record.rule === 'argumentList' ? "',' or ')'" : "')'",
      what: "'('",
    },
    [T.RBracket.name]: { open: T.LBracket, words: "',' or ']'", what: "'['" },
    [T.End.name]: { open: T.Case, words: "'when', 'else' or 'end'", what: "'case'" },
  };
  const closer = closers[record.expected];
  if (closer) {
    const opener = matchingOpener(ctx.tokens, index, closer.open);
    if (opener) {
      return `expected ${closer.words} to close the ${closer.what} at ${placeOf(opener, index, ctx)}, ${foundWords}`;
    }
  }
  if (record.expected === T.Identifier.name) {
    const what = record.rule === 'clause' ? 'a column name' : 'a name';
    return `expected ${what}${after}, ${foundWords}`;
  }
  return `expected ${labelOf(record.expected)}${after}, ${foundWords}`;
}

/** "column 5" on the same line as the error, else "line 2, column 5". */
function placeOf(opener: IToken, errorIndex: number, ctx: Context): string {
  const at = ctx.origin.locate(opener.startOffset);
  const errorToken = ctx.tokens[errorIndex];
  const errorAt = ctx.origin.locate(errorToken ? errorToken.startOffset : endOfInput(ctx).start);
  return at.line === errorAt.line ? `column ${at.column}` : `line ${at.line}, column ${at.column}`;
}

/** The unclosed opener of the given type before `index`, skipping balanced pairs. */
function matchingOpener(tokens: IToken[], index: number, open: TokenType): IToken | undefined {
  let depth = 0;
  for (let i = Math.min(index, tokens.length) - 1; i >= 0; i--) {
    const t = tokens[i];
    if (isCloser(t, tokens[i - 1])) depth++;
    else if (isOpener(t)) {
      if (depth === 0) return t.tokenType === open ? t : undefined;
      depth--;
    }
  }
  return undefined;
}

function orList(items: string[]): string {
  if (items.length <= 1) return items[0] ?? 'something else';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

// ---- did you mean ----------------------------------------------------------------------------

/** A misspelt keyword usually shows up as a name followed by something unexpected. */
function keywordHint(previous: IToken | undefined, found: IToken | undefined): string | undefined {
  for (const t of [previous, found]) {
    if (t?.tokenType !== T.Identifier) continue;
    const word = t.image.toLowerCase();
    const close = T.keywords.find((k) => k.length >= 3 && word.length >= 3 && editDistance(word, k) === 1);
    if (close) return `did you mean '${close}'?`;
  }
  return undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps cost 1. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 1) return 2;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
