// Browser end-to-end tests of the administration and field features against the real stack
// (see harness.mjs): the CSV export of the board's view, order actions in the audit log, and the
// board on a phone. Run with the other e2e files
// (`npm run test:e2e`) or alone: `node --test e2e/admin.e2e.mjs`.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { createOrder, uniqueCustomer } from "./api.mjs";
import { TEST_TIMEOUT, browser, gatewayApi, openBoard, screenshot, setUpDashboardStack, stack, tokens, users, withPages } from "./harness.mjs";

setUpDashboardStack();

const CSV_HEADER =
  "number,created_at,status,priority,customer_name,customer_email,items,units,total_minor,currency,assignee_id,assignee_name,updated_at";

describe("administration against the real stack", () => {
  test("Export downloads the board's current view as CSV: a BOM, the documented columns, the search applied, formulas made text (#17)", { timeout: TEST_TIMEOUT }, () =>
    withPages("export", 2, async (page, viewerPage) => {
      const tag = uniqueCustomer("Export");
      const thai = await createOrder(gatewayApi, tokens.storefront, `${tag} สมหญิง ใจดี`);
      const formula = await createOrder(gatewayApi, tokens.storefront, "formula", {
        customer: { name: `=HYPERLINK("http://evil.test") ${tag}`, email: `formula.${tag.replace(/\W+/g, ".").toLowerCase()}@shop.test` },
      });
      const outside = await createOrder(gatewayApi, tokens.storefront, uniqueCustomer("Elsewhere"));

      await openBoard(page, stack.adminEmail, `/orders?q=${encodeURIComponent(tag)}`);
      await page.locator('[role="row"][data-order-id]').nth(1).waitFor();
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export" }).click()]);
      assert.match(download.suggestedFilename(), /^orders-\d{8}-\d{4}\.csv$/);
      const text = readFileSync(await download.path(), "utf8");
      assert.equal(text.charCodeAt(0), 0xfeff, "UTF-8 with a byte-order mark");
      const lines = text.slice(1).trimEnd().split("\n");
      assert.equal(lines[0], CSV_HEADER);
      assert.equal(lines.length, 3, `the header and the two orders of the view:\n${text}`);
      assert.ok(lines[1].startsWith(`${formula.number},`), "newest first");
      assert.ok(lines[1].includes(`"'=HYPERLINK(""http://evil.test"") ${tag}"`), `the formula is text: ${lines[1]}`);
      assert.ok(lines[2].startsWith(`${thai.number},`) && lines[2].includes(`${tag} สมหญิง ใจดี`), lines[2]);
      assert.ok(!text.includes(outside.number), "only the view's orders");

      // Exporting customer data is the admin's and the dispatcher's (orders:export), not a viewer's.
      await openBoard(viewerPage, users.viewer.email);
      assert.equal(await viewerPage.getByRole("button", { name: "Export" }).count(), 0);
    }));

  test("the audit log lists order actions among account actions: an admin confirms an order on the board, the log says who confirmed which order, and its number opens it (#17)", { timeout: TEST_TIMEOUT }, () =>
    withPages("audit-orders", 1, async (page) => {
      const order = await createOrder(gatewayApi, tokens.storefront, uniqueCustomer("Audited"));
      await openBoard(page, stack.adminEmail, `/orders?order=${order.id}`);
      const drawer = page.getByRole("dialog");
      await drawer.getByRole("heading", { name: new RegExp(order.number) }).waitFor();
      await drawer.getByRole("button", { name: "Confirm" }).click();
      await drawer.getByRole("button", { name: "Start processing" }).waitFor();

      await page.getByRole("link", { name: "Audit log" }).click();
      await page.waitForURL((url) => url.pathname === "/audit");
      const actions = page.locator("tr[data-order-action-id]").filter({ hasText: order.number });
      const confirmed = actions.filter({ hasText: "Pending → Confirmed" });
      await confirmed.waitFor();
      assert.match(
        await confirmed.innerText(),
        new RegExp(`${users.admin.display_name}[\\s\\S]*Status changed[\\s\\S]*${order.number}[\\s\\S]*Pending → Confirmed`),
      );
      assert.match(await actions.filter({ hasText: "Order created" }).innerText(), /Shop Front/);
      // Merged by time with the account actions (the seeded accounts were created before any order).
      const kinds = await page.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => (tr.hasAttribute("data-audit-id") ? "account" : "order")));
      assert.equal(kinds[0], "order", "the confirmation is the newest action");
      assert.ok(kinds.includes("account"), "account actions are listed too");
      assert.deepEqual(kinds, [...kinds].sort((a, b) => (a === b ? 0 : a === "order" ? -1 : 1)), `order actions, then the older account actions: ${kinds}`);
      await screenshot(page, "audit-log-orders");

      const filters = page.getByRole("form", { name: "Filter the audit log" });
      await filters.getByLabel("Records").selectOption({ label: "Orders" });
      await filters.getByLabel("Action").selectOption({ label: "Status changed" });
      await filters.getByLabel("Who").selectOption({ label: users.admin.display_name });
      await page.waitForFunction(() => document.querySelectorAll("tr[data-audit-id]").length === 0);
      await page.locator("tr[data-order-action-id]").first().filter({ hasText: order.number }).waitFor();
      assert.equal(await page.locator("tr[data-order-action-id]").filter({ hasText: "Order created" }).count(), 0);

      await page.getByRole("link", { name: `Open order ${order.number} on the board` }).first().click();
      await page.waitForURL((url) => url.pathname === "/orders" && url.searchParams.get("order") === order.id);
      await page.getByRole("dialog").getByRole("heading", { name: new RegExp(order.number) }).waitFor();
    }));

  test("on a phone (390×844) the board is cards; an order opens over the board with its actions in a bar at the bottom, and the live badge stays in view (#17)", { timeout: TEST_TIMEOUT }, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "en-US", timezoneId: "Asia/Bangkok" });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    try {
      const order = await createOrder(gatewayApi, tokens.storefront, uniqueCustomer("Phone"));
      await openBoard(page, users.dispatcher.email);
      const card = page.locator(`[role="row"][data-order-id="${order.id}"]`);
      await card.waitFor();
      assert.equal(await card.getAttribute("data-layout"), "card");
      assert.equal(await page.getByRole("columnheader").first().isVisible(), false, "no grid header on a phone");
      const live = page.locator('[role="status"][data-state="live"]');
      const inView = async (locator) => {
        const box = await locator.boundingBox();
        return box !== null && box.x >= 0 && box.y >= 0 && box.x + box.width <= 390 && box.y + box.height <= 844;
      };
      assert.ok(await inView(live), "the live badge on screen");
      await screenshot(page, "phone");

      await card.tap();
      const drawer = page.getByRole("dialog");
      await drawer.getByRole("heading", { name: new RegExp(order.number) }).waitFor();
      const drawerBox = await drawer.boundingBox();
      assert.ok(drawerBox.width >= 380, `the drawer covers the board: ${drawerBox.width}px`);
      const bar = drawer.getByTestId("order-actions");
      const barBox = await bar.boundingBox();
      const customerBox = await drawer.getByText("Customer", { exact: true }).boundingBox();
      assert.ok(barBox.y > customerBox.y, "the actions come after the details, at the bottom");
      assert.ok(await inView(bar), "the action bar on screen");
      await screenshot(page, "phone-drawer");
      await bar.getByRole("button", { name: "Confirm" }).tap();
      await drawer.getByRole("button", { name: "Start processing" }).waitFor();
      assert.ok(await inView(live), "the live badge still on screen");
    } finally {
      await context.close();
    }
  });
});
