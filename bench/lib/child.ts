/** Runs a bench script in a fresh Node process (tsx loader) and returns the result it sends over IPC. */
import { fork } from 'node:child_process';

export function runInChild<T>(script: string, env: Record<string, string>, execArgv: string[] = [], cwd?: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = fork(script, [], {
      execArgv: ['--import', 'tsx', ...execArgv],
      env: { ...process.env, ...env },
      cwd,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: T | undefined;
    child.on('message', (message: { type?: string; output?: T }) => {
      if (message?.type === 'result') result = message.output;
    });
    child.once('exit', (code) => {
      if (result !== undefined) resolve(result);
      else reject(new Error(`${script} exited with code ${code} and no result`));
    });
  });
}
