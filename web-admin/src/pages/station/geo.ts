// The device's location (navigator.geolocation), sent with each scan when
// known (ScanInput latitude, longitude, accuracy: seed 001 §7 定点扫码). The
// station works without it, except at sites that check where scans are
// made (the server refuses those scans without a location).
import { useEffect, useState } from 'react';

export interface Fix {
  latitude: number;
  longitude: number;
  accuracy: number;
  at: number;
}

/** A fix older than this is not sent (a still tablet gets no new fix: watchPosition reports changes). */
const maxAge = 30 * 60_000;

export function useGeolocation(): Fix | null {
  const [fix, setFix] = useState<Fix | null>(null);
  useEffect(() => {
    if (!('geolocation' in navigator)) return;
    const id = navigator.geolocation.watchPosition(
      (p) => setFix({ latitude: p.coords.latitude, longitude: p.coords.longitude, accuracy: p.coords.accuracy, at: Date.now() }),
      () => undefined,
      { enableHighAccuracy: true, maximumAge: 30_000, timeout: 30_000 },
    );
    return () => navigator.geolocation.clearWatch(id);
  }, []);
  return fix;
}

export function freshFix(fix: Fix | null): Fix | null {
  return fix && Date.now() - fix.at < maxAge ? fix : null;
}
