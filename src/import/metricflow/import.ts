// `kpi import metricflow`: a dbt semantic layer project → source schemas and KPI files.

import { resolve } from 'node:path';
import type { Diagnostic, Result } from '../../diagnostics/diagnostic.js';
import { hasErrors, sortDiagnostics } from '../../diagnostics/diagnostic.js';
import { importMetrics, type ImportedKpi } from './metrics.js';
import { buildIndex, type ImportedTable } from './models.js';
import { readProject } from './read.js';
import { renderKpi, renderSource, writeAtomically, type OutputFile } from './write.js';

export interface ImportOptions {
  /** Where schemas/sources/ and kpis/ are written. */
  out: string;
  /** Leave out conversion metrics (and what builds on them) with a warning instead of failing. */
  skipUnsupported?: boolean;
}

export interface ImportSummary {
  tables: ImportedTable[];
  kpis: ImportedKpi[];
  files: OutputFile[];
}

/** The files an import would write, or the diagnostics that stop it. Nothing is written. */
export function planImport(projectDir: string, options: Omit<ImportOptions, 'out'> = {}): Result<ImportSummary | null> {
  const root = resolve(projectDir);
  const diagnostics: Diagnostic[] = [];
  const project = readProject(root);
  diagnostics.push(...project.diagnostics);
  if (hasErrors(diagnostics)) return { value: null, diagnostics: sortDiagnostics(diagnostics) };
  const index = buildIndex(project.value, diagnostics);
  const kpis = importMetrics(project.value, index, diagnostics, { skipUnsupported: options.skipUnsupported });
  if (hasErrors(diagnostics)) return { value: null, diagnostics: sortDiagnostics(diagnostics) };
  const files: OutputFile[] = [
    ...index.tables.map((t) => ({ path: `schemas/sources/${t.table}.yaml`, text: renderSource(t, ''), origin: t.model.at })),
    ...kpis.map((k) => ({ path: `kpis/${k.id}.yaml`, text: renderKpi(k, ''), origin: k.metric.at })),
  ];
  return { value: { tables: index.tables, kpis, files }, diagnostics: sortDiagnostics(diagnostics) };
}

export function importMetricflow(projectDir: string, options: ImportOptions): Result<ImportSummary | null> {
  const planned = planImport(projectDir, options);
  if (!planned.value) return planned;
  const written = writeAtomically(resolve(options.out), planned.value.files);
  const diagnostics = [...planned.diagnostics, ...written];
  return { value: hasErrors(written) ? null : planned.value, diagnostics };
}
