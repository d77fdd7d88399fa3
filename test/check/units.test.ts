import { describe, expect, it } from 'vitest';
import { divideUnits, formatUnit, matchesDeclared, multiplyUnits, sameUnit } from '../../src/check/units.js';

const eur = { 'currency:EUR': 1 };
const count = { count: 1 };
const hours = { hours: 1 };

describe('units', () => {
  it('divides like quantities into a ratio and cancels per-item counts against the declared unit', () => {
    expect(divideUnits(count, count)).toEqual({});
    expect(divideUnits(eur, eur)).toEqual({});
    expect(divideUnits(eur, count)).toEqual({ 'currency:EUR': 1, count: -1 });
    expect(matchesDeclared(divideUnits(eur, count), 'currency', null)).toBe(true);
    expect(matchesDeclared(divideUnits(hours, count), 'hours', null)).toBe(true);
    expect(matchesDeclared(divideUnits(count, count), 'percent', null)).toBe(true);
  });

  it('keeps a count in the numerator: a count is not a percent', () => {
    expect(matchesDeclared(count, 'percent', null)).toBe(false);
    expect(matchesDeclared(count, 'count', null)).toBe(true);
    expect(matchesDeclared(multiplyUnits(count, count), 'count', null)).toBe(false);
  });

  it('checks the currency code when the KPI names one', () => {
    expect(matchesDeclared(eur, 'currency', 'EUR')).toBe(true);
    expect(matchesDeclared(eur, 'currency', 'USD')).toBe(false);
    expect(matchesDeclared({ 'currency:EUR': 2 }, 'currency', null)).toBe(false);
  });

  it('accepts a plain number or a score for a score KPI, and nothing else', () => {
    expect(matchesDeclared({}, 'score', null)).toBe(true);
    expect(matchesDeclared({ score: 1 }, 'score', null)).toBe(true);
    expect(matchesDeclared(hours, 'score', null)).toBe(false);
  });

  it('compares and prints units', () => {
    expect(sameUnit({ hours: 1 }, { hours: 1 })).toBe(true);
    expect(sameUnit({ hours: 1 }, { minutes: 1 })).toBe(false);
    expect(formatUnit(divideUnits(eur, count))).toBe('EUR per count');
    expect(formatUnit({})).toBe('a plain number (ratio)');
    expect(formatUnit(multiplyUnits(hours, hours))).toBe('hours^2');
  });
});
