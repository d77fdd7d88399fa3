// How large a KPI may grow once its measures and the KPIs it builds on are written out. The
// checker inlines both (docs/decisions.md), so a chain of measures is as deep as their formulas
// together, and a measure used twice by one used twice ... doubles at each step: without a bound,
// forty lines of YAML would make every later stage walk a tree of a trillion nodes.

import { children, type Expr } from '../lang/ast.js';
import { MAX_TREE_DEPTH } from '../lang/parse.js';
import type { IrExpr } from '../plan/ir.js';
import { irChildren } from './check.js';

/** Levels of an expression with its measures written out: the same bound as one formula's. */
export const MAX_EXPANDED_DEPTH = MAX_TREE_DEPTH;
/** Nodes of a KPI's expression written out in full; the catalog's largest has 54. */
export const MAX_EXPANDED_SIZE = 5_000;

/** Levels of a formula's syntax tree, counted without recursion. */
export function exprDepth(root: Expr): number {
  let max = 0;
  const stack: Array<{ e: Expr; depth: number }> = [{ e: root, depth: 1 }];
  while (stack.length > 0) {
    const { e, depth } = stack.pop()!;
    max = Math.max(max, depth);
    for (const c of children(e)) stack.push({ e: c, depth: depth + 1 });
  }
  return max;
}

const sizes = new WeakMap<IrExpr, { size: number; depth: number }>();

/**
 * Nodes and levels of an IR tree written out in full. Measures and KPIs are shared subtrees, so
 * this counts each shared object once (memoised) while adding its size wherever it is used.
 */
export function expandedSize(e: IrExpr): { size: number; depth: number } {
  const known = sizes.get(e);
  if (known) return known;
  let size = 1;
  let depth = 1;
  for (const c of irChildren(e)) {
    const s = expandedSize(c);
    size = Math.min(Number.MAX_SAFE_INTEGER, size + s.size);
    depth = Math.max(depth, s.depth + 1);
  }
  const result = { size, depth };
  sizes.set(e, result);
  return result;
}
