/**
 * Optional sound for new unassigned orders: a short tone made with Web Audio (no sound file to
 * fetch). The tab title's unseen count is the board's (see `arrivals.ts`).
 */
import { preferencesStore } from "@/lib/preferences";

let audio: AudioContext | null = null;

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
  if (preferencesStore.get().sound) beep();
}
