/**
 * Runs at most `max` tasks at once (previews are CPU-heavy; a 2-core CI
 * machine slows down, not speeds up, past a few at a time).
 */
export function limiter(max = Math.max(1, Number(process.env.PREVIEW_TEST_PARALLEL ?? 3))): <T>(fn: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (fn) => {
    if (running >= max) await new Promise<void>((r) => waiting.push(r));
    running++;
    try {
      return await fn();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
