// Chevrotain, loaded from the single-file bundle its package ships (lib/chevrotain.mjs). The
// package's own entry point imports lodash-es module by module, several hundred files, which
// costs a quarter of a second to a second at every start of the CLI; the bundle holds the same
// code and loads in about 50 ms. If a later version moves the bundle, the entry point is used.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Chevrotain = typeof import('chevrotain');

function bundlePath(): string | null {
  try {
    // The entry point is lib/src/api.js; the bundle is lib/chevrotain.mjs.
    const path = join(dirname(createRequire(import.meta.url).resolve('chevrotain')), '..', 'chevrotain.mjs');
    return existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const bundle = bundlePath();
const chevrotain: Chevrotain = bundle ? await import(pathToFileURL(bundle).href) : await import('chevrotain');

export const { createToken, CstParser, Lexer } = chevrotain;
