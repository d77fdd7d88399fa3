// A throwaway PostgreSQL server for the tests: initdb into a temporary folder, started on a free
// loopback port with its socket in that folder and no fsync, stopped and removed afterwards.
// The binaries come from Debian's `postgresql` package (/usr/lib/postgresql/<version>/bin), which
// .ci/run installs; initdb refuses to run as root, so as root the server runs as user `postgres`.

import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface TestServer {
  /** A superuser URL to the `postgres` database (trust authentication, loopback only). */
  url: string;
  version: string;
  stop(): void;
}

/** The newest PostgreSQL server binaries installed, or an error saying how to install them. */
export function serverBinaries(root = '/usr/lib/postgresql'): { bin: string; version: string } {
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      'the PostgreSQL tests need the server binaries initdb and pg_ctl under /usr/lib/postgresql/<version>/bin, and there are none: install PostgreSQL 15 or later (Debian: apt-get install postgresql, as .ci/run does)',
    );
  }
  return { bin: join(root, versions[0], 'bin'), version: versions[0] };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startServer(): Promise<TestServer> {
  const { bin, version } = serverBinaries();
  const asRoot = userInfo().uid === 0;
  let owner: { uid: number; gid: number } | null = null;
  if (asRoot) {
    const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
    if (!line) throw new Error("the tests run as root, and initdb refuses root: they need the system user 'postgres' (created by Debian's postgresql package)");
    const [, , uid, gid] = line.split(':');
    owner = { uid: Number(uid), gid: Number(gid) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'kpi-pg-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const run = (tool: string, args: string[]) => {
    const [cmd, all] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
    return execFileSync(cmd, all, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  };
  const data = join(dir, 'data');
  const stop = () => {
    try {
      if (existsSync(join(data, 'postmaster.pid'))) run('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    run('initdb', ['-D', data, '-U', 'kpi', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync', '--no-instructions']);
    const port = await freePort();
    const options = [`-p ${port}`, "-c listen_addresses='127.0.0.1'", `-c unix_socket_directories='${dir}'`, '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'];
    run('pg_ctl', ['start', '-D', data, '-w', '-t', '60', '-l', join(dir, 'server.log'), '-o', options.join(' ')]);
    return { url: `postgres://kpi@127.0.0.1:${port}/postgres`, version, stop };
  } catch (e) {
    const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8') : '';
    stop();
    const err = e as Error & { stderr?: string };
    throw new Error(`the PostgreSQL test server did not start: ${err.stderr || err.message}\n${log}`);
  }
}
