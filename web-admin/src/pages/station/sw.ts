// The station's service worker (vite.config.ts: Workbox, sw.js), registered
// from this page only and with scope /station: it controls the station and
// nothing else, so no other page can be served stale by it. With it the
// station loads offline (the precached index.html answers /station).
import { useEffect, useState } from 'react';

export function useStationServiceWorker(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (import.meta.env.DEV || !('serviceWorker' in navigator)) return;
    let gone = false;
    (async () => {
      try {
        const { Workbox } = await import('workbox-window');
        const wb = new Workbox('/sw.js', { scope: '/station' });
        wb.addEventListener('activated', () => !gone && setReady(true));
        const reg = await wb.register();
        if (reg?.active && !gone) setReady(true);
      } catch {
        // No service worker (a private window, an http origin other than
        // localhost): the station still works online, with its queue.
      }
    })();
    return () => {
      gone = true;
    };
  }, []);
  return ready;
}
