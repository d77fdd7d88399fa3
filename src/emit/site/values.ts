// The recent values of a KPI on the site: each period's value as text with its status against the
// target, the trend chart and the sparkline, and the line that says up to when the values go.

import type { CheckedKpi } from '../../check/check.js';
import type { Grain } from '../../plan/ir.js';
import { formatValue, statusOf, STATUS_MARK, type Status } from '../../run/format.js';
import { compare } from '../docs/content.js';
import { trend, type Box } from './svg.js';

/** A KPI's values in consecutive periods at its grain, oldest first. */
export interface KpiSeries {
  grain: Grain;
  points: { period: string; value: number | null }[];
}

interface ValueCell {
  period: string;
  value: string;
  status: Status | null;
  statusText: string;
}

interface ChartView {
  className: string;
  width: number;
  height: number;
  /** The dots' radius. */
  r: number;
  lines: string[];
  dots: { x: number; y: number; status: string; title: string }[];
  label: string;
}

export interface ValuesView {
  cells: ValueCell[];
  latest: ValueCell | null;
  chart: ChartView;
  small: ChartView;
}

const STATUS_WORDS: Record<Status, string> = { good: 'good', warn: 'warning', bad: 'bad' };

/** A KPI value as people read it; a currency other than the runner's default (€) is named. */
function valueText(k: CheckedKpi, v: number | null): string {
  const s = formatValue(v, k.def.unit.value);
  if (v === null || k.def.unit.value !== 'currency' || !k.def.currency || k.def.currency === 'EUR') return s;
  return `${s.replace('€', '')} ${k.def.currency}`;
}

/** "2025 Q4", "2025-12", "week of 2025-12-01", "2025-12-31", "2025". */
export function periodLabel(period: string, grain: Grain): string {
  const [y, m] = period.split('-').map(Number);
  switch (grain) {
    case 'year':
      return String(y);
    case 'quarter':
      return `${y} Q${Math.floor((m - 1) / 3) + 1}`;
    case 'month':
      return period.slice(0, 7);
    case 'week':
      return `week of ${period.slice(0, 10)}`;
    case 'day':
      return period.slice(0, 10);
    default: {
      const never: never = grain;
      return never;
    }
  }
}

const CHART: Box = { width: 320, height: 80, pad: 6 };
const SMALL: Box = { width: 96, height: 24, pad: 3 };

export function valuesView(k: CheckedKpi, series: KpiSeries | undefined): ValuesView | null {
  if (!series || series.points.length === 0) return null;
  const cells = series.points.map((p): ValueCell => {
    const status = statusOf(p.value, k.def.target, k.def.better);
    return { period: periodLabel(p.period, series.grain), value: valueText(k, p.value), status, statusText: status ? `${STATUS_MARK[status]} ${STATUS_WORDS[status]}` : '' };
  });
  const last = series.points.map((p) => p.value !== null).lastIndexOf(true);
  const chart = (box: Box, className: string, r: number): ChartView => {
    const t = trend(series.points.map((p) => p.value), box);
    return {
      className,
      width: box.width,
      height: box.height,
      r,
      lines: t.lines,
      dots: t.dots.map((d) => ({ x: d.x, y: d.y, status: cells[d.index].status ?? 'none', title: `${cells[d.index].period}: ${cells[d.index].value}` })),
      label: `${k.def.name}, the last ${cells.length} periods: ${cells.map((c) => `${c.period} ${c.value}`).join(', ')}`,
    };
  };
  return { cells, latest: last < 0 ? null : cells[last], chart: chart(CHART, 'trend', 3), small: chart(SMALL, 'spark', 1.5) };
}

/** "quarter: up to 2025 Q4; month: up to 2025-12", for the pages that say where values come from. */
export function asOf(series: Map<string, KpiSeries>): string {
  const last = new Map<Grain, string>();
  for (const s of series.values()) if (s.points.length) last.set(s.grain, periodLabel(s.points[s.points.length - 1].period, s.grain));
  const adjective: Record<Grain, string> = { day: 'daily', week: 'weekly', month: 'monthly', quarter: 'quarterly', year: 'yearly' };
  return [...last.entries()].sort(([a], [b]) => compare(a, b)).map(([g, p]) => `${adjective[g]} KPIs up to ${p}`).join(', ');
}
