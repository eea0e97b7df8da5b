import { act, renderHook } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { makeOrder } from "@/features/orders/test/fixtures";
import { DEFAULT_PREFERENCES, updatePreferences, type Preferences } from "@/lib/preferences";
import { alertKindOf, createAlertThrottle, emptyGroup, type AlertChoice, type AlertGroup } from "./alerts";
import { deliverAlert, type AlertOutlets } from "./deliver";
import { describeGroup } from "./describe";
import { useNewOrderAlerts } from "./order-alerts";
import { translate } from "@/lib/i18n/messages";

const ME = "0195b6a4-1c2d-7e3f-8a9b-0c1d2e3f4a5b";
const EVERYTHING: AlertChoice = { alertUnassigned: true, alertHighPriority: true, alertAssigned: true };

describe("which changes alert", () => {
  it("a new high-priority order, a new unassigned order, and an order newly assigned to me", () => {
    const high = makeOrder({ priority: "high", assignee_id: "someone-else" });
    expect(alertKindOf("order.created", high, undefined, ME, EVERYTHING)).toBe("highPriority");
    expect(alertKindOf("order.created", makeOrder({ assignee_id: null }), undefined, ME, EVERYTHING)).toBe("unassigned");
    const mine = makeOrder({ assignee_id: ME });
    expect(alertKindOf("order.updated", mine, { ...mine, assignee_id: null }, ME, EVERYTHING)).toBe("assigned");
    // Seen for the first time as mine (an agent is told of an order when it is assigned to it).
    expect(alertKindOf("order.updated", mine, undefined, ME, EVERYTHING)).toBe("assigned");
  });

  it("not a change to an order that was already mine, an update, a deletion, or what the user did not choose", () => {
    const mine = makeOrder({ assignee_id: ME, priority: "high" });
    expect(alertKindOf("order.updated", { ...mine, status: "CONFIRMED" }, mine, ME, EVERYTHING)).toBeNull();
    expect(alertKindOf("order.updated", makeOrder({ priority: "high", assignee_id: null }), undefined, ME, EVERYTHING)).toBeNull();
    expect(alertKindOf("order.deleted", mine, undefined, ME, EVERYTHING)).toBeNull();
    const nothing: AlertChoice = { alertUnassigned: false, alertHighPriority: false, alertAssigned: false };
    expect(alertKindOf("order.created", makeOrder({ priority: "high", assignee_id: null }), undefined, ME, nothing)).toBeNull();
    expect(alertKindOf("order.updated", mine, { ...mine, assignee_id: null }, ME, nothing)).toBeNull();
  });
});

describe("the new orders the tab title counts", () => {
  it("are those the Alerts menu alerts about, following the menu as it changes", () => {
    const high = makeOrder({ priority: "high", assignee_id: "someone-else" });
    const unassigned = makeOrder({ assignee_id: null });
    const { result } = renderHook(() => useNewOrderAlerts(ME));
    try {
      act(() => updatePreferences({ alertUnassigned: true, alertHighPriority: false, alertAssigned: false }));
      expect([result.current(high), result.current(unassigned)]).toEqual([false, true]);
      act(() => updatePreferences({ alertUnassigned: false, alertHighPriority: true }));
      expect([result.current(high), result.current(unassigned)]).toEqual([true, false]);
      act(() => updatePreferences({ alertHighPriority: false }));
      expect([result.current(high), result.current(unassigned)]).toEqual([false, false]);
    } finally {
      act(() => updatePreferences(DEFAULT_PREFERENCES));
    }
  });
});

/** A throttle on a fake clock, recording what it delivers. */
function throttled(intervalMs = 5_000) {
  vi.useFakeTimers();
  const delivered: AlertGroup[] = [];
  const throttle = createAlertThrottle({
    intervalMs,
    now: () => Date.now(),
    schedule: (run, delay) => {
      const timer = setTimeout(run, delay);
      return () => clearTimeout(timer);
    },
    deliver: (group) => delivered.push(group),
  });
  return { throttle, delivered };
}

describe("alerts are paced and grouped", () => {
  it("the first alert goes out at once; the next ones within the interval come together when it ends", () => {
    const { throttle, delivered } = throttled();
    throttle.add("highPriority", "ORD-1");
    expect(delivered).toEqual([{ ...emptyGroup(), highPriority: ["ORD-1"] }]);
    vi.advanceTimersByTime(1_000);
    throttle.add("highPriority", "ORD-2");
    throttle.add("highPriority", "ORD-3");
    throttle.add("assigned", "ORD-4");
    throttle.add("assigned", "ORD-3"); // the same order twice: once
    expect(delivered).toHaveLength(1);
    vi.advanceTimersByTime(3_999);
    expect(delivered).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(delivered[1]).toEqual({ unassigned: [], highPriority: ["ORD-2", "ORD-3"], assigned: ["ORD-4"] });
    // After a quiet interval, at once again.
    vi.advanceTimersByTime(5_000);
    throttle.add("unassigned", "ORD-5");
    expect(delivered).toHaveLength(3);
    vi.useRealTimers();
  });

  it("never more than one delivery per interval under a steady stream", () => {
    const { throttle, delivered } = throttled();
    for (let i = 0; i < 100; i++) {
      throttle.add("highPriority", `ORD-${i}`);
      vi.advanceTimersByTime(250);
    }
    vi.advanceTimersByTime(5_000);
    expect(delivered).toHaveLength(6); // at 0, 5, 10, 15, 20 s and the last group at 25 s
    expect(delivered.flatMap((group) => group.highPriority)).toHaveLength(100);
    vi.useRealTimers();
  });

  it("a disposed throttle delivers nothing that was waiting", () => {
    const { throttle, delivered } = throttled();
    throttle.add("assigned", "ORD-1");
    throttle.add("assigned", "ORD-2");
    throttle.dispose();
    vi.advanceTimersByTime(10_000);
    expect(delivered).toHaveLength(1);
    vi.useRealTimers();
  });
});

describe("the words of an alert", () => {
  const t = (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) => translate("en", key, vars);
  it("one order by its number, several counted, mixed kinds summed", () => {
    expect(describeGroup({ ...emptyGroup(), assigned: ["ORD-7"] }, t).title).toBe("ORD-7 was assigned to you");
    expect(describeGroup({ ...emptyGroup(), highPriority: ["ORD-1", "ORD-2", "ORD-3"] }, t)).toEqual({
      title: "3 new high-priority orders",
      body: "ORD-1, ORD-2, ORD-3",
    });
    expect(describeGroup({ unassigned: ["ORD-9"], highPriority: ["ORD-1", "ORD-2"], assigned: ["ORD-7"] }, t)).toEqual({
      title: "4 orders need you",
      body: "ORD-7 was assigned to you · 2 new high-priority orders · New unassigned order ORD-9",
    });
  });
});

describe("where an alert goes", () => {
  const group: AlertGroup = { ...emptyGroup(), highPriority: ["ORD-1", "ORD-2"] };
  const outlets = (focused: boolean, permission: NotificationPermission = "granted") => {
    const shown: string[] = [];
    const beeps = { count: 0 };
    const o: AlertOutlets = {
      focused: () => focused,
      permission: () => permission,
      show: (title) => shown.push(title),
      beep: () => void (beeps.count += 1),
    };
    return { o, shown, beeps };
  };
  const prefs = (patch: Partial<Preferences>): Preferences => ({ ...DEFAULT_PREFERENCES, ...patch });

  it("a desktop notification only when asked for, allowed, and the tab is not focused", () => {
    const away = outlets(false);
    deliverAlert(group, prefs({ desktopNotifications: true }), away.o);
    expect(away.shown).toEqual(["2 new high-priority orders"]);

    const focused = outlets(true);
    deliverAlert(group, prefs({ desktopNotifications: true }), focused.o);
    expect(focused.shown).toEqual([]);

    const denied = outlets(false, "denied");
    deliverAlert(group, prefs({ desktopNotifications: true }), denied.o);
    expect(denied.shown).toEqual([]);

    const off = outlets(false);
    deliverAlert(group, prefs({ desktopNotifications: false }), off.o);
    expect(off.shown).toEqual([]);
  });

  it("the tone follows the same alerts, in the user's language for the words", () => {
    const thai = outlets(false);
    deliverAlert(group, prefs({ sound: true, desktopNotifications: true, locale: "th" }), thai.o);
    expect(thai.beeps.count).toBe(1);
    expect(thai.shown).toEqual(["คำสั่งซื้อใหม่ความสำคัญสูง 2 รายการ"]);
    const silent = outlets(true);
    deliverAlert(group, prefs({ sound: false }), silent.o);
    expect(silent.beeps.count).toBe(0);
  });
});
