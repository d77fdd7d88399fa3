// Builds a project of N KPIs for the compile benchmark from the catalog itself: copies of the 51
// catalog files, each copy's ids suffixed (`arpu` → `arpu_c0003`) and its references (formula,
// measures, related) pointing at KPIs of the same copy. So the mix is exactly the catalog's:
// filtered ratios, cross-table ratios, snapshots at end/start/during, previous-period, KPI
// references, with descriptions, fixtures and targets of real length. In a partial last copy, a
// reference to a KPI left out points at the first copy's.

import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { yamlFiles } from '../src/load/project.js';

export interface CatalogFile {
  /** Path under kpis/, such as `tactical/first_time_fix_rate.yaml`. */
  path: string;
  id: string;
  text: string;
}

export function readCatalog(root: string): CatalogFile[] {
  const dir = join(root, 'kpis');
  return yamlFiles(dir).map((file) => ({ path: relative(dir, file), id: basename(file).replace(/\.ya?ml$/, ''), text: readFileSync(file, 'utf8') }));
}

const copyId = (id: string, copy: number) => `${id}_c${String(copy).padStart(4, '0')}`;

/** The catalog's files for N KPIs: path (under kpis/) → text. */
export function generatedKpis(catalog: CatalogFile[], n: number): Map<string, string> {
  const ids = catalog.map((f) => f.id);
  // Longest first, so that an id that is a prefix of another is never matched inside it.
  const pattern = new RegExp(`\\b(${[...ids].sort((a, b) => b.length - a.length).join('|')})\\b`, 'g');
  const out = new Map<string, string>();
  const copies = Math.ceil(n / catalog.length);
  for (let c = 0; c < copies; c++) {
    const included = new Set(ids.slice(0, Math.min(catalog.length, n - c * catalog.length)));
    for (const f of catalog) {
      if (!included.has(f.id)) continue;
      const text = f.text.replace(pattern, (id: string) => copyId(id, included.has(id) ? c : 0));
      out.set(join(dirname(f.path), `${copyId(f.id, c)}.yaml`), text);
    }
  }
  return out;
}

/** Writes a project folder holding the repository's schemas and N generated KPIs. */
export function writeKpiProject(root: string, dir: string, n: number): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(join(root, 'schemas'), join(dir, 'schemas'), { recursive: true });
  for (const [path, text] of generatedKpis(readCatalog(root), n)) {
    const file = join(dir, 'kpis', path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}
