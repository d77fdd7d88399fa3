// The calculators' runtime reads timestamps digit by digit when they have the usual shapes, and
// with a pattern otherwise: both must give the instant written, whatever the shape.

import { describe, expect, it } from 'vitest';
import { time } from '../../generated/ts/runtime.js';

describe('runtime time()', () => {
  it('reads every accepted shape as the same UTC instant', () => {
    const at = Date.UTC(2025, 0, 3, 10, 4, 5); // 2025-01-03 10:04:05 UTC, by hand
    for (const text of ['2025-01-03T10:04:05Z', '2025-01-03 10:04:05', '2025-01-03T10:04:05', '2025-01-03 10:04:05Z', '2025-01-03T12:04:05+02:00', '2025-01-03T09:04:05-0100']) {
      expect(time(text), text).toBe(at);
    }
    expect(time('2025-01-03T10:04:05.250Z')).toBe(at + 250);
    expect(time('2025-01-03T10:04Z')).toBe(at - 5_000);
    expect(time('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(time('1999-12-31 23:59:59')).toBe(Date.UTC(1999, 11, 31, 23, 59, 59));
    expect(time(null)).toBeNull();
  });

  it('rejects text that is not a date or timestamp, in the usual lengths too', () => {
    for (const text of ['2025-01-0x', '2025/01/03', '2025-01-03X10:04:05', '2025-01-03 10-04-05', 'abcd-01-03 10:04:05Z', '']) {
      expect(() => time(text), text).toThrow(/not an ISO date or timestamp/);
    }
  });
});
