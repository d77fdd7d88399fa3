import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TextOrigin } from '../../src/diagnostics/diagnostic.js';
import { walk } from '../../src/lang/ast.js';
import { parseFormula } from '../../src/lang/parse.js';

const validFormulas = [
  "work_orders.count(where status = 'completed')",
  'work_orders.sum(labour_cost + parts_cost + travel_cost)',
  "work_orders.avg(hours_between(failure_reported_at, restored_at) where type = 'repair')",
  'tickets.count(on closed_at) / tickets.count(on opened_at)',
  "tickets.count(where priority in ['high', 'critical'] at end)",
  'work_orders.percentile(hours_between(a, b), 0.9 where x)',
  '(recurring - previous(recurring)) / previous(recurring)',
  "case when a is not null then 'it''s' else -1.5e3 end",
  'not a and b or c <> d -- comment\n and x not in [1, 2]',
];

/** An origin that checks every offset it is asked about lies within the text. */
function checkingOrigin(text: string): TextOrigin {
  return {
    file: 'f',
    locate(offset) {
      if (!(offset >= 0 && offset <= text.length)) throw new Error(`offset ${offset} outside 0..${text.length}`);
      return { line: 1, column: offset + 1 };
    },
  };
}

function checkParse(text: string): void {
  const r = parseFormula(text, checkingOrigin(text));
  expect(r.diagnostics.some((d) => d.code === 'KPI0219')).toBe(false);
  if (r.value === null) {
    expect(r.diagnostics.length).toBeGreaterThan(0);
    for (const d of r.diagnostics) {
      expect(d.code).toMatch(/^KPI02(0[1-9]|1\d|3[0-2])$/);
      expect(d.span!.length).toBeGreaterThanOrEqual(1);
      expect(d.span!.column - 1 + d.span!.length).toBeLessThanOrEqual(Math.max(1, text.length));
    }
  } else {
    expect(r.diagnostics).toEqual([]);
    walk(r.value, (e) => {
      expect(e.span.start).toBeGreaterThanOrEqual(0);
      expect(e.span.end).toBeLessThanOrEqual(text.length);
      expect(e.span.start).toBeLessThan(e.span.end);
    });
  }
}

const pieces = [
  'a', 'b1', 't', '.', 'count', '(', ')', '[', ']', ',', ' ', '\n', '+', '-', '*', '/', '=', '<', '>', '!',
  "'", '"', '0', '1.5', 'e', 'where', 'on', 'at', 'end', 'start', 'case', 'when', 'then', 'else', 'and', 'or',
  'not', 'in', 'is', 'null', 'true', '--', '#', 'é', 'over', '12', 'months', 'year', 'to', 'date', 'all', 'time',
  'last', 'first', 'per', 'previous', 'start_of',
];

describe('parseFormula never throws', () => {
  it('on random strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), checkParse), { numRuns: 300 });
  });

  it('on random sequences of formula pieces', () => {
    const formula = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((p) => p.join(''));
    fc.assert(fc.property(formula, checkParse), { numRuns: 400 });
  });

  it('on mutations of valid formulas', () => {
    const edit = fc.oneof(
      fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('insert' as const), at: fc.nat(), piece: fc.constantFrom(...pieces) }),
      fc.record({ op: fc.constant('swap' as const), at: fc.nat() }),
    );
    const mutated = fc
      .tuple(fc.constantFrom(...validFormulas), fc.array(edit, { minLength: 1, maxLength: 4 }))
      .map(([text, edits]) =>
        edits.reduce((s, e) => {
          const i = s.length === 0 ? 0 : e.at % s.length;
          if (e.op === 'delete') return s.slice(0, i) + s.slice(i + 1);
          if (e.op === 'insert') return s.slice(0, i) + e.piece + s.slice(i);
          return i + 1 < s.length ? s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2) : s;
        }, text),
      );
    fc.assert(fc.property(mutated, checkParse), { numRuns: 400 });
  });

  it('on the valid formulas themselves', () => {
    for (const text of validFormulas) {
      const r = parseFormula(text, checkingOrigin(text));
      expect(r.diagnostics).toEqual([]);
      checkParse(text);
    }
  });

  it('on huge and deeply nested input', () => {
    const huge = [
      '('.repeat(10_000) + 'a' + ')'.repeat(10_000),
      '-'.repeat(100_000) + 'a',
      '- '.repeat(50_000) + 'a',
      'not '.repeat(25_000) + 'a',
      'case when '.repeat(5_000) + 'a',
      'f('.repeat(10_000),
      '['.repeat(10_000),
      Array.from({ length: 20_000 }, (_, i) => `a${i}`).join(' + '),
      'x in [' + Array.from({ length: 20_000 }, (_, i) => i).join(', ') + ']',
      "'".repeat(100_001),
      'a + , '.repeat(10_000),
      'x = \'abc'.repeat(10_000),
    ];
    for (const text of huge) checkParse(text);
  });
});
