import { type ErrorCode, isRestainError } from '../../src/errors';

/** Awaits `action` and asserts it failed with a RestainError of `code`; returns the error for message checks. */
export async function expectRestainError(action: Promise<unknown> | (() => unknown), code: ErrorCode): Promise<Error> {
  let outcome: unknown;
  try {
    outcome = await (typeof action === 'function' ? action() : action);
  } catch (error) {
    if (!isRestainError(error)) throw new Error(`Expected a RestainError ${code} but received ${String(error)}`);
    expect(error.code).toBe(code);
    return error;
  }
  throw new Error(`Expected a RestainError ${code} but the call succeeded with ${JSON.stringify(outcome)?.slice(0, 200)}`);
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
