// A value written into SQL text: the form both dialects share, with each dialect's own way of
// writing a string and a number.

import type { ValueType } from '../../plan/ir.js';

export interface LiteralText {
  string(s: string): string;
  number(n: number): string;
}

export function writeLiteral(value: number | string | boolean | null, type: ValueType, text: LiteralText): string {
  if (value === null) return 'NULL';
  switch (type) {
    case 'number':
      return text.number(value as number);
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    case 'date':
      return `DATE ${text.string(String(value))}`;
    case 'timestamp':
      return `TIMESTAMP ${text.string(String(value).replace('T', ' ').replace(/Z$/, ''))}`;
    default:
      return text.string(String(value));
  }
}
