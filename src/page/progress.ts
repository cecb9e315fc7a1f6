// Progress events from the worker to the page's callback.
import type { EventSink } from '../protocol/messages.js';
import type { LoadControls } from './handles.js';

/**
 * Passes progress events to the page's callback without waiting for it: the worker waits for
 * each event's delivery, and must not wait for whatever the callback does (or returns).
 */
export function progressSink({ onProgress }: LoadControls): EventSink | undefined {
  if (!onProgress) return undefined;
  return (e) => {
    if (e.type !== 'progress') return;
    try {
      void onProgress(e.progress);
    } catch (err) {
      // a throwing callback must not break the load; show it as the page's own error
      setTimeout(() => {
        throw err;
      });
    }
  };
}
