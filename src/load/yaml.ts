// YAML documents that remember where every value came from.

import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Parser, type CST, type Document, type Node } from 'yaml';
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

/** Collections nested deeper than this are refused: KPI files need 6 levels, and deeper input overflows the YAML reader's stack. */
export const MAX_YAML_DEPTH = 64;
/** More YAML errors than this in one file are not shown: past that, they are one mistake's echoes. */
const MAX_YAML_ERRORS = 20;

/**
 * Reads a YAML file's text; syntax errors (tabs, duplicate keys, bad indentation) become diagnostics,
 * as do inputs that would exhaust the reader (deep nesting, alias bombs) and numbers no double holds.
 */
export function parseYaml(file: string, raw: string): { yaml: YamlFile; diagnostics: Diagnostic[] } {
  // A lone CR (old Mac line ends) ends a line in YAML, but the yaml package reads it as a
  // character: make it a LF, which keeps every offset, whoever hands the text in.
  const text = raw.replace(/\r(?!\n)/g, '\n');
  const lines = new LineCounter();
  const tooDeep = firstTooDeep(text);
  if (tooDeep !== undefined) {
    const doc = parseDocument('', { lineCounter: new LineCounter() });
    lines.addNewLine(0);
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
    const span = spanOfOffsets(lines, tooDeep, tooDeep + 1);
    return {
      yaml: { file, text, doc, lines },
      diagnostics: [{ severity: 'error', code: 'KPI0117', message: `the YAML nests more than ${MAX_YAML_DEPTH} levels deep here`, file, span, hint: 'a KPI file needs a few levels: a list of fixtures, their tables, their rows' }],
    };
  }
  const doc = withPlainEnv(() => parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true }));
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const err of [...doc.errors, ...doc.warnings]) {
    const [start, end] = err.pos;
    const span = spanOfOffsets(lines, start, Math.max(end, start + 1));
    const key = `${span.line}:${span.column}:${err.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push({ severity: doc.errors.includes(err) ? 'error' : 'warning', file, span, ...describeYamlError(err.code, err.message) });
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { yaml: { file, text, doc, lines }, diagnostics: diagnostics.slice(0, MAX_YAML_ERRORS) };
  const yaml: YamlFile = { file, text, doc, lines };
  return { yaml, diagnostics: [...diagnostics, ...aliasDiagnostics(yaml), ...numberDiagnostics(yaml)] };
}

function describeYamlError(code: string, message: string): Pick<Diagnostic, 'code' | 'message' | 'hint'> {
  switch (code) {
    case 'DUPLICATE_KEY':
      return { code: 'KPI0102', message: 'this key appears twice in the same mapping', hint: 'remove one of the two entries, or rename one' };
    case 'MULTIPLE_DOCS':
      return { code: 'KPI0101', message: "the file holds more than one YAML document: a '---' line starts another", hint: "a file holds one KPI or one table: remove the '---' line and what follows it, or move that part to a file of its own" };
    case 'RESOURCE_EXHAUSTION':
      return { code: 'KPI0117', message: 'the YAML is too deeply nested to be read', hint: 'a KPI file needs a few levels: a list of fixtures, their tables, their rows' };
    default: {
      const tab = code === 'TAB_AS_INDENT' || /tab/i.test(message);
      return {
        code: 'KPI0101',
        message: `the YAML cannot be read: ${firstLine(message)}`,
        hint: tab ? 'YAML indents with spaces only; replace the tab characters with spaces' : 'check the indentation and the quoting on this line',
      };
    }
  }
}

/** The offset of the first collection nested more than MAX_YAML_DEPTH deep, found without recursion. */
function firstTooDeep(text: string): number | undefined {
  const stack: { token: CST.Token | null | undefined; depth: number }[] = [];
  for (const token of new Parser().parse(text)) stack.push({ token, depth: 0 });
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    if (!token) continue;
    if (token.type === 'document') stack.push({ token: token.value, depth });
    else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      if (depth + 1 > MAX_YAML_DEPTH) return token.offset;
      for (const item of token.items) stack.push({ token: item.key, depth: depth + 1 }, { token: item.value, depth: depth + 1 });
    }
  }
  return undefined;
}

/** An alias bomb (anchors that expand to millions of nodes) would stop the loader: refuse it. */
function aliasDiagnostics(yaml: YamlFile): Diagnostic[] {
  try {
    yaml.doc.toJS({ maxAliasCount: 100 });
    return [];
  } catch (e) {
    const alias = allNodes(yaml.doc).find((n) => isAlias(n));
    const message = e instanceof Error ? e.message : String(e);
    return [{
      severity: 'error',
      code: 'KPI0117',
      message: /alias/i.test(message) ? 'the aliases (*name) in this file expand to too many values' : `the YAML cannot be read: ${firstLine(message)}`,
      file: yaml.file,
      span: spanOfNode(yaml, alias ?? null),
      hint: 'write the values out, or refer to each anchor a few times only',
    }];
  }
}

/** Numbers are doubles everywhere: one that YAML reads as infinity or NaN, or as another integer, is refused. */
function numberDiagnostics(yaml: YamlFile): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const node of allNodes(yaml.doc)) {
    if (!isScalar(node) || typeof node.value !== 'number') continue;
    const source = (node.source ?? yaml.text.slice(node.range?.[0] ?? 0, node.range?.[1] ?? 0)).trim();
    const value = node.value;
    const at = { severity: 'error' as const, code: 'KPI0114', file: yaml.file, span: spanOfNode(yaml, node) };
    if (Number.isNaN(value)) {
      out.push({ ...at, message: `${source} is not a number`, hint: 'write a number, or leave the field out' });
    } else if (!Number.isFinite(value)) {
      out.push({ ...at, message: `${source} is too large: it reads as infinity`, hint: 'numbers go up to about 1.8e308' });
    } else if (/^[-+]?\d+$/.test(source) && !Number.isSafeInteger(value) && BigInt(source) !== BigInt(value)) {
      out.push({ ...at, message: `${source} cannot be held exactly: it would be ${BigInt(value)}`, hint: `whole numbers are exact up to ${Number.MAX_SAFE_INTEGER}; write ${value.toExponential().replace('e+', 'e')} if an approximation is meant` });
    }
  }
  return out;
}

/** Every node of the document, keys included, in document order. */
function allNodes(doc: Document.Parsed): Node[] {
  const out: Node[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const n = stack.pop();
    if (isMap(n) || isSeq(n)) {
      out.push(n);
      for (let i = n.items.length - 1; i >= 0; i--) stack.push(n.items[i]);
    } else if (isPair(n)) {
      stack.push(n.value, n.key);
    } else if (isScalar(n) || isAlias(n)) {
      out.push(n);
    }
  }
  return out;
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
