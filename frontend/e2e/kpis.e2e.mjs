// Browser tests of the KPI page (`/kpis`, issue #17) against the real stack (harness.mjs): the
// figures follow the event stream without a reload, a change is read again, the charts say what
// they show in text, and an agent's page counts only its own orders.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { assignOrder, createOrder, uniqueCustomer, updateOrder } from "./api.mjs";
import { TEST_TIMEOUT, gatewayApi, openBoard, screenshot, setUpDashboardStack, tokens, users, withPages } from "./harness.mjs";

setUpDashboardStack();

const METRICS = "**/api/v1/orders/metrics*";

/** The number a chart's bar carries (`data-value`), by the chart's title and the bar's key. */
async function barValue(page, chart, key) {
  const bar = page.locator("figure", { has: page.getByText(chart, { exact: true }) }).locator(`g[data-key="${key}"]`);
  return Number(await bar.getAttribute("data-value"));
}

async function openKpis(page, email) {
  await openBoard(page, email);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "KPIs" }).click();
  await page.waitForURL((url) => url.pathname === "/kpis");
  await page.getByTestId("kpi-last-hour").waitFor();
}

async function lastHour(page) {
  return Number((await page.getByTestId("kpi-last-hour").textContent()).match(/\d+/)[0]);
}

describe("KPI page against the real stack", () => {
  test("a new order is counted live from the event stream; a status change is read again", { timeout: TEST_TIMEOUT }, () =>
    withPages("kpis-live", 1, async (page) => {
      await openKpis(page, users.dispatcher.email);
      const arrived = await lastHour(page);
      const pending = await barValue(page, "Orders by status", "PENDING");
      const unassigned = await barValue(page, "Open orders per assignee", "unassigned");

      // From now on the page cannot read the metrics: what changes comes from the socket.
      let refused = 0;
      await page.route(METRICS, (route) => {
        refused += 1;
        return route.abort();
      });
      const order = await createOrder(gatewayApi, tokens.storefront, uniqueCustomer("KPI live"));
      await page.getByTestId("kpi-last-hour").filter({ hasText: `${arrived + 1} in the last hour` }).waitFor({ timeout: 3_000 });
      assert.equal(await barValue(page, "Orders by status", "PENDING"), pending + 1);
      assert.equal(await barValue(page, "Open orders per assignee", "unassigned"), unassigned + 1);
      assert.equal(refused, 0, "the new order came from the stream, not from a read");
      await page.getByRole("img", { name: new RegExp(`^Orders by status: Pending ${pending + 1}, Confirmed \\d+`) }).waitFor();

      // A confirmation moves the order between statuses: the page reads the figures again.
      await page.unroute(METRICS);
      const confirmed = await barValue(page, "Orders by status", "CONFIRMED");
      const reread = page.waitForResponse((response) => response.url().includes("/api/v1/orders/metrics") && response.ok(), { timeout: 8_000 });
      await updateOrder(gatewayApi, tokens.dispatcher, order, { status: "CONFIRMED" });
      await reread;
      await page.locator('figure g[data-key="CONFIRMED"]').and(page.locator(`[data-value="${confirmed + 1}"]`)).waitFor();
      assert.equal(await barValue(page, "Orders by status", "PENDING"), pending);

      await page.getByText("Show as table").first().click();
      await page.getByRole("table").first().waitFor();
      await page.getByText("Show as table").first().click();
      await screenshot(page, "kpis");

      // Both themes: the bars and the page change colour, the figures stay.
      const colours = () =>
        page.evaluate(() => [
          getComputedStyle(document.querySelector("figure g[data-key] rect")).fill,
          getComputedStyle(document.querySelector("section")).backgroundColor,
        ]);
      const light = await colours();
      await page.getByLabel("Theme").selectOption("dark");
      await page.locator("html.dark").waitFor({ state: "attached" });
      const dark = await colours();
      assert.notEqual(dark[0], light[0], "bar colour");
      assert.notEqual(dark[1], light[1], "card background");
      assert.equal(await barValue(page, "Orders by status", "PENDING"), pending);
      await screenshot(page, "kpis-dark");
    }));

  test("an agent's KPI page counts only the orders assigned to it", { timeout: TEST_TIMEOUT }, () =>
    withPages("kpis-agent", 1, async (page) => {
      const order = await createOrder(gatewayApi, tokens.storefront, uniqueCustomer("KPI agent"));
      await assignOrder(gatewayApi, tokens.dispatcher, order, users.agent.id);
      await openKpis(page, users.agent.email);
      await page.getByText("Your orders only.").waitFor();
      const people = page.locator("figure", { has: page.getByText("Open orders per assignee", { exact: true }) }).locator("g[data-key]");
      assert.deepEqual(await people.evaluateAll((bars) => bars.map((bar) => bar.dataset.key)), [users.agent.id]);
      const open = await barValue(page, "Open orders per assignee", users.agent.id);
      assert.ok(open >= 1, `${open}`);
    }));
});
