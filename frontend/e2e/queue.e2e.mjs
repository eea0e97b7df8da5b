// Browser end-to-end tests of the queue's sorts (issue #16) against the real stack (see harness.mjs):
// first in, first out keeps a new order at the end of the list.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createOrder, uniqueCustomer } from "./api.mjs";
import { TEST_TIMEOUT, gatewayApi, openBoard, row, setUpDashboardStack, tokens, users, withPages } from "./harness.mjs";

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
});
