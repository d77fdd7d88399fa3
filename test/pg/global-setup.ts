// Starts the PostgreSQL server the tests under test/pg/ share, and stops it when they are done.
// Each test file makes a database of its own on it (see database.ts).

import type { TestProject } from 'vitest/node';
import { startServer } from './server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const server = await startServer();
  project.provide('pgUrl', server.url);
  return () => server.stop();
}
