import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulators } from '../../../../src/local/emulators/emulators';

const CHILD_SCRIPT = join(__dirname, '../../../../src/local/emulators/emulator-process.cjs');
let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'taxi-pulse-emulators-'));
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('startEmulators', () => {
  it('serves both emulators on 127.0.0.1 and persists under the data directory', async () => {
    // Act
    const emulators = await startEmulators({ dataDir });
    await emulators.stop();

    // Assess
    expect(emulators.endpoints.dynamodb).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulators.endpoints.kinesis).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(readdirSync(dataDir).sort()).toEqual(['dynamodb', 'kinesis']);
    expect(readdirSync(join(dataDir, 'kinesis'))).toContain('CURRENT');
  });

  it('refuses a data directory that a running stack holds, naming the likely cause', async () => {
    // Prepare
    const running = await startEmulators({ dataDir });

    // Act
    const second = startEmulators({ dataDir });

    // Assess
    await expect(second).rejects.toThrow(/another local stack running/);
    await running.stop();
  });
});

describe('emulator-process.cjs', () => {
  it('exits when its parent goes away (the IPC channel closes)', async () => {
    // Prepare
    const child = fork(CHILD_SCRIPT, [], { execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.once('message', (message: { type: string }) =>
        message.type === 'ready' ? resolve() : reject(new Error(JSON.stringify(message))),
      );
      child.send({ type: 'start', kind: 'kinesis', options: { path: join(dataDir, 'kinesis') } });
    });

    // Act
    child.disconnect();

    // Assess
    await expect(exited).resolves.toBe(0);
  });
});
