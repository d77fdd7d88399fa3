// The KPI and schema files of a project as they were at a git revision, in a temporary folder.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function projectAtRef(root: string, ref: string): { dir: string; cleanup: () => void } | { error: string } {
  const commit = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: root, encoding: 'utf8' });
  if (commit.status !== 0) return { error: `'${ref}' is not a commit of the repository at ${root}` };
  const sha = commit.stdout.trim();
  const present = spawnSync('git', ['ls-tree', '--name-only', sha, 'kpis', 'schemas'], { cwd: root, encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  const dir = mkdtempSync(join(tmpdir(), 'kpi-diff-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  if (present.length > 0) {
    const archive = spawnSync('git', ['archive', '--format=tar', sha, ...present], { cwd: root, maxBuffer: 1 << 30 });
    const untar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
    if (archive.status !== 0 || untar.status !== 0) {
      cleanup();
      return { error: `could not read ${ref}: ${archive.stderr?.toString() || untar.stderr?.toString()}` };
    }
  }
  return { dir, cleanup };
}
