/** The real outlets of an alert in a browser: focus, the Notification API, a Web Audio tone. */
import type { AlertOutlets } from "./deliver";

let audio: AudioContext | null = null;

/** A short tone made with Web Audio (no sound file to fetch). */
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

export const browserOutlets: AlertOutlets = {
  focused: () => document.visibilityState === "visible" && document.hasFocus(),
  permission: () => (typeof Notification === "undefined" ? "unsupported" : Notification.permission),
  show(title, body) {
    // One tag: a newer alert replaces the one still on screen instead of piling up.
    const notification = new Notification(title, { body, tag: "lom-orders" });
    notification.onclick = () => {
      window.focus();
      notification.close();
    };
  },
  beep,
};

/** Asks the browser for permission to show notifications; true when granted. */
export async function askNotificationPermission(): Promise<boolean> {
  if (typeof Notification === "undefined") return false;
  if (Notification.permission === "granted") return true;
  return (await Notification.requestPermission()) === "granted";
}
