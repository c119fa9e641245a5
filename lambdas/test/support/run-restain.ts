import { spawn } from 'node:child_process';
import { RESTAIN_CLI } from './platform-process';

export interface RestainRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the bundled `restain` CLI with extra environment and collects its output (killed after `timeoutMs`). */
export function runRestain(args: readonly string[], env: Readonly<Record<string, string>> = {}, timeoutMs = 120_000): Promise<RestainRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RESTAIN_CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
