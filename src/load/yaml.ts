// YAML documents that remember where every value came from.

import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic, FileSpan, TextOrigin } from '../diagnostics/diagnostic.js';

export interface YamlFile {
  file: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

export function spanOfOffsets(lines: LineCounter, start: number, end: number): FileSpan {
  const pos = lines.linePos(start);
  return { line: pos.line, column: pos.col, length: Math.max(1, end - start) };
}

/** Reads a YAML file's text; syntax errors (tabs, duplicate keys, bad indentation) become diagnostics. */
export function parseYaml(file: string, text: string): { yaml: YamlFile; diagnostics: Diagnostic[] } {
  const lines = new LineCounter();
  const doc = withPlainEnv(() => parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true }));
  const diagnostics: Diagnostic[] = [];
  for (const err of [...doc.errors, ...doc.warnings]) {
    const [start, end] = err.pos;
    const duplicate = err.code === 'DUPLICATE_KEY';
    const tab = err.code === 'TAB_AS_INDENT' || /tab/i.test(err.message);
    diagnostics.push({
      severity: doc.errors.includes(err) ? 'error' : 'warning',
      code: duplicate ? 'KPI0102' : 'KPI0101',
      message: duplicate
        ? `this key appears twice in the same mapping`
        : `the YAML cannot be read: ${firstLine(err.message)}`,
      file,
      span: spanOfOffsets(lines, start, Math.max(end, start + 1)),
      hint: duplicate
        ? 'remove one of the two entries, or rename one'
        : tab
          ? 'YAML indents with spaces only; replace the tab characters with spaces'
          : 'check the indentation and the quoting on this line',
    });
  }
  return { yaml: { file, text, doc, lines }, diagnostics };
}

/**
 * The yaml package reads `process.env.LOG_TOKENS` for every token it lexes, and `process.env` is a
 * slow native lookup in Node: parsing with a plain copy in its place makes loading a quarter faster.
 */
function withPlainEnv<T>(parse: () => T): T {
  const env = process.env;
  process.env = { ...env };
  try {
    return parse();
  } finally {
    process.env = env;
  }
}

function firstLine(message: string): string {
  const line = message.split('\n')[0].trim();
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

/** The value node at a JSON path (`/measures/completed`), or the nearest existing ancestor. */
export function nodeAtPath(doc: Document.Parsed, path: readonly (string | number)[]): { node: Node | null; key: Node | null } {
  let node: Node | null = doc.contents as Node | null;
  let key: Node | null = null;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(part));
      if (!pair) break;
      key = pair.key as Node;
      node = pair.value as Node | null;
    } else if (isSeq(node)) {
      const item = node.items[Number(part)];
      if (item === undefined) break;
      key = null;
      node = item as Node;
    } else {
      break;
    }
  }
  return { node, key };
}

/** The key node of `prop` in the mapping at `path`. */
export function keyNode(doc: Document.Parsed, path: readonly (string | number)[], prop: string): Node | null {
  const { node } = nodeAtPath(doc, path);
  if (!isMap(node)) return null;
  const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === prop);
  return pair ? (pair.key as Node) : null;
}

export function spanOfNode(yaml: YamlFile, node: Node | null | undefined): FileSpan {
  if (!node || !node.range) return { line: 1, column: 1, length: 1 };
  const [start, valueEnd] = node.range;
  // A collection's span is its first line only: underlining a whole block helps nobody.
  const text = yaml.text.slice(start, valueEnd);
  const nl = text.indexOf('\n');
  return spanOfOffsets(yaml.lines, start, nl >= 0 ? start + nl : valueEnd);
}

/**
 * Maps offsets inside a scalar's value to file positions. Plain, quoted and block scalars all keep
 * the value's characters in order in the source, so a greedy alignment finds each one; characters
 * the source spells differently (an escape) map to the last aligned place.
 */
export function scalarOrigin(yaml: YamlFile, node: Node, value: string): TextOrigin {
  const [rangeStart, end] = node.range ?? [0, 0];
  const block = isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED');
  const nl = yaml.text.indexOf('\n', rangeStart);
  const start = block && nl >= 0 && nl < end ? nl + 1 : rangeStart;
  const map = new Array<number>(value.length + 1);
  let s = start;
  for (let i = 0; i < value.length; i++) {
    let j = s;
    while (j < end && yaml.text[j] !== value[i]) j++;
    if (j < end) {
      map[i] = j;
      s = j + 1;
    } else {
      map[i] = Math.max(start, Math.min(s, end - 1));
    }
  }
  map[value.length] = value.length > 0 ? map[value.length - 1] + 1 : start;
  // The origin outlives loading (the checker reports through it): it keeps the line offsets, not
  // the file's text and YAML document, which would hold every file of a project in memory.
  const lines = yaml.lines;
  const length = value.length;
  return {
    file: yaml.file,
    locate(offset) {
      const at = map[Math.max(0, Math.min(offset, length))];
      const pos = lines.linePos(at);
      return { line: pos.line, column: pos.col };
    },
  };
}
