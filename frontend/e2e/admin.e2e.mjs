// Browser end-to-end tests of the administration features against the real stack (see
// harness.mjs): the CSV export of the board's view. Run with the other e2e files
// (`npm run test:e2e`) or alone: `node --test e2e/admin.e2e.mjs`.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { createOrder, uniqueCustomer } from "./api.mjs";
import { TEST_TIMEOUT, gatewayApi, openBoard, setUpDashboardStack, stack, tokens, users, withPages } from "./harness.mjs";

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
});
