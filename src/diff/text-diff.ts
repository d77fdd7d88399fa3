// A unified diff of two texts, by lines (longest common subsequence), for review comments.

type Op = { kind: ' ' | '-' | '+'; line: string };

function lineOps(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: length of the longest common subsequence of a[i:] and b[j:].
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) (ops.push({ kind: ' ', line: a[i] }), i++, j++);
    // Removed lines come before the lines that replace them, as in `diff -u`.
    else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) (ops.push({ kind: '-', line: a[i] }), i++);
    else (ops.push({ kind: '+', line: b[j] }), j++);
  }
  return ops;
}

/** Hunks with `context` unchanged lines around each change; empty when the texts are equal. */
export function unifiedDiff(before: string, after: string, context = 3): string {
  const a = before.split('\n');
  const b = after.split('\n');
  const ops = lineOps(a, b);
  const changed = ops.map((o, k) => (o.kind !== ' ' ? k : -1)).filter((k) => k >= 0);
  if (changed.length === 0) return '';
  const out: string[] = [];
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, changed[k] - context);
    let end = Math.min(ops.length, changed[k] + context + 1);
    while (k + 1 < changed.length && changed[k + 1] - context <= end) end = Math.min(ops.length, changed[++k] + context + 1);
    k++;
    const aStart = ops.slice(0, start).filter((o) => o.kind !== '+').length + 1;
    const bStart = ops.slice(0, start).filter((o) => o.kind !== '-').length + 1;
    const hunk = ops.slice(start, end);
    out.push(`@@ -${aStart},${hunk.filter((o) => o.kind !== '+').length} +${bStart},${hunk.filter((o) => o.kind !== '-').length} @@`);
    for (const o of hunk) out.push(`${o.kind}${o.line}`);
  }
  return out.join('\n');
}
