// Diagnostics for people (source snippet with the span underlined), for programs (JSON), and for
// GitHub (workflow commands that annotate the pull request's line).

import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Diagnostic } from './diagnostic.js';
import { sortDiagnostics } from './diagnostic.js';

export type DiagnosticFormat = 'text' | 'json' | 'github';

export interface RenderOptions {
  /** Where relative file names are read from, for snippets. */
  root: string;
  color?: boolean;
}

export function renderDiagnostics(diagnostics: readonly Diagnostic[], format: DiagnosticFormat, options: RenderOptions): string {
  const sorted = sortDiagnostics(diagnostics);
  switch (format) {
    case 'json':
      return `${JSON.stringify(sorted, null, 2)}\n`;
    case 'github':
      return sorted.map(githubLine).join('');
    case 'text':
      return sorted.map((d) => renderText(d, options)).join('\n');
    default: {
      const never: never = format;
      return never;
    }
  }
}

function githubEscape(s: string, property = false): string {
  let out = s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  if (property) out = out.replace(/:/g, '%3A').replace(/,/g, '%2C');
  return out;
}

function githubLine(d: Diagnostic): string {
  const kind = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
  const props: string[] = [];
  if (d.file) props.push(`file=${githubEscape(d.file, true)}`);
  if (d.span) props.push(`line=${d.span.line}`, `col=${d.span.column}`, `endColumn=${d.span.column + d.span.length}`);
  props.push(`title=${githubEscape(d.code, true)}`);
  const message = d.hint ? `${d.message}\n${d.hint}` : d.message;
  return `::${kind} ${props.join(',')}::${githubEscape(message)}\n`;
}

const fileCache = new Map<string, string[] | null>();

function sourceLines(root: string, file: string): string[] | null {
  const path = isAbsolute(file) ? file : join(root, file);
  if (!fileCache.has(path)) {
    try {
      fileCache.set(path, readFileSync(path, 'utf8').replace(/^\uFEFF/, '').split(/\r\n|\r|\n/));
    } catch {
      fileCache.set(path, null);
    }
  }
  return fileCache.get(path) ?? null;
}

function renderText(d: Diagnostic, options: RenderOptions): string {
  const paint = (code: string, s: string) => (options.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const label = d.severity === 'error' ? paint('1;31', 'error') : d.severity === 'warning' ? paint('1;33', 'warning') : paint('1;36', 'info');
  const out = [`${label}[${d.code}]: ${d.message}`];
  if (d.file) {
    const where = d.span ? `${d.file}:${d.span.line}:${d.span.column}` : d.file;
    out.push(`  --> ${where}`);
    const lines = d.span ? sourceLines(options.root, d.file) : null;
    if (d.span && lines && d.span.line <= lines.length) {
      const text = lines[d.span.line - 1].replace(/\t/g, ' ');
      const gutter = String(d.span.line).length;
      const width = Math.max(1, Math.min(d.span.length, text.length - d.span.column + 1));
      out.push(`${' '.repeat(gutter)} |`);
      out.push(`${d.span.line} | ${text}`);
      out.push(`${' '.repeat(gutter)} | ${' '.repeat(d.span.column - 1)}${paint('1;31', '^'.repeat(width))}`);
    }
  }
  if (d.hint) out.push(`  = ${paint('1', 'hint')}: ${d.hint}`);
  for (const r of d.related ?? []) out.push(`  = note: ${r.message}${r.file ? ` (${r.file}${r.span ? `:${r.span.line}:${r.span.column}` : ''})` : ''}`);
  return `${out.join('\n')}\n`;
}
