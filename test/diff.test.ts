import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../src/diff/text-diff.js';

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb', 'a\nb')).toBe('');
  });

  it('shows a changed line with its context and hunk header', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9'].join('\n');
    const after = ['1', '2', '3', '4', 'five', '6', '7', '8', '9'].join('\n');
    expect(unifiedDiff(before, after, 2)).toBe(['@@ -3,5 +3,5 @@', ' 3', ' 4', '-5', '+five', ' 6', ' 7'].join('\n'));
  });

  it('merges close changes into one hunk and keeps far ones apart', () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n');
    const lines = Array.from({ length: 20 }, (_, i) => `l${i}`);
    lines[2] = 'x';
    lines[4] = 'y';
    lines[17] = 'z';
    const diff = unifiedDiff(before, lines.join('\n'), 1);
    expect(diff.split('\n').filter((l) => l.startsWith('@@'))).toEqual(['@@ -2,5 +2,5 @@', '@@ -17,3 +17,3 @@']);
  });

  it('handles added and removed lines at the ends', () => {
    expect(unifiedDiff('a', 'a\nb', 0)).toBe(['@@ -2,0 +2,1 @@', '+b'].join('\n'));
    expect(unifiedDiff('a\nb', 'b', 0)).toBe(['@@ -1,1 +1,0 @@', '-a'].join('\n'));
  });
});
