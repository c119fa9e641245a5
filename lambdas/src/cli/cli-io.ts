/** Where a client command writes, and the environment it reads (tests pass their own). */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  /** Progress lines go here, and only when it is a terminal. */
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean; readonly columns?: number };
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}
