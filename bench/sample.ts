// The large sample the query benchmarks read: `kpi sample --rows N --out FILE` in a fresh process,
// timed, with its peak memory and the time of each generation step (from its progress lines).

import { existsSync, statSync } from 'node:fs';
import { runNode } from './measure.js';

export interface SampleResult {
  rows: number;
  path: string;
  seconds: number;
  peakRssMb: number;
  fileMb: number;
  steps: { step: string; rows: number | null; seconds: number }[];
}

export function buildLargeSample(path: string, rows: number, log: (s: string) => void): SampleResult {
  log(`sample: building ${rows.toLocaleString('en-US')} work orders into ${path}`);
  const r = runNode(['dist/cli/main.js', 'sample', '--rows', String(rows), '--out', path]);
  if (r.status !== 0 || !existsSync(path)) throw new Error(`kpi sample failed (${r.status}):\n${r.stderr}`);
  const steps = [...r.stderr.matchAll(/^ {2}(.+?)(?:: ([\d,]+) rows)? \(([\d.]+)s\)$/gm)].map((m) => ({
    step: m[1],
    rows: m[2] ? Number(m[2].replace(/,/g, '')) : null,
    seconds: Number(m[3]),
  }));
  const result: SampleResult = { rows, path, seconds: r.ms / 1000, peakRssMb: r.peakRssMb, fileMb: statSync(path).size / 2 ** 20, steps };
  log(`sample: ${result.seconds.toFixed(1)} s, peak ${result.peakRssMb.toFixed(0)} MB, file ${result.fileMb.toFixed(0)} MB`);
  return result;
}
