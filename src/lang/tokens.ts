// The formula language's tokens. Keywords are case-insensitive (`and`, `AND`, `And`) and use
// `longer_alt` so that `order_id` or `android` stay identifiers. Every token has a label in
// plain words, which is what error messages show (never a token's internal name).
//
// A few tokens exist only to be reported well: a double-quoted string, an unterminated string
// and a number without a leading digit are lexed as tokens of their own, accepted by the parser
// where a literal may stand, and turned into one precise diagnostic each by the AST builder.
// That keeps one mistake from cascading into several syntax errors.

import type { TokenType } from 'chevrotain';
import { createToken, Lexer } from './chevrotain.js';

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /--[^\n\r]*/, group: Lexer.SKIPPED });

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: 'a name' });

function keyword(word: string): TokenType {
  return createToken({
    name: word[0].toUpperCase() + word.slice(1),
    pattern: new RegExp(word, 'i'),
    longer_alt: Identifier,
    label: `'${word}'`,
  });
}

export const Or = keyword('or');
export const And = keyword('and');
export const Not = keyword('not');
export const In = keyword('in');
export const Is = keyword('is');
export const Null = keyword('null');
export const True = keyword('true');
export const False = keyword('false');
export const Case = keyword('case');
export const When = keyword('when');
export const Then = keyword('then');
export const Else = keyword('else');
export const End = keyword('end');
export const Where = keyword('where');
export const On = keyword('on');
export const At = keyword('at');
export const During = keyword('during');
export const Over = keyword('over');

/** The reserved words, lower case: they cannot be used as names (`start` and `if` are not reserved). */
export const keywordTokens: readonly TokenType[] = [
  Or, And, Not, In, Is, Null, True, False, Case, When, Then, Else, End, Where, On, At, During, Over,
];
export const keywords: readonly string[] = keywordTokens.map((t) => t.name.toLowerCase());

export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/,
  label: 'a number',
});
/** `.5`: reported as "write 0.5". */
export const BadNumber = createToken({ name: 'BadNumber', pattern: /\.\d+(?:[eE][+-]?\d+)?/, label: 'a number' });

/** `'it''s'`: a doubled quote stands for one quote. Strings do not span lines. */
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /'(?:[^'\n\r]|'')*'/, label: 'a string' });
/** A quote with no closing quote on its line. */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /'(?:[^'\n\r]|'')*/,
  label: 'a string',
});
/** `"completed"`: strings use single quotes (double quotes are SQL's quoted names). */
export const DoubleQuotedString = createToken({
  name: 'DoubleQuotedString',
  pattern: /"[^"\n\r]*"?/,
  label: 'a string',
});

export const LParen = createToken({ name: 'LParen', pattern: '(', label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: ')', label: "')'" });
export const LBracket = createToken({ name: 'LBracket', pattern: '[', label: "'['" });
export const RBracket = createToken({ name: 'RBracket', pattern: ']', label: "']'" });
export const Comma = createToken({ name: 'Comma', pattern: ',', label: "','" });
export const Dot = createToken({ name: 'Dot', pattern: '.', label: "'.'" });

export const Plus = createToken({ name: 'Plus', pattern: '+', label: "'+'" });
export const Minus = createToken({ name: 'Minus', pattern: '-', label: "'-'" });
export const Star = createToken({ name: 'Star', pattern: '*', label: "'*'" });
export const Slash = createToken({ name: 'Slash', pattern: '/', label: "'/'" });

export const NotEquals = createToken({ name: 'NotEquals', pattern: /!=|<>/, label: "'!='" });
export const LessEquals = createToken({ name: 'LessEquals', pattern: '<=', label: "'<='" });
export const GreaterEquals = createToken({ name: 'GreaterEquals', pattern: '>=', label: "'>='" });
export const Equals = createToken({ name: 'Equals', pattern: '=', label: "'='" });
export const Less = createToken({ name: 'Less', pattern: '<', label: "'<'" });
export const Greater = createToken({ name: 'Greater', pattern: '>', label: "'>'" });

/** The order matters: the lexer takes the first pattern that matches, so longer ones come first. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  ...keywordTokens,
  Identifier,
  NumberLiteral,
  BadNumber,
  StringLiteral,
  UnterminatedString,
  DoubleQuotedString,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Dot,
  Plus,
  Minus,
  Star,
  Slash,
  NotEquals,
  LessEquals,
  GreaterEquals,
  Equals,
  Less,
  Greater,
];

export const formulaLexer = new Lexer(allTokens, {
  positionTracking: 'onlyOffset',
  ensureOptimizations: false,
});
