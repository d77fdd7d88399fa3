// The one diagnostic type every stage returns. Stages never throw on bad input:
// they return `{ value, diagnostics }` and the CLI decides the exit code.

export type Severity = 'error' | 'warning' | 'info';

/** A place in a file: 1-based line and column, length in characters (at least 1). */
export interface FileSpan {
  line: number;
  column: number;
  length: number;
}

export interface Related {
  message: string;
  file?: string;
  span?: FileSpan;
}

export interface Diagnostic {
  severity: Severity;
  /** A stable id such as `KPI0203`; listed in docs/diagnostics.md. */
  code: string;
  message: string;
  file?: string;
  span?: FileSpan;
  hint?: string;
  related?: Related[];
}

/** Offsets into a piece of text (a formula), end exclusive. */
export interface TextSpan {
  start: number;
  end: number;
}

/**
 * Where a piece of text (a formula inside a YAML file, a `--where` option) came from:
 * maps an offset inside the text to a line and column of the file it sits in.
 */
export interface TextOrigin {
  file: string;
  locate(offset: number): { line: number; column: number };
}

export interface Result<T> {
  value: T;
  diagnostics: Diagnostic[];
}

/** An origin for text that is a file of its own, or a command-line option (file `<--where>`). */
export function plainOrigin(file: string, text: string): TextOrigin {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  return {
    file,
    locate(offset) {
      let line = 0;
      while (line + 1 < lineStarts.length && lineStarts[line + 1] <= offset) line++;
      return { line: line + 1, column: offset - lineStarts[line] + 1 };
    },
  };
}

/** A diagnostic for a span of text whose origin is known. */
export function diagnosticAt(
  origin: TextOrigin,
  span: TextSpan,
  severity: Severity,
  code: string,
  message: string,
  hint?: string,
): Diagnostic {
  const { line, column } = origin.locate(span.start);
  const d: Diagnostic = {
    severity,
    code,
    message,
    file: origin.file,
    span: { line, column, length: Math.max(1, span.end - span.start) },
  };
  if (hint !== undefined) d.hint = hint;
  return d;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sorted by file, line, column, code: the order diagnostics are shown in. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.span?.line ?? 0) - (b.span?.line ?? 0) ||
      (a.span?.column ?? 0) - (b.span?.column ?? 0) ||
      a.code.localeCompare(b.code),
  );
}
