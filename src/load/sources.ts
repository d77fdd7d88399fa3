// Data schemas: schemas/sources/*.yaml → SourceDef.

import { basename } from 'node:path';
import type { Node } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { ColumnDef, ColumnType, ColumnUnit, SourceDef } from './types.js';
import { reservedName } from './names.js';
import { validateAgainst } from './validate.js';
import { keyNode, nodeAtPath, spanOfNode, type YamlFile } from './yaml.js';

interface RawColumn {
  type: ColumnType;
  unit?: ColumnUnit;
  currency?: string;
  values?: string[];
  nullable?: boolean;
  references?: string;
  description?: string;
}

interface RawSource {
  table: string;
  description?: string;
  primary_key: string;
  time?: string;
  lifespan?: { from: string; to: string };
  columns: Record<string, RawColumn>;
}

export function loadSource(yaml: YamlFile): { value: SourceDef | null; diagnostics: Diagnostic[] } {
  const data = yaml.doc.toJS() as unknown;
  const diagnostics = validateAgainst('source', yaml, data);
  if (diagnostics.length > 0) return { value: null, diagnostics };
  const raw = data as RawSource;
  const columnsNode = nodeAtPath(yaml.doc, ['columns']).node;
  const columns: ColumnDef[] = Object.entries(raw.columns).map(([name, c]) => ({
    name,
    type: c.type,
    unit: c.unit ?? null,
    currency: c.currency ?? (c.unit === 'currency' ? 'EUR' : null),
    values: c.values ?? null,
    nullable: c.nullable ?? false,
    references: c.references ?? null,
    description: c.description ?? null,
    span: spanOfNode(yaml, keyNode(yaml.doc, ['columns'], name) ?? columnsNode),
  }));
  const source: SourceDef = {
    table: raw.table,
    description: raw.description ?? null,
    primaryKey: raw.primary_key,
    time: raw.time ?? null,
    lifespan: raw.lifespan ?? null,
    columns,
    file: yaml.file,
    span: spanOfNode(yaml, nodeAtPath(yaml.doc, ['table']).node),
  };
  const named = [reservedName(source.table, 'a table name', yaml.file, source.span), ...columns.map((c) => reservedName(c.name, 'a column name', yaml.file, c.span))];
  return { value: source, diagnostics: [...fileNamed(yaml, source), ...named.filter((d): d is Diagnostic => !!d), ...checkColumnsNamed(yaml, source)] };
}

/** A source file is named after its table, as a KPI file is after its id: a stray copy cannot pass for the table. */
function fileNamed(yaml: YamlFile, s: SourceDef): Diagnostic[] {
  const expected = `${s.table}.yaml`;
  if (basename(yaml.file) === expected) return [];
  return [{ severity: 'error', code: 'KPI0118', message: `the table '${s.table}' is described in a file named '${basename(yaml.file)}'`, file: yaml.file, span: s.span, hint: `rename the file to ${expected}, or change the table name to match it` }];
}

/** The fields that name a column must name one of the table's columns, of the right kind. */
function checkColumnsNamed(yaml: YamlFile, s: SourceDef): Diagnostic[] {
  const names = s.columns.map((c) => c.name);
  const out: Diagnostic[] = [];
  const need = (path: string[], name: string, kinds: ColumnType[] | null) => {
    const col = s.columns.find((c) => c.name === name);
    const node = nodeAtPath(yaml.doc, path).node as Node | null;
    if (!col) {
      out.push({ severity: 'error', code: 'KPI0109', message: `${path.join('.')} names '${name}', which is not a column of ${s.table}`, file: yaml.file, span: spanOfNode(yaml, node), hint: didYouMean(name, names) });
    } else if (kinds && !kinds.includes(col.type)) {
      out.push({ severity: 'error', code: 'KPI0109', message: `${path.join('.')} must be a ${kinds.join(' or ')} column; '${name}' is ${col.type}`, file: yaml.file, span: spanOfNode(yaml, node) });
    }
  };
  need(['primary_key'], s.primaryKey, null);
  if (s.time) need(['time'], s.time, ['date', 'timestamp']);
  if (s.lifespan) {
    need(['lifespan', 'from'], s.lifespan.from, ['date', 'timestamp']);
    need(['lifespan', 'to'], s.lifespan.to, ['date', 'timestamp']);
  }
  for (const c of s.columns) {
    if (c.unit && c.type !== 'integer' && c.type !== 'decimal') {
      out.push({ severity: 'error', code: 'KPI0109', message: `column ${c.name} has a unit but is ${c.type}; only numeric columns carry units`, file: yaml.file, span: c.span });
    }
    if (c.values && c.type !== 'string') {
      out.push({ severity: 'error', code: 'KPI0109', message: `column ${c.name} lists allowed values but is ${c.type}; only string columns do`, file: yaml.file, span: c.span });
    }
  }
  return out;
}

/** References between tables are checked once all sources are loaded. */
export function checkReferences(sources: SourceDef[], yamls: Map<string, YamlFile>): Diagnostic[] {
  const byName = new Map(sources.map((s) => [s.table, s]));
  const out: Diagnostic[] = [];
  for (const s of sources) {
    for (const c of s.columns) {
      if (!c.references) continue;
      const target = byName.get(c.references);
      const yaml = yamls.get(s.file);
      const node = yaml ? (nodeAtPath(yaml.doc, ['columns', c.name, 'references']).node as Node | null) : null;
      const span = yaml && node ? spanOfNode(yaml, node) : c.span;
      if (!target) {
        out.push({ severity: 'error', code: 'KPI0109', message: `column ${s.table}.${c.name} references table '${c.references}', which has no schema`, file: s.file, span, hint: didYouMean(c.references, byName.keys()) });
      } else {
        const key = target.columns.find((k) => k.name === target.primaryKey);
        if (key && key.type !== c.type) {
          out.push({ severity: 'error', code: 'KPI0109', message: `column ${s.table}.${c.name} is ${c.type} but ${target.table}.${target.primaryKey}, which it references, is ${key.type}`, file: s.file, span });
        }
      }
    }
  }
  return out;
}
