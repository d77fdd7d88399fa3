// SQL expressions of a semantic layer project translated into the formula language, and the
// rewrite of a time dimension at a grain compared with a date. Each translation must also be a
// formula the compiler's parser reads without a diagnostic.

import { describe, expect, it } from 'vitest';
import { plainOrigin } from '../../src/diagnostics/diagnostic.js';
import { compareAtGrain } from '../../src/import/metricflow/filters.js';
import { SqlError, translateSql, type Resolver, type SqlType } from '../../src/import/metricflow/sql-expr.js';
import { parseFormula } from '../../src/lang/parse.js';

const TYPES: Record<string, SqlType> = { amount: 'number', discount: 'number', qty: 'number', is_food: 'boolean', status: 'string', ts: 'timestamp' };

function resolver(hints: [string, SqlType][] = []): Resolver {
  return {
    name: (parts) => {
      const name = parts[parts.length - 1];
      const type = TYPES[name] ?? 'unknown';
      return { text: name, prec: 8, type, unit: type === 'number' ? {} : null, ...(type === 'unknown' ? { column: name } : {}) };
    },
    hint: (column, type) => hints.push([column, type]),
  };
}

function translate(sql: string): string {
  const f = translateSql(sql, resolver());
  const parsed = parseFormula(`t.count(where ${f.type === 'boolean' ? f.text : `${f.text} is not null`})`, plainOrigin('<test>', ''));
  expect(parsed.diagnostics).toEqual([]);
  return f.text;
}

function failure(sql: string): { message: string; at: string } {
  try {
    translateSql(sql, resolver());
  } catch (e) {
    if (!(e instanceof SqlError)) throw e;
    return { message: e.message, at: sql.slice(e.span.start, e.span.end) };
  }
  throw new Error(`'${sql}' was translated`);
}

describe('SQL expressions → the formula language', () => {
  it.each([
    ['amount', 'amount'],
    ['amount - coalesce(discount, 0)', 'amount - coalesce(discount, 0)'],
    ['AMOUNT * (DISCOUNT + QTY)', 'amount * (discount + qty)'],
    ['(amount * qty) + discount', 'amount * qty + discount'],
    ['amount - (qty - discount)', 'amount - (qty - discount)'],
    ['amount / (qty * 2)', 'amount / (qty * 2)'],
    ['-(amount - qty)', '-(amount - qty)'],
    ['- -amount', '-(-amount)'],
    ['.5 * amount', '0.5 * amount'],
    ["case when is_food = True then amount else 0 end", 'case when is_food = true then amount else 0 end'],
    ["CASE status WHEN 'a' THEN 1 WHEN 'b' THEN 2 END", "case when status = 'a' then 1 when status = 'b' then 2 end"],
    ['cast(is_food as int)', 'if(is_food, 1, 0)'],
    ['amount::numeric(10, 2)', 'amount'],
    ['cast(qty as integer)', 'round(qty)'],
    ['cast(status as varchar)', 'status'],
    ["status is not null and not (qty > 2 or amount < 1)", 'status is not null and not (qty > 2 or amount < 1)'],
    ["status in ('a', 'b')", "status in ['a', 'b']"],
    ["status not in ('it''s')", "status not in ['it''s']"],
    ['amount between 10 and 20', 'amount >= 10 and amount <= 20'],
    ['amount not between 10 and 20', 'not (amount >= 10 and amount <= 20)'],
    ['nullif(qty, 0)', 'if(qty = 0, null, qty)'],
    ['is_food is true', 'coalesce(is_food, false)'],
    ['is_food is not false', 'not coalesce(is_food = false, false)'],
    ["iff(amount > 1, 'big', 'small')", "if(amount > 1, 'big', 'small')"],
    ["status <> 'done'", "status != 'done'"],
    ['greatest(amount, discount, 0)', 'greatest(amount, discount, 0)'],
    ['round(amount / qty, 2)', 'round(amount / qty, 2)'],
    ["ts >= '2024-01-01' -- a comment", "ts >= '2024-01-01'"],
  ])('%s → %s', (sql, formula) => {
    expect(translate(sql)).toBe(formula);
  });

  it('learns the type of a column whose type is not declared from how the SQL uses it', () => {
    const hints: [string, SqlType][] = [];
    translateSql("case when flag then price * 2 else 0 end + coalesce(extra, 1)", resolver(hints));
    expect(hints).toEqual([
      ['flag', 'boolean'],
      ['price', 'number'],
      ['extra', 'number'],
    ]);
  });

  it.each([
    ['amount % 2', "'%' (the remainder of a division) has no equivalent in the formula language", 'amount % 2'],
    ["status || 'x'", "'||' (joining text) has no equivalent in the formula language", "status || 'x'"],
    ["status like 'a%'", "'LIKE' (pattern matching) has no equivalent in the formula language", "like 'a%'"],
    ['lower(status)', 'the SQL function LOWER() has no equivalent in the formula language', 'lower'],
    ['count(*)', 'the SQL function COUNT(*) has no equivalent in the formula language', 'count'],
    ['sum(amount) over ()', 'a window function (OVER ...) cannot be translated into the formula language', 'sum(amount) over'],
    ['amount in (select 1)', 'a subquery cannot be translated into the formula language', 'in (select'],
    ['amount = null', 'a comparison with NULL is never true', 'amount = null'],
    ['cast(ts as date)', 'a cast to date cannot be translated here: it changes which instant a row holds', 'cast(ts as date)'],
    ["date_trunc('day', ts)", "DATE_TRUNC cannot be translated here: the formula language puts rows into periods by the query's grain", "date_trunc('day', ts)"],
    ['status + 1', "'+' needs a number, but this is text", 'status'],
    ['amount +', 'expected a value, a column or a function, but the expression ends here', ''],
  ])('%s cannot be translated', (sql, message, at) => {
    expect(failure(sql)).toEqual({ message, at });
  });
});

describe('a time dimension at a grain compared with a date', () => {
  const d = (s: string) => new Date(`${s}Z`);
  it.each([
    ['>=', '2024-01-02T00:00:00', 'day', "ts >= '2024-01-02'"],
    ['>', '2024-01-02T00:00:00', 'day', "ts >= '2024-01-03'"],
    ['<=', '2024-01-02T00:00:00', 'day', "ts < '2024-01-03'"],
    ['>=', '2024-01-02T12:00:00', 'day', "ts >= '2024-01-03'"],
    ['<', '2024-01-15T00:00:00', 'month', "ts < '2024-02-01'"],
    ['<=', '2024-01-15T00:00:00', 'month', "ts < '2024-02-01'"],
    ['=', '2024-02-01T00:00:00', 'month', "ts >= '2024-02-01' and ts < '2024-03-01'"],
    ['!=', '2024-02-01T00:00:00', 'month', "not (ts >= '2024-02-01' and ts < '2024-03-01')"],
    ['=', '2024-02-03T00:00:00', 'month', 'false'],
    ['>=', '2024-01-03T00:00:00', 'week', "ts >= '2024-01-08'"],
    ['<', '2024-01-01T00:00:00', 'week', "ts < '2024-01-01'"],
    ['<=', '2024-05-10T00:00:00', 'quarter', "ts < '2024-07-01'"],
    ['>', '2023-06-01T00:00:00', 'year', "ts >= '2024-01-01'"],
  ] as const)('trunc(ts, %s) %s %s at %s', (op, literal, grain, text) => {
    expect(compareAtGrain('ts', op, d(literal), grain).text).toBe(text);
  });
});

describe('the SQL translation on any input', () => {
  it('either translates into a formula the parser reads, or says why with a SqlError; it never throws anything else', async () => {
    const fc = await import('fast-check');
    const token = fc.constantFrom('amount', 'status', 'is_food', 'x', "'a'", "'it''s'", '1', '2.5', '.5', 'null', 'true', '(', ')', ',', '+', '-', '*', '/', '%', '=', '<>', '<', '>=', 'and', 'or', 'not', 'is', 'in', 'between', 'case', 'when', 'then', 'else', 'end', 'cast', 'as', 'int', '::', 'coalesce', 'nullif', 'like', '{{', '}}', '"q"', '--');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 14 }), (tokens) => {
        const sql = tokens.join(' ');
        try {
          const f = translateSql(sql, resolver());
          const text = f.type === 'boolean' ? f.text : `${f.text} is not null`;
          expect(parseFormula(`t.count(where ${text})`, plainOrigin('<test>', '')).diagnostics).toEqual([]);
        } catch (e) {
          if (!(e instanceof SqlError)) throw e;
          expect(e.span.start).toBeGreaterThanOrEqual(0);
          expect(e.span.end).toBeLessThanOrEqual(Math.max(sql.length, e.span.start + 1));
        }
      }),
      { numRuns: Number(process.env.KPI_FUZZ_RUNS ?? 300), seed: 20240 },
    );
  });
});
