import { describe, expect, it } from 'vitest';
import { plainOrigin } from '../../src/diagnostics/diagnostic.js';
import { MAX_DIAGNOSTICS, parseFormula } from '../../src/lang/parse.js';
import { brief, parse } from './helpers.js';

/** The one diagnostic a formula must give: code line:column/length, message, hint. */
function only(text: string): { at: string; message: string; hint?: string } {
  const r = parse(text);
  expect(r.value).toBeNull();
  expect(r.diagnostics.map(brief)).toHaveLength(1);
  const d = r.diagnostics[0];
  expect(d.severity).toBe('error');
  expect(d.file).toBe('kpis/x.yaml');
  return d.hint === undefined ? { at: brief(d), message: d.message } : { at: brief(d), message: d.message, hint: d.hint };
}

describe('KPI0201 syntax error', () => {
  it('a missing operand', () => {
    expect(only('a +')).toEqual({ at: 'KPI0201 1:3/1', message: "expected an expression after '+', but the formula ends here" });
    expect(only('a + * b')).toEqual({ at: 'KPI0201 1:5/1', message: "expected an expression after '+', found '*'" });
  });

  it('points at the last token when the formula ends, not at a trailing comment', () => {
    expect(only('a +  -- more to come')).toEqual({ at: 'KPI0201 1:3/1', message: "expected an expression after '+', but the formula ends here" });
  });

  it('an unclosed parenthesis names the opener', () => {
    expect(only('(a + (b')).toEqual({ at: 'KPI0201 1:7/1', message: "expected ')' to close the '(' at column 6, but the formula ends here" });
    expect(only('f(a, b')).toEqual({ at: 'KPI0201 1:6/1', message: "expected ',' or ')' to close the '(' at column 2, but the formula ends here" });
    expect(only('f(a b)')).toEqual({ at: 'KPI0201 1:5/1', message: "expected ',' or ')' to close the '(' at column 2, found 'b'" });
    expect(only("x in ['a', 'b'")).toEqual({ at: 'KPI0201 1:14/1', message: "expected ',' or ']' to close the '[' at column 6, but the formula ends here" });
    expect(only('case when a then b')).toEqual({ at: 'KPI0201 1:18/1', message: "expected 'when', 'else' or 'end' to close the 'case' at column 1, but the formula ends here" });
  });

  it('on line 3 of a multi-line formula, naming an opener on another line', () => {
    expect(only('work_orders.sum(\n  labour_cost\n  + )')).toEqual({ at: 'KPI0201 3:5/1', message: "expected an expression after '+', found ')'" });
    expect(only('coalesce(\n  a,\n  b')).toEqual({ at: 'KPI0201 3:3/1', message: "expected ',' or ')' to close the '(' at line 1, column 9, but the formula ends here" });
  });

  it('input after a complete expression', () => {
    expect(only('a b')).toEqual({ at: 'KPI0201 1:3/1', message: "expected an operator or the end of the formula, found 'b'" });
    expect(only('a)')).toEqual({ at: 'KPI0201 1:2/1', message: "found ')' with no '(' before it to close" });
  });

  it('other expectations in plain words', () => {
    expect(only('t.')).toEqual({ at: 'KPI0201 1:2/1', message: "expected a name after '.', but the formula ends here" });
    expect(only('t.count(on 5)')).toEqual({ at: 'KPI0201 1:12/1', message: "expected a column name after 'on', found '5'" });
    expect(only('x is 1')).toEqual({ at: 'KPI0201 1:6/1', message: "expected 'null' after 'is', found '1'" });
    expect(only('x in []')).toEqual({ at: 'KPI0201 1:7/1', message: "expected an expression after '[', found ']'" });
    expect(only('case a end')).toEqual({ at: 'KPI0201 1:6/1', message: "expected 'when' after 'case', found 'a'" });
  });

  it('hints at == and at misspelt keywords', () => {
    expect(only('a == b')).toEqual({ at: 'KPI0201 1:4/1', message: "unexpected '=' after '='", hint: "compare with a single '='" });
    expect(only('t.count(were x = 1)')).toEqual({
      at: 'KPI0201 1:14/1',
      message: "expected ',' or ')' to close the '(' at column 8, found 'x'",
      hint: "did you mean 'where'?",
    });
  });

  it('reports independent errors, without cascades', () => {
    expect(parse('a + + b) * 3').diagnostics.map((d) => `${brief(d)} ${d.message}`)).toEqual([
      "KPI0201 1:5/1 expected an expression after '+', found '+'",
      "KPI0201 1:8/1 found ')' with no '(' before it to close",
    ]);
    expect(parse('f(a +) + g(b *)').diagnostics.map(brief)).toEqual(['KPI0201 1:6/1', 'KPI0201 1:15/1']);
  });
});

describe('lexical mistakes', () => {
  it('KPI0202 unterminated string, at the opening quote', () => {
    expect(only("x = 'abc")).toEqual({
      at: 'KPI0202 1:5/1',
      message: 'this string has no closing quote',
      hint: "end it with ' on the same line; write '' for a quote inside it",
    });
    // A string ends at the end of its line, so the next lines still parse.
    expect(only("a +\n  'abc\n  + b")).toMatchObject({ at: 'KPI0202 2:3/1' });
  });

  it('KPI0203 unexpected character, without a cascade', () => {
    expect(only('a # b')).toEqual({ at: 'KPI0203 1:3/1', message: "unexpected character '#'" });
    expect(only('a && b')).toEqual({ at: 'KPI0203 1:3/2', message: "unexpected characters '&&'", hint: "write 'and'" });
    expect(only('a +\n  b ;')).toEqual({ at: 'KPI0203 2:5/1', message: "unexpected character ';'", hint: 'a formula is one expression, with no semicolon' });
    expect(only('café')).toEqual({ at: 'KPI0203 1:4/1', message: 'unexpected character U+00E9', hint: "names use only the letters A-Z, digits and '_'" });
  });

  it('KPI0204 double-quoted string', () => {
    expect(only('status = "completed"')).toEqual({ at: 'KPI0204 1:10/11', message: 'strings use single quotes', hint: "write 'completed'" });
  });

  it('KPI0211 number without a leading digit', () => {
    expect(only('.5 * x')).toEqual({ at: 'KPI0211 1:1/2', message: 'a number needs a digit before its decimal point', hint: 'write 0.5' });
  });

  it('reports several lexical mistakes at once', () => {
    expect(parse('x = "a" and y = \'b').diagnostics.map(brief)).toEqual(['KPI0204 1:5/3', 'KPI0202 1:17/1']);
  });
});

describe('aggregate clauses', () => {
  it('KPI0205 repeated clause, pointing at the second', () => {
    expect(only('t.count(where a where b)')).toEqual({
      at: 'KPI0205 1:17/7',
      message: "this aggregate already has a 'where' clause",
      hint: "combine the conditions with 'and'",
    });
    expect(only('t.count(on a at end on b)')).toMatchObject({ at: 'KPI0205 1:21/4', message: "this aggregate already has an 'on' clause" });
    const alive = "this aggregate already says which rows each period reads ('at ...', 'during' or 'over ...')";
    expect(only('t.count(at end at start)')).toMatchObject({ at: 'KPI0205 1:16/8', message: alive });
    expect(only('t.sum(x during at end)')).toMatchObject({ at: 'KPI0205 1:16/6', message: alive });
    expect(only('t.sum(x at start during)')).toMatchObject({ at: 'KPI0205 1:18/6', message: alive });
  });

  it("KPI0206 'at' without start or end", () => {
    expect(only('t.count(at foo)')).toMatchObject({ at: 'KPI0206 1:9/6', message: "'at' must be followed by 'start', 'end', 'last' or 'first', not 'foo'" });
    expect(only('t.count(at)')).toMatchObject({ at: 'KPI0206 1:9/2', message: "'at' must be followed by 'start', 'end', 'last' or 'first'" });
    expect(only("t.count(at 'end')")).toMatchObject({ at: 'KPI0206 1:9/8' });
    expect(only('t.count(at where x)')).toMatchObject({ at: 'KPI0206 1:9/2' });
  });

  it('KPI0210 clause on a plain call', () => {
    expect(only('previous(x where y)')).toEqual({
      at: 'KPI0210 1:12/5',
      message: "'where' only goes in an aggregate over a table",
      hint: "write the aggregate on its table, as in 'work_orders.count(where ...)'",
    });
  });
});

describe('windows, snapshots and intervals', () => {
  it('KPI0230 an interval with an unknown unit or a bad count', () => {
    expect(only('previous(x, 3 fortnights)')).toEqual({
      at: 'KPI0230 1:15/10',
      message: "'3 fortnights' is not an interval: 'fortnights' is not a unit of time",
      hint: 'an interval is a whole number and one of day(s), week(s), month(s), quarter(s), year(s), as in 12 months; a number cannot be followed by a name otherwise',
    });
    expect(only('previous(x, 1.5 years)')).toMatchObject({ at: 'KPI0230 1:13/3', message: 'an interval needs a whole number of years from 1 to 10000, not 1.5' });
    expect(only('t.sum(x over 0 days)')).toMatchObject({ at: 'KPI0230 1:14/1', message: 'an interval needs a whole number of days from 1 to 10000, not 0' });
    expect(only('1 b')).toMatchObject({ at: 'KPI0230 1:3/1' });
  });

  it("KPI0231 'over' without a window", () => {
    const hint = "write 'over 12 months' (a rolling window), 'over year to date' (also month, quarter, week) or 'over all time'";
    expect(only('t.sum(x over)')).toEqual({ at: 'KPI0231 1:9/4', message: "'over' must be followed by an interval, '<grain> to date' or 'all time'", hint });
    expect(only('t.sum(x over decade to date)')).toMatchObject({ at: 'KPI0231 1:9/19', message: "'over' must be followed by an interval, '<grain> to date' or 'all time', not 'decade to date'" });
    expect(only('t.sum(x over all)')).toMatchObject({ at: 'KPI0231 1:9/8' });
    expect(only('t.sum(x over 12 months ago)')).toMatchObject({ at: 'KPI0231 1:9/18' });
  });

  it("KPI0232 'per' in the wrong place", () => {
    expect(only('t.sum(x at end per a)')).toEqual({
      at: 'KPI0232 1:16/5',
      message: "'per' goes with 'at last' or 'at first', not with 'at end'",
      hint: "'at start' and 'at end' read the rows alive at an instant, which needs no entity",
    });
    expect(only('t.sum(x at last by a)')).toMatchObject({ at: 'KPI0232 1:17/4', message: "expected 'per' and a column after 'at last', found 'by a'" });
    expect(only('t.sum(x at last per)')).toMatchObject({ at: 'KPI0232 1:17/3', message: "expected 'per' and a column after 'at last', found 'per'" });
  });

  it("KPI0205 'over' together with 'at' or 'during'", () => {
    expect(only('t.sum(x at end over 2 days)')).toMatchObject({ at: 'KPI0205 1:16/11', message: "this aggregate already says which rows each period reads ('at ...', 'during' or 'over ...')" });
  });
});

describe('structure', () => {
  it('KPI0207 nesting too deep, at the first opener past the limit', () => {
    expect(only(`${'('.repeat(65)}a${')'.repeat(65)}`)).toMatchObject({ at: 'KPI0207 1:65/1', message: 'the formula nests more than 64 levels deep here' });
    expect(parse(`${'('.repeat(64)}a${')'.repeat(64)}`).diagnostics).toEqual([]);
    expect(only(`${'-('.repeat(40)}a${')'.repeat(40)}`)).toMatchObject({ at: 'KPI0207 1:65/1' });
    expect(only(`${'not '.repeat(70)}a`)).toMatchObject({ at: 'KPI0207 1:257/3' });
  });

  it('KPI0207 also for very long operator chains', () => {
    const text = Array.from({ length: 500 }, (_, i) => `a${i}`).join(' + ');
    expect(only(text)).toMatchObject({ message: 'the formula is more than 400 operators deep here' });
  });

  it('KPI0208 empty formula', () => {
    expect(only('')).toEqual({ at: 'KPI0208 1:1/1', message: 'the formula is empty', hint: "write an expression, such as 'work_orders.count()'" });
    expect(only('  -- nothing yet\n')).toMatchObject({ at: 'KPI0208 1:1/17' });
  });

  it('KPI0209 chained comparison', () => {
    expect(only('a < b < c')).toEqual({
      at: 'KPI0209 1:7/1',
      message: 'comparisons cannot be chained',
      hint: "join two comparisons with 'and', as in 'a < b and b < c'",
    });
    expect(only('a = b is null')).toMatchObject({ at: 'KPI0209 1:7/2' });
  });

  it('caps the number of diagnostics', () => {
    const text = 'a + , '.repeat(100);
    const r = parseFormula(text, plainOrigin('f', text));
    expect(r.diagnostics).toHaveLength(MAX_DIAGNOSTICS);
  });
});
