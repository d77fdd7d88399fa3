// Geometry for the site's pictures, computed at build time so the pages need no chart library: a
// trend line through a KPI's recent values, and the lineage graph laid out in layers. Only numbers
// and ids come out of here; the templates draw them (and escape every label).

import { compare } from '../docs/content.js';

/** Coordinates are rounded to a tenth of a pixel, so the same values always give the same text. */
function round(n: number): number {
  return Math.round(n * 10) / 10;
}

// ---- the trend chart ----

export interface Box {
  width: number;
  height: number;
  /** Space kept free on every side, so dots at the edges are not cut. */
  pad: number;
}

export interface Trend {
  /** One dot per period that has a value; `index` is the period's place in the input. */
  dots: { index: number; x: number; y: number }[];
  /** Runs of consecutive values, as SVG polyline points ("x,y x,y"); a missing value breaks the line. */
  lines: string[];
}

/**
 * Periods are spaced evenly across the box, oldest on the left, whether or not they have a value; the
 * values span the box's height, largest at the top. A single value, or all equal, sit at mid-height.
 */
export function trend(values: (number | null)[], box: Box): Trend {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const [min, max] = [Math.min(...present), Math.max(...present)];
  const inner = { width: box.width - 2 * box.pad, height: box.height - 2 * box.pad };
  const x = (i: number) => round(values.length === 1 ? box.width / 2 : box.pad + (i * inner.width) / (values.length - 1));
  const y = (v: number) => round(max === min ? box.height / 2 : box.pad + ((max - v) * inner.height) / (max - min));
  const dots: Trend['dots'] = [];
  const lines: string[] = [];
  let run: string[] = [];
  values.forEach((v, index) => {
    if (v === null || !Number.isFinite(v)) {
      if (run.length > 1) lines.push(run.join(' '));
      run = [];
      return;
    }
    const dot = { index, x: x(index), y: y(v) };
    dots.push(dot);
    run.push(`${dot.x},${dot.y}`);
  });
  if (run.length > 1) lines.push(run.join(' '));
  return { dots, lines };
}

// ---- the lineage graph ----

export interface LineageInput {
  tables: string[];
  kpis: { id: string; label: string; reads: string[]; dependsOn: string[] }[];
}

export interface LineageNode {
  /** `table:<name>` or `kpi:<id>`: a table and a KPI may share a name. */
  key: string;
  kind: 'table' | 'kpi';
  name: string;
  label: string;
  layer: number;
  x: number;
  y: number;
}

export interface LineageEdge {
  from: string;
  to: string;
  /** An SVG path from the right side of `from` to the left side of `to`. */
  path: string;
}

export interface LineageLayout {
  width: number;
  height: number;
  node: { width: number; height: number };
  nodes: LineageNode[];
  edges: LineageEdge[];
}

const NODE = { width: 210, height: 22 };
const GAP = { x: 90, y: 8 };
const MARGIN = 10;
const SWEEPS = 4;

/**
 * Tables in the first column; each KPI one column right of the furthest KPI it builds on. Within a
 * column, nodes are ordered by the mean height of their neighbours (a few sweeps down and up, ties by
 * name), then placed as near that height as their order allows, which keeps edges short without any
 * randomness.
 */
export function layoutLineage(input: LineageInput): LineageLayout {
  const layerOf = kpiLayers(input.kpis);
  const nodes: LineageNode[] = [
    ...[...input.tables].sort(compare).map((t) => ({ key: `table:${t}`, kind: 'table' as const, name: t, label: t, layer: 0, x: 0, y: 0 })),
    ...[...input.kpis].sort((a, b) => compare(a.id, b.id)).map((k) => ({ key: `kpi:${k.id}`, kind: 'kpi' as const, name: k.id, label: k.label, layer: layerOf.get(k.id)!, x: 0, y: 0 })),
  ];
  const edges: { from: string; to: string }[] = [];
  for (const k of [...input.kpis].sort((a, b) => compare(a.id, b.id))) {
    for (const t of [...new Set(k.reads)].sort(compare)) edges.push({ from: `table:${t}`, to: `kpi:${k.id}` });
    for (const d of [...new Set(k.dependsOn)].sort(compare)) edges.push({ from: `kpi:${d}`, to: `kpi:${k.id}` });
  }
  const layerCount = Math.max(0, ...nodes.map((n) => n.layer)) + 1;
  const layers: LineageNode[][] = Array.from({ length: layerCount }, (_, i) => nodes.filter((n) => n.layer === i));
  const tallest = Math.max(0, ...layers.map((l) => l.length));
  const rowHeight = NODE.height + GAP.y;
  const place = () => {
    for (const layer of layers) {
      const offset = ((tallest - layer.length) * rowHeight) / 2;
      layer.forEach((n, i) => {
        n.x = MARGIN + n.layer * (NODE.width + GAP.x);
        n.y = round(MARGIN + offset + i * rowHeight);
      });
    }
  };
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  const before = (n: LineageNode) => edges.filter((e) => e.to === n.key).map((e) => byKey.get(e.from)!.y);
  const after = (n: LineageNode) => edges.filter((e) => e.from === n.key).map((e) => byKey.get(e.to)!.y);
  const reorder = (layer: LineageNode[], neighbours: (n: LineageNode) => number[]) => {
    const rank = new Map(layer.map((n) => {
      const ys = neighbours(n);
      return [n.key, ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : n.y] as const;
    }));
    layer.sort((a, b) => rank.get(a.key)! - rank.get(b.key)! || compare(a.name, b.name));
    place();
  };
  place();
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    for (let i = 1; i < layerCount; i++) reorder(layers[i], before);
    for (let i = layerCount - 2; i >= 0; i--) reorder(layers[i], after);
  }
  for (let i = 1; i < layerCount; i++) reorder(layers[i], before);
  // Heights: the tallest column stays stacked; the others move towards their neighbours, leftwards
  // of it towards what they feed, rightwards towards what they read, keeping their order.
  const tall = layers.findIndex((l) => l.length === tallest);
  const bottom = MARGIN + (tallest - 1) * rowHeight;
  const settle = (layer: LineageNode[], neighbours: (n: LineageNode) => number[]) => {
    const wanted = layer.map((n) => {
      const ys = neighbours(n);
      return ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : n.y;
    });
    layer.forEach((n, i) => (n.y = Math.max(wanted[i], i === 0 ? MARGIN : layer[i - 1].y + rowHeight)));
    for (let i = layer.length - 1; i >= 0; i--) layer[i].y = round(Math.min(layer[i].y, i === layer.length - 1 ? bottom : layer[i + 1].y - rowHeight));
  };
  for (let i = tall - 1; i >= 0; i--) settle(layers[i], after);
  for (let i = tall + 1; i < layerCount; i++) settle(layers[i], before);
  return {
    width: MARGIN * 2 + layerCount * NODE.width + (layerCount - 1) * GAP.x,
    height: MARGIN * 2 + tallest * rowHeight - GAP.y,
    node: NODE,
    nodes: layers.flat(),
    edges: edges.map((e) => ({ ...e, path: edgePath(byKey.get(e.from)!, byKey.get(e.to)!) })),
  };
}

/** Each KPI's column: 1 for a KPI that builds on no other, else one more than its furthest dependency. */
function kpiLayers(kpis: LineageInput['kpis']): Map<string, number> {
  const deps = new Map(kpis.map((k) => [k.id, k.dependsOn.filter((d) => kpis.some((o) => o.id === d))]));
  const layer = new Map<string, number>();
  const visit = (id: string, path: Set<string>): number => {
    const known = layer.get(id);
    if (known !== undefined) return known;
    // The checker rejects cycles; this only keeps a malformed input from looping.
    if (path.has(id)) return 1;
    path.add(id);
    const l = 1 + Math.max(0, ...deps.get(id)!.map((d) => visit(d, path)));
    path.delete(id);
    layer.set(id, l);
    return l;
  };
  for (const k of kpis) visit(k.id, new Set());
  return layer;
}

function edgePath(from: LineageNode, to: LineageNode): string {
  const [x1, y1] = [from.x + NODE.width, round(from.y + NODE.height / 2)];
  const [x2, y2] = [to.x, round(to.y + NODE.height / 2)];
  const mid = round((x1 + x2) / 2);
  return `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`;
}
