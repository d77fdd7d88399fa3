// Everything `kpi compile` writes, as a map of relative path → content, and the atomic write of it.

import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { CheckedProject } from '../check/check.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { renderDocsOutputs } from './docs/emit.js';
import { renderTsOutputs } from './ts/emit.js';
import { duckdb } from './sql/duckdb.js';
import { kpiSqlFile } from './sql/kpi-file.js';
import { postgres } from './sql/postgres.js';

export type Outputs = Map<string, string>;

export function renderOutputs(project: CheckedProject): { outputs: Outputs; diagnostics: Diagnostic[] } {
  const outputs: Outputs = new Map();
  const diagnostics: Diagnostic[] = [];
  for (const k of project.kpis) {
    const file = kpiSqlFile(k, project, duckdb);
    diagnostics.push(...file.diagnostics);
    if (file.sql !== null) outputs.set(`sql/${k.def.id.value}.sql`, file.sql);
    // Planning does not depend on the dialect: its diagnostics were taken above.
    const pgFile = kpiSqlFile(k, project, postgres);
    if (pgFile.sql !== null) outputs.set(`sql-postgres/${k.def.id.value}.sql`, pgFile.sql);
  }
  for (const [path, content] of renderDocsOutputs(project)) outputs.set(path, content);
  for (const [path, content] of renderTsOutputs(project)) outputs.set(path, content);
  return { outputs: new Map([...outputs.entries()].sort(([a], [b]) => a.localeCompare(b))), diagnostics };
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out;
}

/** Files that differ between the outputs and what `dir` holds: changed, missing, or not produced any more. */
export function staleFiles(outputs: Outputs, dir: string): { path: string; status: 'changed' | 'missing' | 'extra' }[] {
  const out: { path: string; status: 'changed' | 'missing' | 'extra' }[] = [];
  const present = new Set(listFiles(dir));
  for (const [path, content] of outputs) {
    if (!present.has(path)) out.push({ path, status: 'missing' });
    else if (readFileSync(join(dir, path), 'utf8') !== content) out.push({ path, status: 'changed' });
  }
  for (const path of present) if (!outputs.has(path)) out.push({ path, status: 'extra' });
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** Writes the outputs into a fresh folder beside `dir`, then swaps it in: `dir` is never half-written. */
export function writeOutputs(outputs: Outputs, dir: string): void {
  const tmp = `${dir}.tmp-${process.pid}`;
  const old = `${dir}.old-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    for (const [path, content] of outputs) {
      const file = join(tmp, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
    mkdirSync(tmp, { recursive: true });
    if (existsSync(dir)) renameSync(dir, old);
    renameSync(tmp, dir);
    rmSync(old, { recursive: true, force: true });
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(dir) && existsSync(old)) renameSync(old, dir);
    throw e;
  }
}
