// The tables the KPIs read, and the many-to-one paths between them.

import type { JoinStep } from '../plan/ir.js';
import type { ColumnDef, SourceDef } from '../load/types.js';

/** A checked table and column, as emitters see them (they never read the loader's files). */
export type Table = SourceDef;
export type Column = ColumnDef;

export interface Catalog {
  tables: Map<string, SourceDef>;
}

export function buildCatalog(sources: SourceDef[]): Catalog {
  return { tables: new Map(sources.map((s) => [s.table, s])) };
}

export function columnOf(catalog: Catalog, table: string, column: string): ColumnDef | null {
  return catalog.tables.get(table)?.columns.find((c) => c.name === column) ?? null;
}

interface Reached {
  table: string;
  path: JoinStep[];
}

/** Tables reachable from `table` through many-to-one references, breadth first: non-null references first, then column order. */
export function reachable(catalog: Catalog, table: string): Reached[] {
  const out: Reached[] = [{ table, path: [] }];
  const seen = new Set([table]);
  for (let i = 0; i < out.length; i++) {
    const { table: t, path } = out[i];
    // References that are never null come first: a path through them reaches a row for every row.
    const refs = (catalog.tables.get(t)?.columns ?? []).filter((c) => c.references);
    for (const c of [...refs.filter((r) => !r.nullable), ...refs.filter((r) => r.nullable)]) {
      if (seen.has(c.references!)) continue;
      const target = catalog.tables.get(c.references!);
      if (!target) continue;
      seen.add(target.table);
      out.push({ table: target.table, path: [...path, { fromTable: t, fkColumn: c.name, toTable: target.table, toKey: target.primaryKey }] });
    }
  }
  return out;
}

export type PathResult =
  | { kind: 'found'; path: JoinStep[]; table: string; column: ColumnDef }
  | { kind: 'missing'; reached: string[] }
  | { kind: 'ambiguous'; candidates: string[] };

/**
 * The column a dimension name reaches from `table`: `region` (the nearest table that has a column of
 * that name) or `technicians.region` (that table's column).
 */
export function findDimension(catalog: Catalog, table: string, name: string): PathResult {
  const all = reachable(catalog, table);
  const dot = name.indexOf('.');
  if (dot >= 0) {
    const [t, col] = [name.slice(0, dot), name.slice(dot + 1)];
    const r = all.find((x) => x.table === t);
    const column = r ? columnOf(catalog, t, col) : null;
    return r && column ? { kind: 'found', path: r.path, table: t, column } : { kind: 'missing', reached: all.map((x) => x.table) };
  }
  let best: (Reached & { column: ColumnDef })[] = [];
  for (const r of all) {
    const column = columnOf(catalog, r.table, name);
    if (!column) continue;
    if (best.length === 0 || r.path.length === best[0].path.length) best.push({ ...r, column });
    else break;
  }
  if (best.length === 0) return { kind: 'missing', reached: all.map((x) => x.table) };
  if (best.length > 1) return { kind: 'ambiguous', candidates: best.map((b) => `${b.table}.${name}`) };
  return { kind: 'found', path: best[0].path, table: best[0].table, column: best[0].column };
}
