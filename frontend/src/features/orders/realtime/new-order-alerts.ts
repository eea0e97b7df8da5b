/**
 * Optional attention signals for new unassigned orders: a count in the tab title while the tab
 * is hidden, and a short tone made with Web Audio (no sound file to fetch).
 */
import { preferencesStore } from "@/lib/preferences";

let unseen = 0;
let baseTitle: string | null = null;
let audio: AudioContext | null = null;

function renderTitle() {
  if (typeof document === "undefined") return;
  if (baseTitle === null) baseTitle = document.title.replace(/^\(\d+\)\s*/, "");
  document.title = unseen > 0 ? `(${unseen}) ${baseTitle}` : baseTitle;
}

function beep() {
  try {
    const Context = window.AudioContext;
    if (!Context) return;
    audio ??= new Context();
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = 880;
    gain.gain.setValueAtTime(0.08, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.25);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start();
    oscillator.stop(audio.currentTime + 0.25);
  } catch {
    // audio not allowed yet (no user gesture): stay silent
  }
}

export function notifyNewUnassignedOrder(): void {
  if (typeof document === "undefined") return;
  if (document.visibilityState === "hidden") {
    unseen += 1;
    renderTitle();
  }
  if (preferencesStore.get().sound) beep();
}

/** Resets the title count when the tab becomes visible; returns the cleanup. */
export function watchVisibility(): () => void {
  const onVisible = () => {
    if (document.visibilityState === "visible" && unseen > 0) {
      unseen = 0;
      renderTitle();
    }
  };
  document.addEventListener("visibilitychange", onVisible);
  return () => document.removeEventListener("visibilitychange", onVisible);
}
