let channel: MessageChannel | undefined;
const waiting: (() => void)[] = [];

/**
 * Resolves on a later macrotask, so messages (cancel) and abort events queued meanwhile are
 * handled. setImmediate where it exists (Node); a MessageChannel otherwise, because browsers
 * clamp nested setTimeout(0) to 4 ms.
 */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (fn: () => void) => unknown };
  if (typeof g.setImmediate === "function") {
    const setImmediate = g.setImmediate;
    return new Promise((resolve) => setImmediate(resolve));
  }
  if (typeof MessageChannel === "function") {
    if (channel === undefined) {
      channel = new MessageChannel();
      channel.port1.onmessage = () => waiting.shift()?.();
    }
    const port = channel.port2;
    return new Promise((resolve) => {
      waiting.push(resolve);
      port.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
