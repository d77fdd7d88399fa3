// Names and literals of the generated TypeScript.

const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await rows options'.split(' '),
);

/** `first_time_fix_rate` → `firstTimeFixRate`. */
export function camelCase(id: string): string {
  const name = id.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/_/g, '');
  return RESERVED.has(name) ? `${name}Kpi` : name;
}

/** `work_orders` → `WorkOrders`. */
export function pascalCase(id: string): string {
  const c = camelCase(id).replace(/Kpi$/, '');
  return c.charAt(0).toUpperCase() + c.slice(1);
}

/** A single-quoted TypeScript string literal. */
export function tsString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')}'`;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `name` as an object key: bare when it is an identifier, quoted otherwise. */
export function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : tsString(name);
}

/** `.name`, or `['name']` when it is not an identifier. */
export function propertyAccess(name: string, optional = false): string {
  if (IDENTIFIER.test(name)) return `${optional ? '?.' : '.'}${name}`;
  return `${optional ? '?.' : ''}[${tsString(name)}]`;
}

/** Text made safe inside a `/** ... *\/` comment. */
export function commentText(s: string): string {
  return s.replace(/\*\//g, '*\\/');
}

