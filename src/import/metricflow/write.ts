// The YAML the importer writes: schemas/sources/<table>.yaml and kpis/<id>.yaml, byte-identical for
// the same project, checked with the compiler before anything is written, and moved into place only
// when every file is ready, so that a failed import leaves the output folder as it was.

import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { checkProject } from '../../check/check.js';
import { loadProject } from '../../load/project.js';
import type { ImportedKpi } from './metrics.js';
import type { ImportedTable } from './models.js';
import type { Place } from './read.js';

/** Every file the importer writes starts with this line; it only ever overwrites such files. */
export const MARKER = '# Written by kpi import metricflow';

export interface OutputFile {
  /** Relative to the output folder, with forward slashes. */
  path: string;
  text: string;
  /** The semantic model or metric it comes from, for diagnostics about it. */
  origin: Place;
}

/** A plain scalar when YAML reads it back as the same string, else a double-quoted one. */
function scalar(s: string): string {
  const plain = stringify(s, { lineWidth: 0 }).trimEnd();
  return plain.includes('\n') ? JSON.stringify(s) : plain;
}

/** A value inside a flow mapping `{ ... }`, where commas and braces end plain scalars. */
function flowScalar(s: string): string {
  return /^[A-Za-z0-9_][A-Za-z0-9_ .\-/]*$/.test(s) && !/^(true|false|null|yes|no|on|off|~)$/i.test(s) ? s : JSON.stringify(s);
}

export function renderSource(t: ImportedTable, project: string): string {
  const lines = [
    MARKER,
    `# from semantic model '${t.model.name}' (${t.model.at.file}:${t.model.at.span.line}${project ? ` in ${project}` : ''}); import again rather than edit.`,
    '# yaml-language-server: $schema=../source.schema.json',
    `table: ${t.table}`,
  ];
  if (t.model.description?.trim()) lines.push(`description: ${scalar(t.model.description.trim())}`);
  lines.push(`primary_key: ${t.primaryKey}`);
  if (t.time) lines.push(`time: ${t.time}`);
  lines.push('columns:');
  const columns = [...t.columns.values()];
  const ordered = [...columns.filter((c) => c.name === t.primaryKey), ...columns.filter((c) => c.name !== t.primaryKey)];
  for (const c of ordered) {
    const fields = [`type: ${c.type}`];
    if (c.unit) fields.push(`unit: ${c.unit}`);
    if (c.unit === 'currency' && c.currency) fields.push(`currency: ${c.currency}`);
    if (c.nullable) fields.push('nullable: true');
    if (c.references) fields.push(`references: ${c.references}`);
    const said = [c.names.length > 0 ? `MetricFlow: ${c.names.join(', ')}.` : '', c.description?.trim() ?? ''].filter(Boolean).join(' ');
    if (said) fields.push(`description: ${flowScalar(said)}`);
    lines.push(`  ${c.name}: { ${fields.join(', ')} }`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderKpi(k: ImportedKpi, project: string): string {
  const m = k.metric;
  const lines = [
    MARKER,
    `# from metric '${m.name}' (${m.at.file}:${m.at.span.line}${project ? ` in ${project}` : ''}); import again rather than edit.`,
    '# yaml-language-server: $schema=../schemas/kpi.schema.json',
    `id: ${k.id}`,
    `name: ${scalar(k.name)}`,
    `description: ${scalar(k.description.replace(/\s+/g, ' ').trim())}`,
    `question: ${scalar(k.question)}`,
    `tier: ${k.tier}`,
    `roles: [${k.roles.join(', ')}]`,
    `owner: ${scalar(k.owner)}`,
    `tags: [${k.tags.join(', ')}]`,
    `unit: ${k.unit}`,
  ];
  if (k.currency) lines.push(`currency: ${k.currency}`);
  lines.push(`better: ${k.better}`);
  if (k.empty !== null) lines.push(`empty: ${k.empty}`);
  if (k.time) lines.push(`time: ${k.time}`);
  lines.push(`grain: ${k.grain}`);
  if (k.measures.length > 0) {
    lines.push('measures:');
    for (const [name, text] of k.measures) lines.push(`  ${name}: ${scalar(text)}`);
  }
  lines.push(`formula: ${scalar(k.formula)}`);
  if (k.dimensions.length === 0) lines.push('dimensions: []');
  else {
    lines.push('dimensions:');
    for (const d of k.dimensions) lines.push(`  - ${d}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Where an existing file in the output folder would be overwritten though the importer did not write it. */
function foreignFiles(out: string, files: OutputFile[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const f of files) {
    const target = join(out, f.path);
    if (existsSync(target) && !readFileSync(target, 'utf8').startsWith(MARKER)) {
      diagnostics.push({ severity: 'error', code: 'KPI0719', message: `${f.path} exists in ${out} and was not written by the importer, so it is left as it is`, file: f.origin.file, span: f.origin.span, hint: 'import into another folder with --out, or move that file away' });
    }
  }
  // A KPI or a table of the same name elsewhere in the folder would clash once both are there.
  const existing = loadProject({ root: out }).value;
  const paths = new Set(files.map((f) => f.path));
  for (const f of files) {
    const id = /^kpis\/([a-z0-9_]+)\.yaml$/.exec(f.path)?.[1];
    const table = /^schemas\/sources\/([a-z0-9_]+)\.yaml$/.exec(f.path)?.[1];
    const clash = id ? existing.kpis.find((k) => k.id.value === id && !paths.has(k.file)) : table ? existing.sources.find((s) => s.table === table && !paths.has(s.file)) : undefined;
    if (clash) diagnostics.push({ severity: 'error', code: 'KPI0719', message: `${id ? `KPI '${id}'` : `table '${table}'`} is already described in ${clash.file} of ${out}`, file: f.origin.file, span: f.origin.span, hint: 'import into another folder with --out, or rename one of the two' });
  }
  return diagnostics;
}

/**
 * Writes the files into a staging folder, checks the staged project as `kpi check` would, and only
 * then moves each file into place. A diagnostic of the check is an importer error (KPI0718) about
 * the semantic model or metric the file came from.
 */
export function writeAtomically(out: string, files: OutputFile[]): Diagnostic[] {
  const clashes = foreignFiles(out, files);
  if (clashes.length > 0) return clashes;
  mkdirSync(out, { recursive: true });
  const stage = join(out, `.kpi-import-${process.pid}-${Date.now()}`);
  try {
    for (const f of files) {
      const p = join(stage, f.path);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.text);
    }
    const loaded = loadProject({ root: stage });
    const problems = [...loaded.diagnostics, ...checkProject(loaded.value).diagnostics].filter((d) => d.severity === 'error');
    if (problems.length > 0) {
      return problems.map((d) => {
        const f = files.find((x) => x.path === d.file);
        return {
          severity: 'error',
          code: 'KPI0718',
          message: `the imported ${d.file ?? 'project'} does not pass kpi check: ${d.message}`,
          ...(f ? { file: f.origin.file, span: f.origin.span } : {}),
          hint: `${d.code} at ${d.file}:${d.span?.line ?? 1}:${d.span?.column ?? 1}${d.hint ? `; ${d.hint}` : ''}`,
        };
      });
    }
    for (const f of files) {
      const target = join(out, f.path);
      mkdirSync(dirname(target), { recursive: true });
      renameSync(join(stage, f.path), target);
    }
    return [];
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}
