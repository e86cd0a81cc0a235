/**
 * The code of another commit, next to this tree, so that a benchmark can run "before" and "after" side
 * by side in one run on the same machine (`--baseline <git ref>`): the ref's files are exported with
 * `git archive` into a temporary directory (no worktree is registered, nothing in .git changes), with
 * this tree's node_modules linked when the ref's lockfile is the same, else installed with `npm ci`.
 * The baseline's own bench scripts then run there, each importing the baseline's own src/.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from './trips';

export interface BaselineTree {
  /** The ref as given, e.g. `main~3` or a commit. */
  readonly ref: string;
  /** The commit it named when the tree was exported. */
  readonly commit: string;
  /** Its one-line subject, for the report. */
  readonly subject: string;
  readonly dir: string;
  /** Removes the directory. */
  cleanup(): void;
}

/** Exports `ref` into a temporary directory ready to run its benchmarks. */
export function prepareBaselineTree(ref: string): BaselineTree {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
  const commit = git('rev-parse', '--verify', `${ref}^{commit}`);
  const subject = git('log', '-1', '--format=%s', commit);
  const dir = mkdtempSync(join(tmpdir(), 'taxi-pulse-baseline-'));
  try {
    execFileSync('sh', ['-c', `git archive --format=tar ${commit} | tar -x -C "${dir}"`], { cwd: PROJECT_ROOT, stdio: 'inherit' });
    const sameLockfile =
      existsSync(join(dir, 'package-lock.json')) &&
      readFileSync(join(dir, 'package-lock.json'), 'utf8') === readFileSync(join(PROJECT_ROOT, 'package-lock.json'), 'utf8');
    if (sameLockfile) symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    else execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  console.log(`baseline: ${ref} = ${commit.slice(0, 12)} "${subject}" in ${dir}`);
  return { ref, commit, subject, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs one of the baseline's bench scripts (path relative to its root) with these arguments, in the
 * baseline's directory, and returns its result file's `figures` (bench/results/<name>.json there).
 */
export async function runBaselineBench<T>(tree: BaselineTree, script: string, args: readonly string[], resultName: string): Promise<T> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: tree.dir, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`baseline ${script} exited with code ${code}`))));
  });
  const path = join(tree.dir, 'bench', 'results', `${resultName}.json`);
  return (JSON.parse(readFileSync(path, 'utf8')) as { figures: T }).figures;
}
