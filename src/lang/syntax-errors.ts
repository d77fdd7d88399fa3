// Syntax errors in plain words: what Chevrotain reports, turned into "expected ')' to close the
// '(' at column 5" rather than token names, one diagnostic per place.

import type { ILexingError, IRecognitionException, IToken, TokenType } from 'chevrotain';
import { diagnosticAt, type Diagnostic, type TextOrigin } from '../diagnostics/diagnostic.js';
import type { Span } from './ast.js';
import type { SyntaxErrorRecord } from './parser.js';
import * as T from './tokens.js';
import { isCloser, isOpener, ParseCodes, spanOf } from './parse.js';

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

export function syntaxErrors(
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
  // After a string with no closing quote, the rest of the line was swallowed by it: syntax errors
  // past it are echoes (the string's own diagnostic says what is wrong).
  const unterminated = tokens.findIndex((t) => t.tokenType === T.UnterminatedString);
  for (const error of errors) {
    const index = isEof(error.token) ? tokens.length : tokenIndexAtOrAfter(tokens, error.token.startOffset);
    if (seen.has(index) || afterHoles.has(index) || (unterminated >= 0 && index > unterminated)) continue;
    // An unterminated or double-quoted string or a '.5' has a diagnostic of its own, which says more.
    if (isLexedMistake(tokens[index])) continue;
    // After a first error, leftover input is usually the recovery's debris, unless it is a
    // closing bracket that truly has no opener.
    if (result.length > 0 && error.name === 'NotAllInputParsedException' && !isUnmatchedCloser(tokens, index)) continue;
    seen.add(index);
    result.push(syntaxError(error, index, ctx));
  }
  return result;
}

function isLexedMistake(t: IToken | undefined): boolean {
  return t?.tokenType === T.UnterminatedString || t?.tokenType === T.DoubleQuotedString || t?.tokenType === T.BadNumber;
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
  return diagnosticAt(ctx.origin, span, 'error', ParseCodes.syntax, message, hint ?? keywordHint(previous, found) ?? reservedHint(record, found));
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

/** A reserved word where a name was expected (`tickets.end`): say why it is not a name. */
function reservedHint(record: SyntaxErrorRecord | undefined, found: IToken | undefined): string | undefined {
  if (record?.kind !== 'mismatch' || record.expected !== T.Identifier.name || !found) return undefined;
  const word = found.image.toLowerCase();
  return T.keywords.includes(word) ? `'${word}' is a reserved word of the formula language, so it cannot be a name` : undefined;
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
