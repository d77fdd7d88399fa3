// Reads a project: schemas/sources/*.yaml and kpis/**/*.yaml, in a fixed order.

import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import type { Diagnostic, Result } from '../diagnostics/diagnostic.js';
import { loadKpi } from './kpis.js';
import { checkReferences, loadSource } from './sources.js';
import type { KpiDef, Project, SourceDef } from './types.js';
import { parseYaml, type YamlFile } from './yaml.js';

export interface ProjectPaths {
  root: string;
  kpiDir?: string;
  sourceDir?: string;
}

/**
 * Every `.yaml`/`.yml` file under `dir`, sorted by path so the order never depends on the file
 * system. Linked folders are followed once (a link to a parent does not loop); a broken link or a
 * folder that cannot be listed is returned as a path, for readText to report.
 */
export function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const visited = new Set<string>();
  const walk = (d: string) => {
    let names: string[];
    try {
      const real = realpathSync(d);
      if (visited.has(real)) return;
      visited.add(real);
      names = readdirSync(d).sort();
    } catch {
      out.push(d);
      return;
    }
    for (const name of names) {
      const p = join(d, name);
      let isDir = false;
      try {
        isDir = statSync(p).isDirectory();
      } catch {
        // A link to nothing: reading it reports it.
      }
      if (isDir) walk(p);
      else if (/\.ya?ml$/.test(name)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

export function readText(root: string, path: string): { file: string; text: string | null; diagnostics: Diagnostic[] } {
  const file = relative(root, path).split(sep).join('/');
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'it is a link to a file that does not exist' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : code === 'ELOOP' ? 'it is a link that loops' : (e as Error).message;
    return { file, text: null, diagnostics: [{ severity: 'error', code: 'KPI0119', message: `the file cannot be read: ${why}`, file, span: { line: 1, column: 1, length: 1 }, hint: 'kpis/ and schemas/sources/ hold plain YAML files' }] };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    // A lone CR (old Mac line ends) ends a line in YAML, but the yaml package reads it as a
    // character, so a whole file would be one line: make it a LF, which keeps every offset.
    return { file, text: text.replace(/^\uFEFF/, '').replace(/\r(?!\n)/g, '\n'), diagnostics: [] };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    // Everything before the bad byte is valid UTF-8: count its characters, not its bytes.
    const before = bytes.subarray(0, bad).toString('utf8');
    const line = before.split('\n').length;
    const column = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
    return {
      file,
      text: null,
      diagnostics: [{ severity: 'error', code: 'KPI0113', message: `the file is not valid UTF-8 (byte 0x${bytes[bad].toString(16).padStart(2, '0')} at offset ${bad})`, file, span: { line, column, length: 1 }, hint: 'save the file as UTF-8' }],
    };
  }
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0) return i;
    for (let k = 1; k < len; k++) {
      if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return i;
    }
    i += len;
  }
  return 0;
}

function readYamlFile(root: string, path: string): { yaml: YamlFile | null; diagnostics: Diagnostic[] } {
  const { file, text, diagnostics } = readText(root, path);
  if (text === null) return { yaml: null, diagnostics };
  const parsed = parseYaml(file, text);
  if (parsed.diagnostics.some((d) => d.severity === 'error')) return { yaml: null, diagnostics: parsed.diagnostics };
  if (parsed.yaml.doc.contents === null) {
    return { yaml: null, diagnostics: [{ severity: 'error', code: 'KPI0115', message: 'the file is empty', file, span: { line: 1, column: 1, length: 1 } }] };
  }
  return { yaml: parsed.yaml, diagnostics: parsed.diagnostics };
}

function namedAfterTable(s: SourceDef): boolean {
  return basename(s.file) === `${s.table}.yaml`;
}

export function loadProject(paths: ProjectPaths): Result<Project> {
  const root = paths.root;
  const sourceDir = paths.sourceDir ?? join(root, 'schemas', 'sources');
  const kpiDir = paths.kpiDir ?? join(root, 'kpis');
  const diagnostics: Diagnostic[] = [];
  const sources: SourceDef[] = [];
  const sourceYamls = new Map<string, YamlFile>();
  const tables = new Map<string, SourceDef>();
  for (const path of yamlFiles(sourceDir)) {
    const { yaml, diagnostics: ds } = readYamlFile(root, path);
    diagnostics.push(...ds);
    if (!yaml) continue;
    const { value, diagnostics: ds2 } = loadSource(yaml);
    diagnostics.push(...ds2);
    if (!value) continue;
    const dup = tables.get(value.table);
    // Of two descriptions of a table, the one in the file named after it is the table's (KPI0118
    // reports the other file), so a stray copy cannot shadow it, whichever sorts first.
    const [kept, dropped] = dup && namedAfterTable(value) && !namedAfterTable(dup) ? [value, dup] : [dup, value];
    if (kept && dropped) {
      diagnostics.push({ severity: 'error', code: 'KPI0112', message: `table '${value.table}' is described twice`, file: dropped.file, span: dropped.span, related: [{ message: 'also described here', file: kept.file, span: kept.span }] });
      if (kept === dup) continue;
      sources.splice(sources.indexOf(dup!), 1);
    }
    tables.set(value.table, value);
    sources.push(value);
    sourceYamls.set(value.file, yaml);
  }
  diagnostics.push(...checkReferences(sources, sourceYamls));
  const kpis: KpiDef[] = [];
  const ids = new Map<string, KpiDef>();
  const reportedDup = new Set<KpiDef>();
  for (const path of yamlFiles(kpiDir)) {
    const { yaml, diagnostics: ds } = readYamlFile(root, path);
    diagnostics.push(...ds);
    if (!yaml) continue;
    const { value, diagnostics: ds2 } = loadKpi(yaml);
    diagnostics.push(...ds2);
    if (!value) continue;
    const dup = ids.get(value.id.value);
    if (dup) {
      // Both files: which one a pull request added, only the reader knows.
      for (const [here, there] of [[value, dup], [dup, value]]) {
        if (here === dup && reportedDup.has(dup)) continue;
        diagnostics.push({ severity: 'error', code: 'KPI0111', message: `KPI id '${value.id.value}' is used by two files`, file: here.file, span: here.id.span, related: [{ message: 'also used here', file: there.file, span: there.id.span }], hint: 'KPI ids are unique across kpis/: rename one' });
      }
      reportedDup.add(dup);
      continue;
    }
    ids.set(value.id.value, value);
    kpis.push(value);
  }
  kpis.sort((a, b) => a.id.value.localeCompare(b.id.value));
  sources.sort((a, b) => a.table.localeCompare(b.table));
  return { value: { root, sources, kpis }, diagnostics };
}
