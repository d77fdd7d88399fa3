// The checker never throws, whatever the formula: it returns diagnostics that point inside it.

import fc from 'fast-check';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkProject } from '../../src/check/check.js';
import { plainOrigin } from '../../src/diagnostics/diagnostic.js';
import { loadProject } from '../../src/load/project.js';
import type { KpiDef } from '../../src/load/types.js';

const project = loadProject({ root: resolve(import.meta.dirname, '..', '..') }).value;
const base = project.kpis.find((k) => k.id.value === 'first_time_fix_rate')!;

const atoms = [
  'work_orders', 'tickets', 'customers', 'technicians', 'status', 'region', 'labour_cost', 'completed_at', 'opened_at',
  'closed_at', 'resolved_on_first_visit', 'arpu', 'nps', 'completed', 'previous', 'coalesce', 'if', 'hours_between',
  'period_end', 'overlap_minutes', "'completed'", "'x'", '0', '1', '0.5', 'null', 'true', 'count', 'sum', 'avg',
  'percentile', 'median', 'count_distinct',
];
const glue = ['.', '(', ')', ',', ' + ', ' - ', ' * ', ' / ', ' = ', ' < ', ' and ', ' or ', ' not ', ' in [', ']', ' is null', ' where ', ' on ', ' at end', ' at start', ' during', ' '];
const formula = fc.array(fc.oneof(fc.constantFrom(...atoms), fc.constantFrom(...glue)), { minLength: 1, maxLength: 40 }).map((parts) => parts.join(''));

function withFormula(text: string): KpiDef {
  return { ...base, measures: [], formula: { text, origin: plainOrigin(base.file, text), span: base.formula.span } };
}

describe('checkProject', () => {
  it('never throws on random formulas and points every diagnostic inside the formula', () => {
    fc.assert(
      fc.property(formula, (text) => {
        const result = checkProject({ ...project, kpis: [withFormula(text)] });
        const lines = text.split('\n');
        for (const d of result.diagnostics) {
          if (d.code === 'KPI0309') continue; // related KPIs of the base file, absent from this one-KPI project
          expect(d.file).toBe(base.file);
          if (d.span && d.code !== 'KPI0404' && d.code !== 'KPI0307') {
            expect(d.span.line).toBeGreaterThanOrEqual(1);
            expect(d.span.line).toBeLessThanOrEqual(lines.length);
            expect(d.span.column).toBeGreaterThanOrEqual(1);
            expect(d.span.column - 1).toBeLessThanOrEqual(lines[d.span.line - 1].length);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('finds no error in well-formed formulas it generates from the schema', () => {
    const ok = ["work_orders.count(where status = 'completed')", 'work_orders.avg(hours_between(failure_reported_at, restored_at))', 'tickets.count(at end)'];
    for (const text of ok) {
      const result = checkProject({ ...project, kpis: [{ ...withFormula(text), unit: { ...base.unit, value: text.includes('avg') ? 'hours' : 'count' }, dimensions: [], related: [] }] });
      expect(result.diagnostics, text).toEqual([]);
      expect(result.value.kpis).toHaveLength(1);
    }
  });
});
