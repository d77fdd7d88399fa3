// The library's public API: what the CLI uses, and what other programs may call.

import { checkProject, type CheckedProject } from './check/check.js';
import { hasErrors, type Diagnostic, type Result } from './diagnostics/diagnostic.js';
import { loadProject } from './load/project.js';

export type { CheckedKpi, CheckedProject } from './check/check.js';
export type { Diagnostic, Result } from './diagnostics/diagnostic.js';
export { renderDiagnostics } from './diagnostics/render.js';
export { parseFormula } from './lang/parse.js';
export { loadProject } from './load/project.js';
export { checkProject } from './check/check.js';
export { planQuery, type QueryRequest } from './plan/query.js';
export { emitSql, type SqlQuery } from './emit/sql/emit.js';
export { duckdb } from './emit/sql/duckdb.js';
export { postgres } from './emit/sql/postgres.js';
export type { Dialect } from './emit/sql/dialect.js';
export { renderOutputs, writeOutputs, staleFiles } from './emit/outputs.js';
export { openDatabase, checkData, runQuery } from './run/duckdb.js';
export { openEngine, type Engine, type EngineTarget } from './run/engine.js';
export { openPostgres } from './run/postgres.js';
export { formatRows } from './run/format.js';
export { renderSite, type SiteData } from './emit/site/emit.js';
export { recentValues } from './run/recent.js';

/** Load and check a project folder (`kpis/`, `schemas/sources/`). */
export function compileProject(root: string): Result<CheckedProject> & { ok: boolean } {
  const loaded = loadProject({ root });
  const checked = checkProject(loaded.value);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics, ...checked.diagnostics];
  return { value: checked.value, diagnostics, ok: !hasErrors(diagnostics) };
}
