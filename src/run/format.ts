// Results as a table for people, CSV for spreadsheets, JSON for programs.

import type { Cell, Row } from './engine.js';

export type Format = 'table' | 'csv' | 'json';

function shown(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(4);
  return String(v);
}

export function formatRows(rows: Row[], columns: string[], format: Format): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null]))), null, 2)}\n`;
    case 'csv':
      return [columns.map(csvCell).join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c] ?? null)).join(','))].join('\n') + '\n';
    case 'table': {
      const cells = rows.map((r) => columns.map((c) => shown(r[c] ?? null)));
      const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
      const numeric = columns.map((c) => rows.some((r) => typeof r[c] === 'number'));
      const line = (vals: string[]) => vals.map((v, i) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd();
      return [line(columns), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)].join('\n') + '\n';
    }
    default: {
      const never: never = format;
      return never;
    }
  }
}

function csvCell(v: Cell | string): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A KPI value as people read it: 77.1%, €1,234, 12.3 h. */
export function formatValue(v: number | null, unit: string): string {
  if (v === null || !Number.isFinite(v)) return '–';
  const grouped = (x: number, digits: number) => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  switch (unit) {
    case 'percent':
      // 99.96% must not read as 100.0%: near 100, show the digit that matters.
      return `${grouped(v * 100, Math.abs(v) >= 0.99 && Math.abs(v) < 1 ? 2 : 1)}%`;
    case 'currency':
      return `€${grouped(v, Math.abs(v) >= 100 ? 0 : 2)}`;
    case 'hours':
      return `${grouped(v, 1)} h`;
    case 'minutes':
      return `${grouped(v, 1)} min`;
    case 'days':
      return `${grouped(v, 1)} d`;
    case 'count':
      return grouped(v, Number.isInteger(v) ? 0 : 1);
    case 'score':
      return grouped(v, 1);
    default:
      return grouped(v, 2);
  }
}

export type Status = 'good' | 'warn' | 'bad';

export function statusOf(v: number | null, target: { good: number; warn: number } | null, better: 'higher' | 'lower'): Status | null {
  if (v === null || !target) return null;
  if (better === 'higher') return v >= target.good ? 'good' : v >= target.warn ? 'warn' : 'bad';
  return v <= target.good ? 'good' : v <= target.warn ? 'warn' : 'bad';
}

export const STATUS_MARK: Record<Status, string> = { good: '✓', warn: '!', bad: '✗' };
