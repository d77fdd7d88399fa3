// Language constructs checked end to end on DuckDB with hand-computed fixtures of a small project.

import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileProject } from '../../src/index.js';
import { runFixtures } from '../../src/run/fixtures.js';

const PROJECT = resolve(import.meta.dirname, '..', 'projects', 'constructs');

describe('period_end() and during/overlap_hours()', () => {
  it('compute the hand-computed values', async () => {
    const project = compileProject(PROJECT);
    expect(project.diagnostics).toEqual([]);
    const results = await runFixtures(project.value);
    expect(results.map((r) => [r.kpi, r.failures, r.diagnostics])).toEqual([
      ['monitored_hours', [], []],
      ['still_open_share', [], []],
    ]);
    expect(results.every((r) => r.passed)).toBe(true);
  });
});
