// Small assertion helpers shared by the client page's browser tests.

export function assert(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

/** Polls `probe` until it gives a truthy value (which is returned) or `timeoutMs` passes. */
export async function until(what, probe, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
