// Browser end-to-end tests of bulk actions (issue #16) against the real stack (see harness.mjs):
// rows selected with a click and a shift-click, one status change for all of them, and the
// per-item outcome when one of the orders was changed by someone else meanwhile.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createOrder, uniqueCustomer, updateOrder } from "./api.mjs";
import { TEST_TIMEOUT, cell, gatewayApi, openBoard, row, screenshot, setUpDashboardStack, tokens, users, withPages } from "./harness.mjs";

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
});
