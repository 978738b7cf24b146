/** Yielding to the worker's message queue between steps. */

/** Resolves on the next macrotask (MessageChannel: no 4 ms timer clamping, lets queued messages in). */
const channel = typeof MessageChannel !== 'undefined' ? new MessageChannel() : null;
const waiting: (() => void)[] = [];
if (channel) {
  channel.port1.onmessage = () => waiting.shift()?.();
  (channel.port1 as unknown as { unref?: () => void }).unref?.(); // Node (tests): do not keep the process alive
}
export function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => {
    if (!channel) return void setTimeout(resolve, 0);
    waiting.push(resolve);
    channel.port2.postMessage(0);
  });
}
