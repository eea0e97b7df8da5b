// Browser end-to-end tests of the queue (issue #16) against the real stack (see harness.mjs):
// first in, first out keeps a new order at the end of the list; the priority and created-at
// controls; due first places live orders by when they are due; what the "new orders" pill holds
// under a sort other than newest; desktop notifications for new high-priority orders (the
// browser's own notification is observed, our code runs as it does for a user).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createOrder, uniqueCustomer } from "./api.mjs";
import { TEST_TIMEOUT, browser, gatewayApi, openBoard, row, screenshot, setUpDashboardStack, tokens, users, withPages } from "./harness.mjs";

setUpDashboardStack();

const shownIds = (page) => page.locator('[role="row"][data-order-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute("data-order-id")));

describe("the queue against the real stack", () => {
  test("oldest first (FIFO): a new order arrives live at the end, newest first at the top", { timeout: TEST_TIMEOUT }, () =>
    withPages("queue-fifo", 1, async (page) => {
      const tag = uniqueCustomer("Queue");
      const first = await createOrder(gatewayApi, tokens.storefront, `${tag} first`);
      const second = await createOrder(gatewayApi, tokens.storefront, `${tag} second`);
      await openBoard(page, users.dispatcher.email, `/orders?q=${encodeURIComponent(tag)}&sort=oldest`);
      assert.equal(await page.getByLabel("Sort").inputValue(), "oldest");
      await row(page, second).waitFor();
      assert.deepEqual(await shownIds(page), [first.id, second.id]);

      const third = await createOrder(gatewayApi, tokens.storefront, `${tag} third`);
      await row(page, third).waitFor();
      assert.deepEqual(await shownIds(page), [first.id, second.id, third.id]);

      await page.getByLabel("Sort").selectOption("newest");
      await page.waitForURL((url) => !url.searchParams.has("sort"));
      await page.waitForFunction((id) => document.querySelector('[role="row"][data-order-id]')?.getAttribute("data-order-id") === id, third.id);
      assert.deepEqual(await shownIds(page), [third.id, second.id, first.id]);
    }),
  );

  test("the priority and created-at controls filter the list through the URL", { timeout: TEST_TIMEOUT }, () =>
    withPages("queue-controls", 1, async (page) => {
      const tag = uniqueCustomer("Controls");
      const urgent = await createOrder(gatewayApi, tokens.storefront, `${tag} urgent`, { priority: "high" });
      const plain = await createOrder(gatewayApi, tokens.storefront, `${tag} plain`);
      await openBoard(page, users.dispatcher.email, `/orders?q=${encodeURIComponent(tag)}`);
      await row(page, plain).waitFor();

      await page.getByLabel(/^Priority/).selectOption("high");
      await page.waitForURL((url) => url.searchParams.get("priority") === "high");
      await row(page, plain).waitFor({ state: "detached" });
      // The filtered page may arrive after the old rows leave: wait for it before reading the list.
      await row(page, urgent).waitFor();
      assert.deepEqual(await shownIds(page), [urgent.id]);

      // Today (in the browser's time zone, Bangkok here) holds both; a range of past days neither.
      await page.getByLabel(/^Priority/).selectOption("all");
      await page.getByLabel(/^Created/).selectOption("today");
      await page.waitForURL((url) => url.searchParams.get("created") === "today" && !url.searchParams.has("priority"));
      await row(page, plain).waitFor();
      assert.deepEqual(new Set(await shownIds(page)), new Set([urgent.id, plain.id]));
      await page.getByLabel(/^Created/).selectOption("custom");
      await page.getByLabel("From day").fill("2026-01-01");
      await page.getByLabel("To day").fill("2026-01-31");
      await page.waitForURL((url) => url.searchParams.get("created_from") === "2026-01-01" && url.searchParams.get("created_to") === "2026-01-31");
      await row(page, plain).waitFor({ state: "detached" });
      assert.equal(await page.locator('[role="row"][data-order-id]').count(), 0);
      await screenshot(page, "queue-filters");

      // The URL alone brings the view back, a new order live into it when it matches.
      await page.goto(`${page.url().split("?")[0]}?q=${encodeURIComponent(tag)}&priority=high&created=24h`);
      await row(page, urgent).waitFor();
      await page.locator('[role="status"][data-state="live"]').waitFor({ timeout: 15_000 });
      assert.equal(await page.getByLabel(/^Priority/).inputValue(), "high");
      assert.equal(await page.getByLabel(/^Created/).inputValue(), "24h");
      const later = await createOrder(gatewayApi, tokens.storefront, `${tag} later`, { priority: "high" });
      const ignored = await createOrder(gatewayApi, tokens.storefront, `${tag} ignored`);
      await row(page, later).waitFor();
      assert.equal(await row(page, ignored).count(), 0);
    }),
  );

  test("overdue first: a new order is placed live by when it is due, the due-first sort from the menu", { timeout: TEST_TIMEOUT }, () =>
    withPages("queue-due", 1, async (page) => {
      const tag = uniqueCustomer("Due");
      // Due in 60 min (normal), then in 15 (high): the high one first.
      const plain = await createOrder(gatewayApi, tokens.storefront, `${tag} plain`);
      const urgent = await createOrder(gatewayApi, tokens.storefront, `${tag} urgent`, { priority: "high" });
      await openBoard(page, users.dispatcher.email, `/orders?q=${encodeURIComponent(tag)}`);
      await row(page, urgent).waitFor();
      await page.getByLabel("Sort").selectOption({ label: "Overdue first" });
      await page.waitForURL((url) => url.searchParams.get("sort") === "due");
      await page.waitForFunction((id) => document.querySelector('[role="row"][data-order-id]')?.getAttribute("data-order-id") === id, urgent.id);
      assert.deepEqual(await shownIds(page), [urgent.id, plain.id]);

      // A new high order is due after the first but before the normal one.
      const next = await createOrder(gatewayApi, tokens.storefront, `${tag} next`, { priority: "high" });
      await row(page, next).waitFor();
      assert.deepEqual(await shownIds(page), [urgent.id, next.id, plain.id]);
      // The list read again from the server agrees.
      await page.reload();
      await row(page, plain).waitFor();
      assert.deepEqual(await shownIds(page), [urgent.id, next.id, plain.id]);
    }),
  );

  test("by priority, a new high order away from the top waits behind the pill; a normal one joins below at once", { timeout: TEST_TIMEOUT }, () =>
    withPages("queue-pill", 1, async (page) => {
      const tag = uniqueCustomer("Pill");
      const first = await createOrder(gatewayApi, tokens.storefront, `${tag} first`);
      const second = await createOrder(gatewayApi, tokens.storefront, `${tag} second`);
      await openBoard(page, users.dispatcher.email, `/orders?q=${encodeURIComponent(tag)}&sort=priority`);
      await row(page, second).waitFor();
      // A ticked row: the user is at work on the list, which holds still.
      await row(page, first).getByRole("checkbox").click();

      const urgent = await createOrder(gatewayApi, tokens.storefront, `${tag} urgent`, { priority: "high" });
      const pill = page.getByRole("button", { name: /1 new order/ });
      await pill.waitFor();
      assert.equal(await row(page, urgent).count(), 0);
      const third = await createOrder(gatewayApi, tokens.storefront, `${tag} third`);
      await row(page, third).waitFor();
      assert.deepEqual(await shownIds(page), [first.id, second.id, third.id]);
      await screenshot(page, "queue-pill-priority");

      await pill.click();
      await row(page, urgent).waitFor();
      assert.deepEqual(await shownIds(page), [urgent.id, first.id, second.id, third.id]);
    }),
  );

  test("desktop notifications: one for a new high-priority order, one grouped for several, none when switched off", { timeout: 90_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1360, height: 820 }, locale: "en-US", timezoneId: "Asia/Bangkok", permissions: ["notifications"] });
    // Records every notification our code shows, then lets the browser show it as usual.
    await context.addInitScript(() => {
      const Real = window.Notification;
      window.__shown = [];
      window.Notification = class extends Real {
        constructor(title, options) {
          super(title, options);
          window.__shown.push({ title, body: options?.body ?? "" });
        }
      };
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const shown = () => page.evaluate(() => window.__shown);
    try {
      const tag = uniqueCustomer("Notify");
      await createOrder(gatewayApi, tokens.storefront, `${tag} before`);
      await openBoard(page, users.dispatcher.email, `/orders?q=${encodeURIComponent(tag)}`);
      await page.getByText("Alerts", { exact: true }).click();
      await page.getByLabel("New unassigned orders").uncheck();
      await page.getByLabel("New high-priority orders").check();
      await page.getByLabel("Desktop notifications").check();
      assert.equal(await page.getByLabel("Desktop notifications").isChecked(), true);
      // The board is not what the user is looking at. Headless Chromium (with Playwright's focus
      // emulation) reports every page focused, so the page is told: document.hasFocus() says no.
      const inFront = (focused) => page.evaluate((value) => void (document.hasFocus = () => value), focused);
      await inFront(false);

      const one = await createOrder(gatewayApi, tokens.storefront, `${tag} one`, { priority: "high" });
      await page.waitForFunction(() => window.__shown.length === 1);
      assert.deepEqual(await shown(), [{ title: `New high-priority order ${one.number}`, body: one.number }]);
      // A normal order alerts nobody who chose high-priority orders only.
      await createOrder(gatewayApi, tokens.storefront, `${tag} plain`);

      // Three within the next few seconds: one notification, after the interval, for all three.
      const burst = [];
      for (const name of ["two", "three", "four"]) burst.push(await createOrder(gatewayApi, tokens.storefront, `${tag} ${name}`, { priority: "high" }));
      await page.waitForFunction(() => window.__shown.length === 2, null, { timeout: 15_000 });
      const grouped = (await shown())[1];
      assert.equal(grouped.title, "3 new high-priority orders");
      assert.deepEqual(grouped.body.split(", ").sort(), burst.map((order) => order.number).sort());
      await page.waitForTimeout(6_000);
      assert.equal((await shown()).length, 2, "nothing more after the group");

      // In front, the board itself shows the change: no notification.
      await inFront(true);
      const seen = await createOrder(gatewayApi, tokens.storefront, `${tag} seen`, { priority: "high" });
      await row(page, seen).waitFor();
      await page.waitForTimeout(6_000);
      assert.equal((await shown()).length, 2, "none while the board is in front");

      // Switched off, not in front: a new high order comes to the board, no notification.
      await inFront(true);
      await page.getByLabel("Desktop notifications").uncheck();
      await inFront(false);
      const quiet = await createOrder(gatewayApi, tokens.storefront, `${tag} quiet`, { priority: "high" });
      await row(page, quiet).waitFor({ state: "attached" });
      await page.waitForTimeout(6_000);
      assert.equal((await shown()).length, 2, "no notification once switched off");
    } catch (error) {
      await page.screenshot({ path: new URL("./artifacts/queue-notifications.png", import.meta.url).pathname }).catch(() => {});
      throw error;
    } finally {
      await context.close().catch(() => {});
    }
  });
});
