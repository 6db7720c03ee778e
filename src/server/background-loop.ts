/** A running background loop of `airlock serve`. */
export interface BackgroundLoop {
  /** Stops scheduling rounds and waits for the one running, if any. */
  stop(): Promise<void>;
}

/**
 * Runs `work` every `intervalMs` (the first round after `firstAfterMs`), never two at once; a
 * failed round is reported with `onError` and the next one runs anyway, so one bad round of
 * background work never ends the loop.
 */
export function runEvery(
  intervalMs: number,
  work: () => Promise<unknown>,
  options: { readonly firstAfterMs: number; readonly onError: (error: unknown) => void },
): BackgroundLoop {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const round = (): void => {
    running = work()
      .then(() => undefined)
      .catch(options.onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(round, intervalMs);
      });
  };
  timer = setTimeout(round, options.firstAfterMs);
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
