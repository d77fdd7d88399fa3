// JSON Schema validation (ajv) whose errors read as sentences and point at the YAML.

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { keyNode, nodeAtPath, spanOfNode, type YamlFile } from './yaml.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Where the JSON Schemas live: `schemas/` at the package root. */
export const SCHEMA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas');

/** The JSON Schemas' pattern for one-line text (names, labels): they end up in titles and comments of generated files. */
export const ONE_LINE_PATTERN = '^[^\\u0000-\\u001f\\u007f]*$';

type SchemaName = 'kpi' | 'source';
const compiled = new Map<SchemaName, { validate: ValidateFunction; schema: JsonSchema }>();

interface JsonSchema {
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  definitions?: Record<string, JsonSchema>;
  $ref?: string;
  items?: JsonSchema;
  enum?: unknown[];
  description?: string;
}

function validator(name: SchemaName): { validate: ValidateFunction; schema: JsonSchema } {
  let v = compiled.get(name);
  if (!v) {
    const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, `${name}.schema.json`), 'utf8')) as JsonSchema;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    v = { validate: ajv.compile(schema), schema };
    compiled.set(name, v);
  }
  return v;
}

export function validateAgainst(name: SchemaName, yaml: YamlFile, data: unknown): Diagnostic[] {
  const misplaced = wrongKind(name, yaml, data);
  if (misplaced) return [misplaced];
  const { validate, schema } = validator(name);
  if (validate(data)) return [];
  const errors = pruneErrors(validate.errors ?? []);
  return errors.map((e) => toDiagnostic(yaml, e, schema));
}

/**
 * A table description saved under kpis/ (or a KPI under schemas/sources/) would fail on every
 * field: say once what the file is and where it goes.
 */
function wrongKind(name: SchemaName, yaml: YamlFile, data: unknown): Diagnostic | undefined {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const has = (k: string) => Object.hasOwn(data, k);
  const isTable = has('table') && has('columns') && !has('id') && !has('formula');
  const isKpi = has('id') && has('formula') && !has('table') && !has('columns');
  if (name === 'kpi' && isTable) {
    return { severity: 'error', code: 'KPI0105', file: yaml.file, message: 'this file describes a table (it has table and columns), not a KPI', span: spanOfNode(yaml, keyNode(yaml.doc, [], 'table')), hint: 'table descriptions go in schemas/sources/<table>.yaml' };
  }
  if (name === 'source' && isKpi) {
    return { severity: 'error', code: 'KPI0105', file: yaml.file, message: 'this file describes a KPI (it has id and formula), not a table', span: spanOfNode(yaml, keyNode(yaml.doc, [], 'id')), hint: 'KPI files go in kpis/<group>/<id>.yaml' };
  }
  return undefined;
}

/** ajv reports a failed `if`/`anyOf` and its branches; keep the errors a person can act on. */
function pruneErrors(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  const out: ErrorObject[] = [];
  for (const e of errors) {
    if (e.keyword === 'if' || e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'propertyNames') continue;
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out;
}

function pathOf(instancePath: string): string[] {
  return instancePath === '' ? [] : instancePath.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function fieldName(path: string[]): string {
  if (path.length === 0) return 'the file';
  return path.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function schemaAt(root: JsonSchema, path: string[]): JsonSchema | null {
  let s: JsonSchema | null = root;
  for (const part of path) {
    if (!s) return null;
    if (s.$ref) s = resolveRef(root, s.$ref);
    if (!s) return null;
    if (/^\d+$/.test(part) && s.items) s = s.items;
    else if (s.properties?.[part]) s = s.properties[part];
    else if (typeof s.additionalProperties === 'object') s = s.additionalProperties;
    else return null;
  }
  return s && s.$ref ? resolveRef(root, s.$ref) : s;
}

function resolveRef(root: JsonSchema, ref: string): JsonSchema | null {
  const m = /^#\/definitions\/(.+)$/.exec(ref);
  return m ? (root.definitions?.[m[1]] ?? null) : null;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value lines)',
  null: 'null',
};

function describeValue(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `'${v}'`;
  return String(v);
}

function toDiagnostic(yaml: YamlFile, e: ErrorObject, root: JsonSchema): Diagnostic {
  const path = pathOf(e.instancePath);
  const field = fieldName(path);
  const propertyName = (e as ErrorObject & { propertyName?: string }).propertyName;
  if (propertyName !== undefined || e.keyword === 'propertyNames') {
    const name = propertyName ?? String((e.params as { propertyName?: string }).propertyName ?? '');
    return { severity: 'error', file: yaml.file, code: 'KPI0107', message: `'${name}' is not a valid name in ${field}: names are snake_case (lower-case letters, digits and underscores, starting with a letter)`, span: spanOfNode(yaml, (keyNode(yaml.doc, path, name) ?? nodeAtPath(yaml.doc, path).node) as Parameters<typeof spanOfNode>[1]) };
  }
  const here = nodeAtPath(yaml.doc, path);
  const at = (node: unknown) => spanOfNode(yaml, node as Parameters<typeof spanOfNode>[1]);
  const base = { severity: 'error' as const, file: yaml.file };
  switch (e.keyword) {
    case 'required': {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      return { ...base, code: 'KPI0103', message: `${path.length ? field : 'the file'} lacks the required field '${missing}'`, span: at(here.key ?? here.node), hint: `add a line '${missing}: ...'` };
    }
    case 'additionalProperties': {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys(schemaAt(root, path)?.properties ?? {});
      const suggestion = didYouMean(extra, known);
      return { ...base, code: 'KPI0104', message: `unknown field '${extra}'${path.length ? ` in ${field}` : ''}`, span: at(keyNode(yaml.doc, path, extra) ?? here.node), hint: suggestion ?? `the fields allowed here are: ${known.join(', ')}` };
    }
    case 'type': {
      const want = String((e.params as { type: string }).type).split(',').map((t) => TYPE_WORDS[t] ?? t).join(' or ');
      return { ...base, code: 'KPI0105', message: `${field} must be ${want}, not ${describeValue(valueAt(yaml, path))}`, span: at(here.node) };
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const got = valueAt(yaml, path);
      const suggestion = typeof got === 'string' ? didYouMean(got, allowed) : undefined;
      return { ...base, code: 'KPI0106', message: `${field} must be one of ${allowed.join(', ')}; ${describeValue(got)} is not`, span: at(here.node), hint: suggestion };
    }
    case 'pattern':
      if ((e.params as { pattern: string }).pattern === ONE_LINE_PATTERN) return { ...base, code: 'KPI0107', message: `${field} must be one line of text, without line breaks or control characters`, span: at(here.node), hint: 'the text is a title or a label; longer text goes in description' };
      if (path[path.length - 1] === 'currency') return { ...base, code: 'KPI0107', message: `${field} must be a currency code of three capital letters, such as EUR; ${describeValue(valueAt(yaml, path))} is not`, span: at(here.node) };
      return { ...base, code: 'KPI0107', message: `${field} must be a snake_case name (lower-case letters, digits and underscores, starting with a letter)${path[0] === 'time' ? ' written table.column' : ''}; ${describeValue(valueAt(yaml, path))} is not`, span: at(here.node) };
    case 'format':
      return { ...base, code: 'KPI0107', message: `${field} must be a date written YYYY-MM-DD; ${describeValue(valueAt(yaml, path))} is not`, span: at(here.node) };
    case 'uniqueItems':
      return { ...base, code: 'KPI0108', message: `${field} lists the same value twice`, span: at(here.node), hint: 'remove the repeated entry' };
    case 'minItems':
    case 'minLength':
    case 'minProperties':
      return { ...base, code: 'KPI0108', message: `${field} must not be empty`, span: at(here.node) };
    default:
      return { ...base, code: 'KPI0108', message: `${field} ${e.message ?? 'is not valid'}`, span: at(here.node) };
  }
}

function valueAt(yaml: YamlFile, path: string[]): unknown {
  const v = yaml.doc.getIn(path);
  return v && typeof v === 'object' && 'toJSON' in v ? (v as { toJSON(): unknown }).toJSON() : v;
}
