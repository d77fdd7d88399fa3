// The pull-request workflow (.github/workflows/kpi.yml) runs what issue 5 asks of it, in an order
// where each step's failure is reported where a reviewer sees it.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

interface Step {
  run?: string;
  uses?: string;
  if?: string;
  with?: Record<string, string>;
}
interface Workflow {
  on: { pull_request?: { paths?: string[] }; push?: { branches?: string[] } };
  jobs: Record<string, { permissions?: Record<string, string>; steps: Step[]; if?: string }>;
}

const workflow = parse(readFileSync(join(resolve(import.meta.dirname, '..'), '.github', 'workflows', 'kpi.yml'), 'utf8')) as Workflow;

/** The index of the first step whose command line contains `command`. */
function stepOf(steps: Step[], command: string): number {
  return steps.findIndex((s) => (s.run ?? '').split('\n').some((line) => line.trim().startsWith(command)));
}

describe('.github/workflows/kpi.yml', () => {
  it('runs on pull requests that touch KPIs, schemas or the compiler', () => {
    expect(workflow.on.pull_request?.paths).toEqual(expect.arrayContaining(['kpis/**', 'schemas/**', 'src/**']));
  });

  it('checks with GitHub annotations, runs the fixtures, verifies generated/, then describes the change', () => {
    const steps = workflow.jobs.check.steps;
    const order = ['npx kpi check --format github', 'npx kpi test', 'npx kpi compile --check', 'npx kpi diff'].map((c) => stepOf(steps, c));
    expect(order.every((i) => i >= 0), `steps: ${JSON.stringify(order)}`).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(steps[order[3]].if).toContain("github.event_name == 'pull_request'");
    // The diff compares with the pull request's base, which needs the history.
    expect(steps[order[3]].run).toContain('origin/${{ github.base_ref }}');
    expect(steps.find((s) => s.uses?.startsWith('actions/checkout'))?.with?.['fetch-depth']).toBe(0);
  });

  it('may post the description as a comment, and keeps it in the job summary for forks', () => {
    const job = workflow.jobs.check;
    expect(job.permissions?.['pull-requests']).toBe('write');
    const post = job.steps.find((s) => s.uses?.startsWith('marocchino/sticky-pull-request-comment'));
    expect(post?.with?.path).toBe('kpi-diff.md');
    expect(post?.if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    expect(job.steps[stepOf(job.steps, 'npx kpi diff')].run).toContain('$GITHUB_STEP_SUMMARY');
  });
});
