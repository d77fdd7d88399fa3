// Names that formulas refer to (KPI ids, measures, tables, columns) must be names the formula
// language can write: a reserved word such as `end` or `case` cannot be.

import type { Diagnostic, FileSpan } from '../diagnostics/diagnostic.js';
import { keywords } from '../lang/tokens.js';

export function reservedName(name: string, what: string, file: string, span: FileSpan): Diagnostic | undefined {
  const word = name.toLowerCase();
  if (!keywords.includes(word)) return undefined;
  return {
    severity: 'error',
    code: 'KPI0116',
    message: `'${name}' is a reserved word of the formula language, so it cannot be ${what}`,
    file,
    span,
    hint: `formulas could not name it; choose another name (the reserved words are ${keywords.join(', ')})`,
  };
}
