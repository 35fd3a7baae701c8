/**
 * Runs `task` every `intervalMs` inside the server, never two runs at once (a slow run skips the ticks it
 * overlaps), without keeping the process alive; an error goes to `log` and the next tick runs as usual.
 * An interval of 0 runs nothing. Returns the function that stops it.
 */
export function runEvery(
  intervalMs: number,
  task: () => Promise<unknown>,
  log: (error: unknown) => void,
): () => void {
  if (intervalMs <= 0) return () => undefined;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    task()
      .catch(log)
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
