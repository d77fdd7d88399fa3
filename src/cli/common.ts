// What every command shares: the project root, the diagnostics format, and how failure is reported.

import { Option } from 'commander';
import { resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { renderDiagnostics, type DiagnosticFormat } from '../diagnostics/render.js';
import { compileProject } from '../index.js';
import type { CheckedProject } from '../check/check.js';

export interface CommonOptions {
  root: string;
  diagnostics: DiagnosticFormat;
}

export const rootOption = () => new Option('--root <dir>', 'the project folder (holding kpis/ and schemas/)').default('.');
export const diagnosticsOption = () => new Option('--diagnostics <format>', 'how problems are printed').choices(['text', 'json', 'github']).default('text');

/** A failure the command already explained: the CLI exits with this code and prints nothing more. */
export class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export function report(diagnostics: Diagnostic[], opts: CommonOptions): void {
  if (diagnostics.length === 0) return;
  const text = renderDiagnostics(diagnostics, opts.diagnostics, { root: resolve(opts.root), color: opts.diagnostics === 'text' && process.stderr.isTTY });
  (opts.diagnostics === 'json' ? process.stdout : process.stderr).write(text);
}

/** Prints the diagnostics; stops with exit code 1 if any is an error. */
export function orExit(diagnostics: Diagnostic[], opts: CommonOptions): void {
  report(diagnostics, opts);
  if (hasErrors(diagnostics)) throw new Exit(1);
}

export function usageError(message: string, hint?: string): Diagnostic {
  return { severity: 'error', code: 'KPI0504', message, hint };
}

/** The checked project; any error is printed and stops the command (exit 1). */
export function loadChecked(opts: CommonOptions): CheckedProject {
  const result = compileProject(resolve(opts.root));
  orExit(result.diagnostics, opts);
  return result.value;
}
