// Units as products of base units with integer exponents: currency:EUR / count is "EUR per item".

import type { ColumnDef, KpiUnit } from '../load/types.js';

export type Unit = Readonly<Record<string, number>>;

export const DIMENSIONLESS: Unit = Object.freeze({});

export function unitOfColumn(c: ColumnDef): Unit {
  switch (c.unit) {
    case null:
    case 'ratio':
      return DIMENSIONLESS;
    case 'currency':
      return { [`currency:${c.currency ?? 'EUR'}`]: 1 };
    default:
      return { [c.unit]: 1 };
  }
}

function combine(a: Unit, b: Unit, sign: 1 | -1): Unit {
  const out: Record<string, number> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const e = (out[k] ?? 0) + sign * v;
    if (e === 0) delete out[k];
    else out[k] = e;
  }
  return out;
}

export const multiplyUnits = (a: Unit, b: Unit): Unit => combine(a, b, 1);
export const divideUnits = (a: Unit, b: Unit): Unit => combine(a, b, -1);

export function sameUnit(a: Unit, b: Unit): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

export function formatUnit(u: Unit): string {
  const entries = Object.entries(u).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return 'a plain number (ratio)';
  const name = (k: string) => (k.startsWith('currency:') ? k.slice('currency:'.length) : k);
  const num = entries.filter(([, e]) => e > 0).map(([k, e]) => (e === 1 ? name(k) : `${name(k)}^${e}`));
  const den = entries.filter(([, e]) => e < 0).map(([k, e]) => (e === -1 ? name(k) : `${name(k)}^${-e}`));
  return `${num.length ? num.join('·') : '1'}${den.length ? ` per ${den.join('·')}` : ''}`;
}

/**
 * Does a formula's unit match the unit a KPI declares? "Per item" (count in the denominator)
 * cancels: cost ÷ work orders is a currency, hours ÷ technicians is hours, count ÷ count a ratio.
 */
export function matchesDeclared(u: Unit, declared: KpiUnit, currency: string | null): boolean {
  const n: Record<string, number> = {};
  for (const [k, e] of Object.entries(u)) if (!(k === 'count' && e < 0)) n[k] = e;
  const keys = Object.keys(n);
  switch (declared) {
    case 'percent':
    case 'ratio':
      return keys.length === 0;
    case 'score':
      return keys.length === 0 || (keys.length === 1 && n.score === 1);
    case 'count':
    case 'hours':
    case 'minutes':
    case 'days':
      return keys.length === 1 && n[declared] === 1;
    case 'currency':
      return keys.length === 1 && keys[0].startsWith('currency:') && n[keys[0]] === 1 && (currency === null || keys[0] === `currency:${currency}`);
    default: {
      const never: never = declared;
      return never;
    }
  }
}
