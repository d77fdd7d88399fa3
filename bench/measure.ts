// What every benchmark shares: medians, the library as built (dist/), and the child processes
// that measure a fresh start and peak memory.

import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Runs per measurement (after one warm-up), at least 5 unless BENCH_RUNS says otherwise. */
export const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * A module of the built library (dist/), typed by its source: the benchmarks measure the code
 * the CLI runs, not the TypeScript as a loader transpiles it on the fly.
 */
export async function dist<T>(path: string): Promise<T> {
  // BENCH_DIST names another build to compare with (a copy of an earlier commit's dist/).
  const base = process.env.BENCH_DIST ? pathToFileURL(`${resolve(process.env.BENCH_DIST)}/`) : new URL('../dist/', import.meta.url);
  return (await import(new URL(path, base).href)) as T;
}

export interface ChildRun {
  ms: number;
  peakRssMb: number;
  stdout: string;
  stderr: string;
  status: number | null;
}

/**
 * Runs `node <args>` in a fresh process; the wall time is measured from here (start-up
 * included) and the peak resident memory is reported by the child itself as it exits.
 */
export function runNode(args: string[], env: NodeJS.ProcessEnv = process.env): ChildRun {
  const hook = new URL('peak-rss.mjs', import.meta.url).href;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', hook, ...args], { cwd: ROOT, encoding: 'utf8', env, maxBuffer: 1 << 28 });
  const ms = performance.now() - t0;
  const m = /peak-rss-kb (\d+)/.exec(r.stderr ?? '');
  return { ms, peakRssMb: m ? Number(m[1]) / 1024 : NaN, stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status };
}

/** `node --import tsx bench/<file> <args>`: a benchmark's own worker, in a process of its own. */
export function runWorker(file: string, args: string[]): ChildRun {
  const r = runNode(['--import', 'tsx', `bench/${file}`, ...args]);
  if (r.status !== 0) throw new Error(`bench/${file} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r;
}

export const round = (x: number, digits = 0): number => Number(x.toFixed(digits));
