// Browser end-to-end tests of bulk actions (issue #16) against the real stack (see harness.mjs):
// rows selected with a click and a shift-click, one status change for all of them, and the
// per-item outcome when one of the orders was changed by someone else meanwhile; on a phone,
// cards ticked with a thumb and the bar along the bottom of the screen.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createOrder, uniqueCustomer, updateOrder } from "./api.mjs";
import { TEST_TIMEOUT, browser, cell, gatewayApi, openBoard, row, screenshot, setUpDashboardStack, tokens, users, withPages } from "./harness.mjs";

setUpDashboardStack();

describe("bulk actions against the real stack", () => {
  test("a bulk confirm with one order changed meanwhile confirms the others and says which one conflicted", { timeout: TEST_TIMEOUT }, () =>
    withPages("bulk-confirm", 1, async (page) => {
      const tag = uniqueCustomer("Bulk");
      const orders = [];
      for (const name of ["one", "two", "three"]) orders.push(await createOrder(gatewayApi, tokens.storefront, `${tag} ${name}`));
      const [first, changed, last] = orders;
      await openBoard(page, users.dispatcher.email, `/orders?q=${encodeURIComponent(tag)}`);
      for (const order of orders) await row(page, order).waitFor();

      // Newest first: `last` is on top; a click and a shift-click select all three.
      await row(page, last).getByRole("checkbox").click();
      await row(page, first).getByRole("checkbox").click({ modifiers: ["Shift"] });
      const bar = page.getByTestId("bulk-bar");
      await bar.getByText("3 selected").waitFor();
      assert.equal(await page.locator("[data-order-id] input[type=checkbox]:checked").count(), 3);

      // Someone else changes `changed` after the dashboard read it, before the bulk request lands.
      await page.route("**/api/v1/orders/bulk", async (route) => {
        await updateOrder(gatewayApi, tokens.dispatcher, changed, { priority: "high" });
        await route.continue();
      });
      await bar.getByLabel("Change status…").selectOption("CONFIRMED");

      const outcome = page.getByTestId("bulk-outcome");
      await outcome.getByText("2 confirmed · 1 were changed by someone else").waitFor();
      for (const order of [first, last]) await cell(page, order, 4).getByText("Confirmed").waitFor();
      assert.equal(await cell(page, changed, 4).innerText(), "Pending");
      await cell(page, changed, 5).getByText("High").waitFor();
      // Only the conflicting order stays selected.
      await bar.getByText("1 selected").waitFor();
      assert.equal(await row(page, changed).getByRole("checkbox").isChecked(), true);
      assert.equal(await row(page, first).getByRole("checkbox").isChecked(), false);
      await screenshot(page, "bulk");
    }),
  );

  test("on a phone (390×844) two cards ticked with a thumb are confirmed from the bar at the bottom of the screen", { timeout: TEST_TIMEOUT }, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "en-US", timezoneId: "Asia/Bangkok" });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    try {
      const tag = uniqueCustomer("Phone bulk");
      const orders = [];
      for (const name of ["one", "two", "three"]) orders.push(await createOrder(gatewayApi, tokens.storefront, `${tag} ${name}`));
      const [untouched, first, second] = orders;
      await openBoard(page, users.dispatcher.email, `/orders?q=${encodeURIComponent(tag)}`);
      for (const order of orders) await row(page, order).waitFor();
      assert.equal(await row(page, first).getAttribute("data-layout"), "card");

      for (const order of [first, second]) {
        const box = row(page, order).getByRole("checkbox");
        const size = await box.boundingBox();
        assert.ok(size && size.width >= 24 && size.height >= 24, `a thumb-sized box: ${JSON.stringify(size)}`);
        await box.tap();
      }
      const bar = page.getByTestId("bulk-bar");
      await bar.getByText("2 selected").waitFor();
      // Ticking a card did not open it.
      assert.equal(new URL(page.url()).searchParams.has("order"), false);
      // The bar lies along the bottom of the screen, whole, where the thumb is.
      const place = await bar.boundingBox();
      assert.ok(place && place.y + place.height <= 844 + 1 && place.y + place.height >= 844 - 2 && place.x <= 1 && place.width >= 388, `at the bottom: ${JSON.stringify(place)}`);
      await screenshot(page, "phone-bulk");

      await bar.getByLabel("Change status…").selectOption("CONFIRMED");
      await page.getByTestId("bulk-outcome").getByText("2 confirmed").waitFor();
      for (const order of [first, second]) await row(page, order).getByText("Confirmed").waitFor();
      assert.equal(await row(page, untouched).getByText("Pending").count(), 1);
    } catch (error) {
      await page.screenshot({ path: new URL("./artifacts/phone-bulk.png", import.meta.url).pathname }).catch(() => {});
      throw error;
    } finally {
      await context.close().catch(() => {});
    }
  });
});
