// How a new alert makes itself heard: a short tone made with the Web Audio
// API (no audio file) and a browser notification, each switched on or off
// by the official and remembered in localStorage.
import { useCallback, useEffect, useState } from 'react';

const soundKey = 'mashang.alerts.sound';
const notifyKey = 'mashang.alerts.notify';

let audio: AudioContext | null = null;

/** Tones played so far (read by the browser test through the page). */
export let tonesPlayed = 0;

/**
 * Makes (or wakes) the audio context. Called on the official's first click
 * or key press while the sound is on: browsers let a page make sound only
 * after a gesture, and making the context may take a while on a machine
 * without an audio device, which must not happen when an alert arrives.
 */
function wakeAudio() {
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') void audio.resume();
  } catch {
    audio = null;
  }
}

/** Two short beeps (880 Hz then 660 Hz), about half a second in all. */
export function playTone() {
  try {
    wakeAudio();
    if (!audio) return;
    const t0 = audio.currentTime;
    [880, 660].forEach((hz, i) => {
      const osc = audio!.createOscillator();
      const gain = audio!.createGain();
      const start = t0 + i * 0.22;
      osc.type = 'sine';
      osc.frequency.value = hz;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.2);
      osc.connect(gain).connect(audio!.destination);
      osc.start(start);
      osc.stop(start + 0.21);
    });
    tonesPlayed++;
    document.documentElement.dataset.alertTones = String(tonesPlayed);
  } catch {
    // No audio device or API: the red highlight remains.
  }
}

function stored(key: string, fallback: boolean): boolean {
  const v = localStorage.getItem(key);
  return v === null ? fallback : v === '1';
}

/** A switch kept in localStorage under key. */
function useStoredSwitch(key: string, fallback: boolean): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(() => stored(key, fallback));
  const set = useCallback(
    (v: boolean) => {
      localStorage.setItem(key, v ? '1' : '0');
      setOn(v);
    },
    [key],
  );
  return [on, set];
}

export function useAlertSignals() {
  const [sound, setSound] = useStoredSwitch(soundKey, true);
  const [notify, setNotifyRaw] = useStoredSwitch(notifyKey, false);
  const notificationsAvailable = typeof Notification !== 'undefined';
  useEffect(() => {
    if (!sound || audio) return;
    const wake = () => wakeAudio();
    window.addEventListener('pointerdown', wake, { once: true });
    window.addEventListener('keydown', wake, { once: true });
    return () => {
      window.removeEventListener('pointerdown', wake);
      window.removeEventListener('keydown', wake);
    };
  }, [sound]);
  const setNotify = useCallback(
    async (v: boolean) => {
      if (v && notificationsAvailable && Notification.permission === 'default') {
        await Notification.requestPermission();
      }
      setNotifyRaw(v);
    },
    [notificationsAvailable, setNotifyRaw],
  );
  const notifyDenied = notify && notificationsAvailable && Notification.permission === 'denied';
  const signal = useCallback(
    (title: string, body: string) => {
      if (sound) playTone();
      if (notify && notificationsAvailable && Notification.permission === 'granted') {
        try {
          new Notification(title, { body, tag: 'mashang-alert' });
        } catch {
          // Some browsers only notify from a service worker.
        }
      }
    },
    [sound, notify, notificationsAvailable],
  );
  return { sound, setSound, notify, setNotify, notifyDenied, signal };
}
