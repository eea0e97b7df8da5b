// Browser end-to-end tests of the dashboard against the real stack (see stack.mjs, harness.mjs), driven by
// playwright-core with Debian's Chromium. Run: `npm run test:e2e` (after `npm run build` and
// `cargo build -p users-service -p orders-service -p gateway`), or `make test-e2e`.
// LOM_SCREENSHOTS_DIR=<dir> also writes the main screens there (`npm run screenshots`).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { assignOrder, createOrder, createUser, login, uniqueCustomer, updateOrder, updateUser } from "./api.mjs";
import {
  TEST_TIMEOUT,
  cell,
  countListFetches,
  gatewayApi,
  openBoard,
  row,
  screenshot,
  signIn,
  stack,
  tokens,
  setUpDashboardStack,
  users,
  withPages,
} from "./harness.mjs";

setUpDashboardStack();

describe("dashboard against the real stack", () => {
  test("the dashboard's pages carry the security headers (TESTING.md 21)", { timeout: TEST_TIMEOUT }, async () => {
    for (const path of ["/sign-in", "/orders", "/runtime-config.js"]) {
      const response = await fetch(`${stack.webUrl}${path}`, { redirect: "manual" });
      const csp = response.headers.get("content-security-policy") ?? "";
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.match(csp, /object-src 'none'/, path);
      assert.equal(response.headers.get("x-content-type-options"), "nosniff", path);
    }
  });

  test("sign in: a wrong password is refused with a clear message, the right one opens the board", { timeout: TEST_TIMEOUT }, () =>
    withPages("sign-in", 1, async (page) => {
      await page.goto(`${stack.webUrl}/orders`);
      await page.waitForURL((url) => url.pathname === "/sign-in");
      await screenshot(page, "sign-in");
      await signIn(page, users.dispatcher.email, "not-the-password-1");
      await assert.doesNotReject(page.getByRole("alert").filter({ hasText: "Wrong email or password." }).waitFor());
      assert.equal(new URL(page.url()).pathname, "/sign-in");

      await page.getByLabel("Password").fill(stack.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => url.pathname === "/orders");
      await page.getByText(users.dispatcher.display_name, { exact: true }).waitFor();
      await page.locator('[role="status"][data-state="live"]').waitFor({ timeout: 15_000 });
    }));

  test("opened at 127.0.0.1 or at localhost, the dashboard keeps its session over a reload (the gateway on the page's own host)", { timeout: TEST_TIMEOUT }, async () => {
    // The refresh cookie is the gateway host's and SameSite=Strict: a page on one host name
    // calling the gateway on another is cross-site, and a reload would lose the session.
    for (const webUrl of [stack.webUrl, stack.webUrlByName]) {
      await withPages(`same-site-${new URL(webUrl).hostname}`, 1, async (page) => {
        const gatewayHosts = new Set();
        page.on("request", (request) => {
          const url = new URL(request.url());
          if (url.pathname.startsWith("/api/v1/")) gatewayHosts.add(url.host);
        });
        await signIn(page, users.dispatcher.email, stack.password, webUrl);
        await page.waitForURL((url) => url.pathname === "/orders");
        await page.locator('[role="status"][data-state="live"]').waitFor({ timeout: 15_000 });
        await page.reload();
        await page.locator('[role="status"][data-state="live"]').waitFor({ timeout: 15_000 });
        await page.getByText(users.dispatcher.display_name, { exact: true }).waitFor();
        assert.equal(new URL(page.url()).pathname, "/orders", `${webUrl}: signed out by the reload`);
        assert.deepEqual([...gatewayHosts], [`${new URL(webUrl).hostname}:${stack.ports.gateway}`]);
      });
    }
  });

  test("an order created through the API appears on the board within a second, without reload", { timeout: TEST_TIMEOUT }, () =>
    withPages("live-create", 1, async (page) => {
      await openBoard(page, users.dispatcher.email);
      await page.evaluate(() => {
        window.__e2eSamePage = true;
      });
      const listFetches = countListFetches(page);
      const customer = uniqueCustomer("Live Customer");
      const order = await createOrder(gatewayApi, tokens.storefront, customer);
      const created = Date.now();
      await row(page, order).waitFor({ timeout: 1_000 });
      const elapsed = Date.now() - created;
      assert.ok(elapsed <= 1_000, `the order appeared after ${elapsed} ms`);
      assert.equal(await cell(page, order, 1).innerText(), customer);
      assert.equal(await cell(page, order, 4).innerText(), "Pending");
      assert.equal(await page.evaluate(() => window.__e2eSamePage), true, "the page was reloaded");
      assert.equal(listFetches.count, 0, "the board refetched the list instead of applying the event");
      await screenshot(page, "board");
    }));

  test("filter by status: the URL carries it and only matching rows show", { timeout: TEST_TIMEOUT }, () =>
    withPages("filter", 1, async (page) => {
      const pending = await createOrder(gatewayApi, tokens.storefront, uniqueCustomer("Filter Pending"));
      let confirmed = await createOrder(gatewayApi, tokens.storefront, uniqueCustomer("Filter Confirmed"));
      confirmed = await updateOrder(gatewayApi, tokens.dispatcher, confirmed, { status: "CONFIRMED" });
      await openBoard(page, users.dispatcher.email);
      await row(page, pending).waitFor();
      await row(page, confirmed).waitFor();

      await page.getByRole("tab", { name: /^Confirmed/ }).click();
      await page.waitForURL((url) => url.searchParams.get("status") === "CONFIRMED");
      await row(page, pending).waitFor({ state: "detached" });
      await row(page, confirmed).waitFor();
      const statuses = await page.locator('[role="row"][data-order-id] [role="gridcell"]:nth-child(5)').allInnerTexts();
      assert.ok(statuses.length >= 2, `expected the confirmed orders, got ${statuses.length} rows`);
      assert.deepEqual([...new Set(statuses)], ["Confirmed"]);
      assert.equal(await page.getByRole("tab", { name: /^Confirmed/ }).getAttribute("aria-selected"), "true");

      // The URL alone restores the filter (a shared link, a reload).
      await page.goto(`${stack.webUrl}/orders?status=PENDING`);
      await row(page, pending).waitFor();
      assert.equal(await row(page, confirmed).count(), 0);
    }));

  test("assigning in one browser shows the assignee's name live in another", { timeout: TEST_TIMEOUT }, () =>
    withPages("assign-live", 2, async (dispatcher, admin) => {
      const order = await createOrder(gatewayApi, tokens.storefront, uniqueCustomer("Assign Me"));
      await openBoard(dispatcher, users.dispatcher.email);
      await openBoard(admin, stack.adminEmail);
      await row(admin, order).waitFor();
      assert.equal(await cell(admin, order, 6).innerText(), "Unassigned");
      const adminListFetches = countListFetches(admin);

      await row(dispatcher, order).click();
      const drawer = dispatcher.getByRole("dialog");
      await drawer.waitFor();
      // The assign list: people who work orders (no viewer, no storefront account), each with
      // their open orders and their email on hover.
      const picker = drawer.getByLabel("Assign to");
      await picker.locator(`option[value="${users.agent.id}"]`).waitFor({ state: "attached" });
      const offered = await picker.locator("option").evaluateAll((options) => options.map((o) => ({ text: o.textContent, title: o.title })));
      const agentOption = offered.find((o) => o.text.startsWith(`${users.agent.display_name} · `));
      assert.match(agentOption?.text ?? "", /^.+ · \d+ open$/);
      assert.equal(agentOption?.title, users.agent.email);
      for (const name of [users.viewer.display_name, users.storefront.display_name]) {
        assert.ok(!offered.some((o) => o.text.startsWith(name)), `${name} is offered`);
      }
      await picker.selectOption(users.agent.id);

      await admin.waitForFunction(
        ({ id, name }) => document.querySelector(`[role="row"][data-order-id="${id}"] [role="gridcell"]:nth-child(7)`)?.textContent === name,
        { id: order.id, name: users.agent.display_name },
        { timeout: 2_000 },
      );
      assert.equal(adminListFetches.count, 0, "the other browser refetched the list instead of applying the event");
      // The drawer's timeline names both people, not ids.
      await drawer.getByText(`${users.dispatcher.display_name} assigned it to ${users.agent.display_name}`).waitFor();
      await screenshot(dispatcher, "drawer");
    }));

  test("two browsers on one order see each other's initials on the row and in the drawer; a change by the other is named in the drawer; closing clears it", { timeout: TEST_TIMEOUT }, () =>
    withPages("presence", 2, async (dispatcher, viewer) => {
      const order = await createOrder(gatewayApi, tokens.storefront, uniqueCustomer("Presence"));
      await openBoard(dispatcher, users.dispatcher.email);
      await openBoard(viewer, users.viewer.email);
      await row(viewer, order).waitFor();

      await row(dispatcher, order).click();
      const viewerRowPresence = row(viewer, order).getByTestId("presence");
      await viewerRowPresence.locator(`[title="${users.dispatcher.display_name}"]`).waitFor({ timeout: 1_500 });
      assert.equal(await viewerRowPresence.innerText(), "DD");
      await screenshot(viewer, "presence-board");

      await row(viewer, order).click();
      const dispatcherDrawer = dispatcher.getByRole("dialog");
      await dispatcherDrawer.getByTestId("presence").locator(`[title="${users.viewer.display_name}"]`).waitFor({ timeout: 1_500 });
      await viewer.getByRole("dialog").getByTestId("presence").locator(`[title="${users.dispatcher.display_name}"]`).waitFor({ timeout: 1_500 });
      assert.equal(await dispatcherDrawer.getByTestId("presence").innerText(), "VV");
      // Nobody sees their own initials.
      assert.equal(await row(dispatcher, order).getByTestId("presence").locator(`[title="${users.dispatcher.display_name}"]`).count(), 0);

      // A change someone else makes while the drawer is open is named there.
      const adminToken = await login(gatewayApi, stack.adminEmail, stack.password);
      await updateOrder(gatewayApi, adminToken, order, { status: "CONFIRMED" });
      const adminName = users.admin.display_name;
      await viewer.getByTestId("changed-by-others").getByText(`${adminName} changed status to Confirmed`).waitFor();
      await dispatcher.getByTestId("changed-by-others").getByText(`${adminName} changed status to Confirmed`).waitFor();
      await screenshot(dispatcher, "presence-drawer");

      await dispatcherDrawer.getByRole("button", { name: "Close" }).click();
      await viewer.getByRole("dialog").getByTestId("presence").waitFor({ state: "detached", timeout: 1_500 });
      await viewer.close();
      await row(dispatcher, order).getByTestId("presence").waitFor({ state: "detached", timeout: 1_500 });
    }));

  test("an internal note written in one browser appears in the other's open drawer, as text; a viewer cannot write one", { timeout: TEST_TIMEOUT }, () =>
    withPages("notes", 2, async (dispatcher, viewer) => {
      const order = await createOrder(gatewayApi, tokens.storefront, uniqueCustomer("Noted"));
      await openBoard(dispatcher, users.dispatcher.email);
      await openBoard(viewer, users.viewer.email);
      await row(viewer, order).click();
      const viewerDrawer = viewer.getByRole("dialog");
      await viewerDrawer.getByText("Timeline").waitFor();
      assert.equal(await viewerDrawer.getByLabel("Internal note").count(), 0, "viewers only read");

      await row(dispatcher, order).click();
      const text = "Call first: <b>back door</b> https://example.com/?x=1";
      await dispatcher.getByRole("dialog").getByLabel("Internal note").fill(text);
      await dispatcher.getByRole("dialog").getByRole("button", { name: "Add note" }).click();

      await viewerDrawer.getByText(`${users.dispatcher.display_name} wrote a note`).first().waitFor({ timeout: 2_000 });
      await viewerDrawer.getByText(text, { exact: true }).waitFor();
      assert.equal(await viewerDrawer.locator("b").count(), 0, "the note is text, not markup");
      assert.equal(await viewerDrawer.locator('a[href^="https://example.com"]').count(), 0, "links are shown as text");
      await screenshot(viewer, "note-live");
    }));

  test("an agent sees only the orders assigned to them, and no users page", { timeout: TEST_TIMEOUT }, () =>
    withPages("agent", 1, async (page) => {
      const mine = await assignOrder(gatewayApi, tokens.dispatcher, await createOrder(gatewayApi, tokens.storefront, uniqueCustomer("Agent Mine")), users.agent.id);
      const theirs = await assignOrder(gatewayApi, tokens.dispatcher, await createOrder(gatewayApi, tokens.storefront, uniqueCustomer("Agent Theirs")), users.agent2.id);
      const nobodys = await createOrder(gatewayApi, tokens.storefront, uniqueCustomer("Agent Nobody"));
      await openBoard(page, users.agent.email);
      await row(page, mine).waitFor();
      assert.equal(await cell(page, mine, 6).innerText(), users.agent.display_name);
      assert.equal(await row(page, theirs).count(), 0);
      assert.equal(await row(page, nobodys).count(), 0);

      // One assigned to them later arrives live; one assigned to someone else never does.
      const later = await createOrder(gatewayApi, tokens.storefront, uniqueCustomer("Agent Later"));
      const other = await createOrder(gatewayApi, tokens.storefront, uniqueCustomer("Agent Other"));
      await assignOrder(gatewayApi, tokens.dispatcher, other, users.agent2.id);
      const laterAssigned = await assignOrder(gatewayApi, tokens.dispatcher, later, users.agent.id);
      await row(page, later).waitFor({ timeout: 2_000 });
      assert.equal(await row(page, other).count(), 0);
      assert.equal(await row(page, nobodys).count(), 0);
      const shown = await page.locator('[role="row"][data-order-id] [role="gridcell"]:nth-child(7)').allInnerTexts();
      assert.deepEqual([...new Set(shown)], [users.agent.display_name]);
      assert.equal(await page.getByRole("link", { name: "Users" }).count(), 0);
      await screenshot(page, "agent-board");

      // Reassigned away to someone else: the gateway sends only order.left, and the row goes, live.
      const listFetches = countListFetches(page);
      await assignOrder(gatewayApi, tokens.dispatcher, laterAssigned, users.agent2.id);
      await row(page, later).waitFor({ state: "detached", timeout: 2_000 });
      await row(page, mine).waitFor();
      // …and the agent is told to whom (order.left names the new assignee's id; the name is the board's).
      await page.getByRole("status").filter({ hasText: `${later.number} is no longer yours: it was reassigned to ${users.agent2.display_name}.` }).waitFor();
      assert.equal(listFetches.count, 0, "the board refetched instead of applying order.left");

      // The drawer's timeline names the dispatcher who assigned it (GET /users/names), not an id tail.
      await row(page, mine).click();
      const drawer = page.getByRole("dialog");
      await drawer.getByText(`${users.dispatcher.display_name} assigned it to ${users.agent.display_name}`, { exact: true }).waitFor();
      await drawer.getByText(`${users.storefront.display_name} created the order`, { exact: true }).waitFor();
      assert.equal(await drawer.getByText(/User …/).count(), 0, "someone in the timeline is shown as an id");
    }));

  test("a viewer sees assignees by name on the board, also after a live assignment", { timeout: TEST_TIMEOUT }, () =>
    withPages("viewer", 1, async (page) => {
      const backups = await assignOrder(gatewayApi, tokens.dispatcher, await createOrder(gatewayApi, tokens.storefront, uniqueCustomer("Viewer Backup")), users.agent2.id);
      const later = await createOrder(gatewayApi, tokens.storefront, uniqueCustomer("Viewer Later"));
      await openBoard(page, users.viewer.email);
      await row(page, backups).waitFor();
      await page.waitForFunction(
        ({ id, name }) => document.querySelector(`[role="row"][data-order-id="${id}"] [role="gridcell"]:nth-child(7)`)?.textContent === name,
        { id: backups.id, name: users.agent2.display_name },
      );
      assert.equal(await cell(page, later, 6).innerText(), "Unassigned");

      await assignOrder(gatewayApi, tokens.dispatcher, later, users.agent.id);
      await page.waitForFunction(
        ({ id, name }) => document.querySelector(`[role="row"][data-order-id="${id}"] [role="gridcell"]:nth-child(7)`)?.textContent === name,
        { id: later.id, name: users.agent.display_name },
        { timeout: 2_000 },
      );
      // The assignee filter lists people who work orders by name (with their open orders) for a
      // viewer too; not the viewer or the storefront account.
      const filter = page.getByLabel("Assignee");
      const filterTexts = await filter.locator("option").allTextContents();
      assert.ok(filterTexts.some((text) => /^Bea Backup · [1-9]\d* open$/.test(text)), filterTexts.join(" | "));
      assert.equal(users.agent2.display_name, "Bea Backup");
      assert.ok(!filterTexts.some((text) => text.startsWith(users.viewer.display_name) || text.startsWith(users.storefront.display_name)), filterTexts.join(" | "));
      await filter.selectOption(users.agent2.id);
      await page.waitForURL((url) => url.searchParams.get("assignee") === users.agent2.id);
      await row(page, later).waitFor({ state: "detached" });
      await row(page, backups).waitFor();
      assert.equal(await page.getByRole("link", { name: "Users" }).count(), 0);
    }));

  test("the gateway killed (-9) and restarted: the board catches up on what happened meanwhile, without reload", { timeout: 90_000 }, () =>
    withPages("gateway-restart", 1, async (page) => {
      await openBoard(page, users.dispatcher.email);
      await page.evaluate(() => {
        window.__e2eSamePage = true;
      });
      const before = await createOrder(gatewayApi, tokens.storefront, uniqueCustomer("Before Outage"));
      await row(page, before).waitFor({ timeout: 2_000 });

      const listFetches = countListFetches(page);
      await stack.kill("gateway", "SIGKILL");
      await page.locator('[role="status"]:not([data-state="live"])').waitFor({ timeout: 15_000 });
      // Straight to orders-service: the gateway is down.
      const ordersApi = `${stack.ordersUrl}/v1`;
      const meanwhile = [];
      for (const label of ["Outage One", "Outage Two", "Outage Three"]) meanwhile.push(await createOrder(ordersApi, tokens.storefront, uniqueCustomer(label)));
      meanwhile[0] = await updateOrder(ordersApi, tokens.dispatcher, meanwhile[0], { status: "CONFIRMED" });
      for (const order of meanwhile) assert.equal(await row(page, order).count(), 0);

      await stack.restartGateway();
      // Socket.IO reconnects with backoff (at most 10 s, ±50 %), then resumes with last_seq.
      for (const order of meanwhile) await row(page, order).waitFor({ timeout: 30_000 });
      await page.locator('[role="status"][data-state="live"]').waitFor({ timeout: 15_000 });
      assert.equal(await cell(page, meanwhile[0], 4).innerText(), "Confirmed");
      assert.equal(await page.evaluate(() => window.__e2eSamePage), true, "the page was reloaded");
      // Replayed from the event history (last_seq), not refetched: the history still covers the gap.
      assert.equal(listFetches.count, 0, "the board refetched the list instead of replaying the missed events");
    }));

  test("a dispatcher (users:read) sees the accounts read-only", { timeout: TEST_TIMEOUT }, () =>
    withPages("users-read-only", 1, async (page) => {
      await openBoard(page, users.dispatcher.email);
      await page.getByRole("link", { name: "Users" }).click();
      await page.waitForURL((url) => url.pathname === "/users");
      await page.getByRole("cell", { name: users.agent.email }).waitFor();
      await page.getByText("You can see the accounts but not change them.").waitFor();
      assert.equal(await page.getByRole("form", { name: "New account" }).count(), 0);
      assert.equal(await page.getByRole("button", { name: /^(Deactivate|Change roles|Rename|Reset)/ }).count(), 0);
      assert.equal(await page.getByRole("link", { name: "Audit log" }).count(), 0, "audit:read is the admin's");
    }));

  test("admin users page: create an account who can then sign in, explain duplicates and bad input, deactivate it", { timeout: TEST_TIMEOUT }, () =>
    withPages("users-page", 2, async (admin, newcomer) => {
      await openBoard(admin, stack.adminEmail);
      await admin.getByRole("link", { name: "Users" }).click();
      await admin.waitForURL((url) => url.pathname === "/users");
      await admin.getByRole("cell", { name: users.dispatcher.email }).waitFor();

      const form = admin.getByRole("form", { name: "New account" });
      // The email is taken: 409, said plainly.
      await form.getByLabel("Email").fill(users.viewer.email);
      await form.getByLabel("Display name").fill("Someone Else");
      await form.getByLabel("Password").fill("a-long-enough-password");
      await form.getByLabel("viewer").check();
      await form.getByRole("button", { name: "Create account" }).click();
      await form.getByRole("alert").filter({ hasText: "Another account already uses this email." }).waitFor();

      // A short password: the field says why (422 from the service).
      await form.getByLabel("Email").fill("newcomer@e2e.test");
      await form.getByLabel("Password").fill("short");
      await form.getByRole("button", { name: "Create account" }).click();
      const passwordError = await form.locator("#new-user-password-error").innerText();
      assert.match(passwordError, /password|characters|at least/i);

      await form.getByLabel("Display name").fill("Nok Newcomer");
      await form.getByLabel("Password").fill("newcomer-password-123");
      await form.getByRole("button", { name: "Create account" }).click();
      await admin.getByRole("cell", { name: "newcomer@e2e.test" }).waitFor();
      await screenshot(admin, "users");

      await signIn(newcomer, "newcomer@e2e.test", "newcomer-password-123");
      await newcomer.waitForURL((url) => url.pathname === "/orders");
      await newcomer.getByText("Nok Newcomer", { exact: true }).waitFor();
      await newcomer.locator('[role="status"][data-state="live"]').waitFor({ timeout: 15_000 });

      // Deactivated (after a confirmation): the open dashboard loses its session and signs out.
      await admin.getByRole("button", { name: "Deactivate Nok Newcomer" }).click();
      await admin.getByRole("group", { name: "Deactivate Nok Newcomer" }).getByRole("button", { name: "Yes, deactivate" }).click();
      await admin.getByRole("button", { name: "Reactivate Nok Newcomer" }).waitFor();
      await newcomer.waitForURL((url) => url.pathname === "/sign-in", { timeout: 15_000 });
      await signIn(newcomer, "newcomer@e2e.test", "newcomer-password-123");
      await newcomer.getByRole("alert").filter({ hasText: "Wrong email or password." }).waitFor();
    }));
  test("admin users page: rename an account and reset its password; the account's open dashboard is signed out, the temporary password signs in under the new name", { timeout: 90_000 }, () =>
    withPages("rename-and-reset", 2, async (admin, colleague) => {
      const adminToken = await login(gatewayApi, stack.adminEmail, stack.password);
      const account = await createUser(gatewayApi, adminToken, {
        email: "renamed@e2e.test",
        display_name: "Ruth Before",
        password: "renamed-old-password-1",
        roles: ["viewer"],
      });
      await openBoard(colleague, account.email, "/orders", "renamed-old-password-1");
      await colleague.getByText("Ruth Before", { exact: true }).waitFor();

      await openBoard(admin, stack.adminEmail);
      await admin.getByRole("link", { name: "Users" }).click();
      await admin.waitForURL((url) => url.pathname === "/users");
      await admin.getByRole("button", { name: "Rename Ruth Before" }).click();
      const name = admin.getByLabel("New name for Ruth Before");
      await name.fill("รุ่งนภา After");
      await admin.getByRole("button", { name: "Save name" }).click();
      await admin.getByRole("cell", { name: "รุ่งนภา After", exact: true }).waitFor();

      // The self and last-admin rules are said on the admin's own row, not discovered by a refusal.
      const own = admin.getByRole("button", { name: new RegExp(`^Deactivate ${users.admin.display_name}$`) });
      assert.equal(await own.isDisabled(), true);
      assert.match((await own.getAttribute("aria-describedby")) ?? "", /^rule-/);
      await admin.getByText("You cannot deactivate yourself: ask another administrator.").first().waitFor();

      await admin.getByRole("button", { name: "Reset the password of รุ่งนภา After" }).click();
      const password = admin.getByLabel("Temporary password for รุ่งนภา After");
      await password.fill("short");
      await admin.getByRole("button", { name: "Set password" }).click();
      await admin.locator("#reset-" + account.id + "-error").filter({ hasText: /at least|characters/i }).waitFor();
      await password.fill("temporary-password-2026");
      await admin.getByRole("button", { name: "Set password" }).click();
      await admin
        .getByRole("status")
        .filter({ hasText: "Password reset: รุ่งนภา After was signed out everywhere and signs in with the temporary password." })
        .waitFor();
      await screenshot(admin, "users-admin");

      // The colleague's open dashboard loses its session without a reload; the old password is refused.
      await colleague.waitForURL((url) => url.pathname === "/sign-in" && url.searchParams.get("reason") === "session-ended", { timeout: 20_000 });
      await signIn(colleague, account.email, "renamed-old-password-1");
      await colleague.getByRole("alert").filter({ hasText: "Wrong email or password." }).waitFor();
      await signIn(colleague, account.email, "temporary-password-2026");
      await colleague.waitForURL((url) => url.pathname === "/orders");
      await colleague.getByText("รุ่งนภา After", { exact: true }).waitFor();
      await colleague.locator('[role="status"][data-state="live"]').waitFor({ timeout: 15_000 });
    }));

  test("audit log page: an admin sees who changed which account, filters by who, action and day, and pages to older entries", { timeout: 90_000 }, () =>
    withPages("audit-log", 1, async (page) => {
      const adminToken = await login(gatewayApi, stack.adminEmail, stack.password);
      const account = await createUser(gatewayApi, adminToken, {
        email: "audited@e2e.test",
        display_name: "Audit Subject 0",
        password: "audited-password-123",
        roles: ["viewer"],
      });
      // More changes than one page holds (50).
      for (let n = 1; n <= 55; n++) await updateUser(gatewayApi, adminToken, account.id, { display_name: `Audit Subject ${n}` });
      await updateUser(gatewayApi, adminToken, account.id, { roles: ["agent"] });

      await openBoard(page, stack.adminEmail);
      await page.getByRole("link", { name: "Audit log" }).click();
      await page.waitForURL((url) => url.pathname === "/audit");
      const rows = page.locator("tr[data-audit-id]");
      const newest = rows.first();
      await newest.filter({ hasText: "Roles: agent" }).waitFor();
      assert.match(await newest.innerText(), new RegExp(`${users.admin.display_name}[\\s\\S]*Account changed[\\s\\S]*Audit Subject 55[\\s\\S]*audited@e2e.test`));
      await screenshot(page, "audit-log");

      const filters = page.getByRole("form", { name: "Filter the audit log" });
      await filters.getByLabel("Action").selectOption({ label: "Account changed" });
      await filters.getByLabel("Who").selectOption({ label: users.admin.display_name });
      await page.waitForFunction(() => document.querySelectorAll("tr[data-audit-id]").length === 50);
      assert.equal(await rows.filter({ hasText: "Account created" }).count(), 0);
      await page.getByRole("button", { name: "Show older entries" }).click();
      await page.waitForFunction(() => document.querySelectorAll("tr[data-audit-id]").length >= 56);
      await rows.getByRole("listitem").filter({ hasText: /^Name: Audit Subject 1$/ }).waitFor();
      const ids = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute("data-audit-id"))));
      assert.deepEqual(ids, [...ids].sort((a, b) => b - a), "newest first, no repeats");
      assert.equal(new Set(ids).size, ids.length);

      // A day range in the future holds nothing; a backwards one is explained and not sent.
      const tomorrow = new Date(Date.now() + 86_400_000).toLocaleDateString("sv-SE", { timeZone: "Asia/Bangkok" });
      await filters.getByLabel("From", { exact: true }).fill(tomorrow);
      await page.getByText("Nothing recorded matches these filters.").waitFor();
      await filters.getByLabel("To", { exact: true }).fill("2026-01-01");
      await page.getByRole("alert").filter({ hasText: "The 'From' day is after the 'To' day." }).waitFor();
    }));

  test("a password reset by an admin: the dashboard lands on the sign-in page and says why (open, or on the next load); the new password works and stays live", { timeout: 90_000 }, () =>
    withPages("password-reset", 1, async (page) => {
      const adminToken = await login(gatewayApi, stack.adminEmail, stack.password);
      const oldPassword = "reset-old-password-123";
      const newPassword = "reset-new-password-456";
      const account = await createUser(gatewayApi, adminToken, {
        email: "reset@e2e.test",
        display_name: "Rita Reset",
        password: oldPassword,
        roles: ["dispatcher"],
      });
      await openBoard(page, account.email, "/orders", oldPassword);
      await page.getByRole("button", { name: "Sign out" }).waitFor();

      // The reset revokes the account's refresh family and its older access tokens. Nothing is
      // reloaded here: the gateway drops the live socket, the dashboard refreshes once, that
      // refresh is refused (401), and it signs out with the reason.
      await updateUser(gatewayApi, adminToken, account.id, { password: newPassword });
      await page.waitForURL((url) => url.pathname === "/sign-in", { timeout: 20_000 });
      assert.equal(new URL(page.url()).searchParams.get("reason"), "session-ended");
      await page
        .getByRole("status")
        .filter({ hasText: "You were signed out because your session ended: your password was changed, your account was deactivated, or you signed out on another device. Sign in again to continue." })
        .waitFor();
      assert.equal(await page.locator("#sign-in-error").count(), 0, "the explanation is not shown as an error");

      // A new session after the reset is accepted (REST and socket): the board goes live and stays.
      await page.getByLabel("Email").fill(account.email);
      await page.getByLabel("Password").fill(newPassword);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => url.pathname === "/orders");
      assert.equal(new URL(page.url()).searchParams.get("reason"), null);
      await page.locator('[role="status"][data-state="live"]').waitFor({ timeout: 15_000 });
      const order = await createOrder(gatewayApi, tokens.storefront, uniqueCustomer("After Reset"));
      await row(page, order).waitFor({ timeout: 2_000 });
      assert.equal(new URL(page.url()).pathname, "/orders");

      // Reset while no dashboard is open in the tab (it left for another page): coming back, the
      // page load's refresh is refused, and the tab, which was signed in, says why too.
      await page.goto("about:blank");
      const thirdPassword = "reset-third-password-789";
      await updateUser(gatewayApi, adminToken, account.id, { password: thirdPassword });
      await page.goto(`${stack.webUrl}/orders`);
      await page.waitForURL((url) => url.pathname === "/sign-in" && url.searchParams.get("reason") === "session-ended");
      await page.getByRole("status").filter({ hasText: "You were signed out because your session ended" }).waitFor();
      await page.getByLabel("Email").fill(account.email);
      await page.getByLabel("Password").fill(thirdPassword);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => url.pathname === "/orders");
      await page.locator('[role="status"][data-state="live"]').waitFor({ timeout: 15_000 });

      // Signing out oneself: no explanation.
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL((url) => url.pathname === "/sign-in");
      assert.equal(new URL(page.url()).searchParams.get("reason"), null);
      await page.getByRole("button", { name: "Sign in" }).waitFor();
      assert.equal(await page.getByRole("status").count(), 0, "a sign-out of one's own is explained as if the session had been ended");
    }));

  test("seeding the demo accounts again (a second make dev) leaves a signed-in demo user signed in and live", { timeout: 120_000 }, () =>
    withPages("reseed", 1, async (page) => {
      // The first start creates the demo accounts, as scripts/dev.sh does.
      await stack.seedDemoUsers();
      const demo = { email: "dispatcher@example.com" };
      await openBoard(page, demo.email);
      await page.evaluate(() => {
        window.__e2eSamePage = true;
      });

      // The second start seeds again: nothing about the account changed, so its sessions live on.
      await stack.seedDemoUsers();
      // A revocation would reach the socket within milliseconds (the gateway drops it, the
      // refresh is refused): give it time to, then check nothing happened.
      await page.waitForTimeout(3_000);
      assert.equal(new URL(page.url()).pathname, "/orders", "the demo user was signed out by the re-seeding");
      await page.locator('[role="status"][data-state="live"]').waitFor({ timeout: 5_000 });
      const order = await createOrder(gatewayApi, tokens.storefront, uniqueCustomer("After Reseed"));
      await row(page, order).waitFor({ timeout: 2_000 });
      assert.equal(await page.evaluate(() => window.__e2eSamePage), true, "the page was reloaded");

      // The refresh family is intact too: a reload restores the session from the cookie.
      await page.reload();
      await page.locator('[role="status"][data-state="live"]').waitFor({ timeout: 15_000 });
      assert.equal(new URL(page.url()).pathname, "/orders", "the session did not survive a reload after the re-seeding");
      await row(page, order).waitFor();
    }));

  test("'a' on an order a colleague holds names them and asks; leaving it changes nothing, an unassigned order stays one key", { timeout: TEST_TIMEOUT }, () =>
    withPages("take-over", 1, async (page) => {
      const held = await assignOrder(gatewayApi, tokens.dispatcher, await createOrder(gatewayApi, tokens.storefront, uniqueCustomer("Held By Bea")), users.agent2.id);
      const free = await createOrder(gatewayApi, tokens.storefront, uniqueCustomer("Nobody Holds"));
      await openBoard(page, users.dispatcher.email);
      const selectRow = async (order) => {
        await row(page, order).click(); // selects it (and opens the drawer)
        await page.getByRole("dialog").waitFor();
        await page.keyboard.press("Escape"); // the drawer closes, the row stays selected
        await page.getByRole("dialog").waitFor({ state: "detached" });
      };

      await selectRow(held);
      await page.keyboard.press("a");
      const ask = page.getByRole("alertdialog", { name: `Take over ${held.number}?` });
      await ask.getByText(`${held.number} is assigned to ${users.agent2.display_name}.`, { exact: false }).waitFor();
      await ask.getByRole("button", { name: `Leave it with ${users.agent2.display_name}` }).click();
      await ask.waitFor({ state: "detached" });
      await page.waitForTimeout(500);
      assert.equal(await cell(page, held, 6).innerText(), users.agent2.display_name);

      await page.keyboard.press("a");
      await ask.getByRole("button", { name: "Take it over" }).click();
      await page.waitForFunction(
        ({ id, name }) => document.querySelector(`[role="row"][data-order-id="${id}"] [role="gridcell"]:nth-child(7)`)?.textContent === name,
        { id: held.id, name: users.dispatcher.display_name },
      );

      await selectRow(free);
      await page.keyboard.press("a");
      await page.waitForFunction(
        ({ id, name }) => document.querySelector(`[role="row"][data-order-id="${id}"] [role="gridcell"]:nth-child(7)`)?.textContent === name,
        { id: free.id, name: users.dispatcher.display_name },
      );
      assert.equal(await page.getByRole("alertdialog").count(), 0, "an unassigned order asked before assigning");
    }));

  test("cancel asks for a reason (Esc changes nothing, 'Other' needs text), the reason is recorded and shows in the timeline; so does a priority change", { timeout: TEST_TIMEOUT }, () =>
    withPages("cancel-reason", 1, async (page) => {
      const order = await createOrder(gatewayApi, tokens.storefront, uniqueCustomer("Cancel Me"));
      const read = async () => (await fetch(`${gatewayApi}/orders/${order.id}`, { headers: { authorization: `Bearer ${tokens.dispatcher}` } })).json();
      const actor = users.dispatcher.display_name;
      await openBoard(page, users.dispatcher.email);
      await row(page, order).click();
      const drawer = page.getByRole("dialog", { name: `Order ${order.number}` });

      await drawer.getByRole("combobox", { name: "Priority" }).selectOption("high");
      await drawer.getByText(`${actor} changed priority to High`).waitFor();
      await page.waitForFunction(
        ({ id }) => document.querySelector(`[role="row"][data-order-id="${id}"] [role="gridcell"]:nth-child(6)`)?.textContent?.includes("High"),
        { id: order.id },
      );

      await drawer.getByRole("button", { name: "Cancel order" }).click();
      const ask = page.getByRole("dialog", { name: `Cancel order ${order.number}?` });
      await ask.waitFor();
      assert.equal(await ask.getByRole("radio", { name: "Customer asked" }).evaluate((el) => el === document.activeElement), true, "focus did not start on the reasons");
      await ask.getByRole("radio", { name: "Duplicate order" }).check();
      await page.keyboard.press("Escape");
      await ask.waitFor({ state: "detached" });
      await drawer.waitFor(); // Esc closed the question, not the order
      await page.waitForTimeout(300);
      assert.equal((await read()).status, "PENDING", "Esc cancelled the order");

      await drawer.getByRole("button", { name: "Cancel order" }).click();
      await ask.getByRole("radio", { name: "Other" }).check();
      await ask.getByRole("button", { name: "Cancel order" }).click();
      await ask.getByText("Say what the other reason is.").waitFor();
      await ask.getByRole("textbox", { name: "Details (required for Other)" }).fill("Customer moved abroad");
      await screenshot(page, "cancel-with-reason");
      await ask.getByRole("button", { name: "Cancel order" }).click();
      await ask.waitFor({ state: "detached" });

      await drawer.getByText(`${actor} changed status to Cancelled`).waitFor();
      await drawer.getByText("Reason: Other — Customer moved abroad").waitFor();
      await drawer.getByText("Cancelled orders cannot change status.").waitFor();
      const saved = await read();
      assert.equal(saved.status, "CANCELLED");
      assert.deepEqual(saved.history.find((entry) => entry.kind === "status" && entry.to_status === "CANCELLED")?.reason, { code: "other", text: "Customer moved abroad" });
      assert.deepEqual(saved.history.find((entry) => entry.kind === "priority")?.to_priority, "high");
    }));

  test("undo: a status change offers Undo, which restores the row and the timeline; after someone else's change it says so", { timeout: TEST_TIMEOUT }, () =>
    withPages("undo", 1, async (page) => {
      const order = await createOrder(gatewayApi, tokens.storefront, uniqueCustomer("Undo Me"));
      const read = async () => (await fetch(`${gatewayApi}/orders/${order.id}`, { headers: { authorization: `Bearer ${tokens.dispatcher}` } })).json();
      const actor = users.dispatcher.display_name;
      const statusIs = (status) =>
        page.waitForFunction(
          ({ id, status }) => document.querySelector(`[role="row"][data-order-id="${id}"] [role="gridcell"]:nth-child(5)`)?.textContent === status,
          { id: order.id, status },
        );
      await openBoard(page, users.dispatcher.email);
      await row(page, order).click();
      const drawer = page.getByRole("dialog", { name: `Order ${order.number}` });
      const toast = page.getByRole("status", { name: "Undo" });

      await drawer.getByRole("button", { name: "Confirm" }).click();
      await statusIs("Confirmed");
      await toast.getByText(`${order.number} is now Confirmed.`).waitFor();
      await screenshot(page, "undo-toast");
      await toast.getByRole("button", { name: /^Undo \(\d+ s\)$/ }).click();
      await toast.getByText(`Undone: ${order.number} is back as it was.`).waitFor();
      await statusIs("Pending");
      await drawer.getByText("Undo of the change before").waitFor();
      assert.equal(await drawer.getByText(`${actor} changed status to Pending`).count(), 1);
      const restored = await read();
      assert.equal(restored.status, "PENDING");
      assert.equal(restored.history.at(-1).undo, true, "the undo is not its own history row");

      // Someone else changes it after our change: Undo is refused and says why.
      await drawer.getByRole("button", { name: "Confirm" }).click();
      await statusIs("Confirmed");
      const ours = await read();
      await updateOrder(gatewayApi, tokens.admin, ours, { status: "PROCESSING" });
      await statusIs("Processing");
      await toast.getByRole("button", { name: /^Undo \(\d+ s\)$/ }).click();
      await toast.getByText(`Not undone: someone changed ${order.number} since. It now shows their version.`).waitFor();
      assert.equal((await read()).status, "PROCESSING");
    }));

  test("scrolled down, arriving orders do not move the rows: a pill counts them (and the tab title), 'show' brings them", { timeout: 90_000 }, () =>
    withPages("hold-still", 1, async (page) => {
      for (let i = 0; i < 30; i++) await createOrder(gatewayApi, tokens.storefront, uniqueCustomer("Filler"));
      await openBoard(page, users.dispatcher.email);
      const scroller = page.getByTestId("orders-scroll");
      await scroller.evaluate((el) => el.scrollTo(0, 10 * 44));
      await page.waitForTimeout(300);
      // The first row fully in view, and where it is.
      const anchorId = await scroller.evaluate((el) => {
        const top = el.getBoundingClientRect().top;
        const rows = [...el.querySelectorAll('[role="row"][data-order-id]')];
        return rows.find((r) => r.getBoundingClientRect().top >= top)?.getAttribute("data-order-id");
      });
      const y = async () => (await page.locator(`[role="row"][data-order-id="${anchorId}"]`).boundingBox())?.y;
      const before = await y();

      const arrivals = [];
      for (const label of ["Arrival One", "Arrival Two", "Arrival Three"]) arrivals.push(await createOrder(gatewayApi, tokens.storefront, uniqueCustomer(label)));
      await page.getByRole("button", { name: "3 new orders — show" }).waitFor({ timeout: 3_000 });
      assert.equal(await y(), before, "the rows moved when orders arrived");
      assert.match(await page.title(), /^\(3\) /);
      for (const order of arrivals) assert.equal(await row(page, order).count(), 0);
      await screenshot(page, "board-new-orders-pill");

      await page.getByRole("button", { name: "3 new orders — show" }).click();
      for (const order of arrivals) await row(page, order).waitFor();
      assert.equal(await scroller.evaluate((el) => el.scrollTop), 0);
      await page.waitForFunction(() => !/^\(\d+\)/.test(document.title));
    }));

  test("offline: opening an order keeps the app and says it is offline, actions and page changes are refused; back online the board never blanks", { timeout: TEST_TIMEOUT }, () =>
    withPages("offline", 1, async (page) => {
      const order = await createOrder(gatewayApi, tokens.storefront, uniqueCustomer("Offline Click"));
      await openBoard(page, users.dispatcher.email);
      await row(page, order).waitFor();
      await page.evaluate(() => {
        window.__e2eSamePage = true;
      });
      await page.context().setOffline(true);
      await page.locator('[role="status"][data-state="offline"]').waitFor();

      await row(page, order).click();
      const drawer = page.getByRole("dialog");
      await drawer.getByText("You are offline. This order opens when the connection is back.").waitFor();
      await drawer.getByRole("heading", { name: `Order ${order.number}` }).waitFor();
      assert.equal(new URL(page.url()).searchParams.get("order"), order.id);
      await page.keyboard.press("Escape");

      // "assign to me" on the (selected) unassigned order: refused on the spot, nothing queued.
      await page.keyboard.press("a");
      await page.getByText("You are offline: nothing was changed. Try again when the connection is back.").waitFor();
      await page.getByRole("link", { name: "Users" }).click();
      await page.getByRole("alert").filter({ hasText: "You are offline: this page opens when the connection is back." }).waitFor();
      assert.equal(new URL(page.url()).pathname, "/orders");
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("alert").filter({ hasText: "You are offline: the session cannot be ended from here now." }).waitFor();
      assert.equal(new URL(page.url()).pathname, "/orders");
      // A list never read before (another tab) waits for the connection, and says so.
      await page.getByRole("tab", { name: /^Shipped/ }).click();
      await page.getByText("You are offline. These orders load when the connection is back.").waitFor();
      await page.getByRole("tab", { name: /^All/ }).click();
      await row(page, order).waitFor();
      assert.equal(await page.evaluate(() => window.__e2eSamePage), true, "the page was replaced");

      // Back online: the grid and the counts stay on screen while the board catches up.
      await page.evaluate(() => {
        window.__e2eBlanked = [];
        const check = () => {
          if (!document.querySelector('[role="grid"]')) window.__e2eBlanked.push("grid gone");
          if (document.querySelector('[role="tablist"]')?.textContent?.includes("–")) window.__e2eBlanked.push("counts gone");
        };
        window.__e2eObserver = new MutationObserver(check);
        window.__e2eObserver.observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      await page.context().setOffline(false);
      await page.locator('[role="status"][data-state="live"]').waitFor({ timeout: 20_000 });
      await row(page, order).click();
      await drawer.getByRole("button", { name: "Confirm" }).waitFor();
      assert.deepEqual(await page.evaluate(() => window.__e2eBlanked), []);
      const sent = await (await fetch(`${gatewayApi}/orders/${order.id}`, { headers: { authorization: `Bearer ${tokens.dispatcher}` } })).json();
      assert.equal(sent.assignee_id, null, "an action refused offline was sent later");
    }));

  test("a Thai name renders with the bundled Thai font (no Thai system font here)", { timeout: TEST_TIMEOUT }, () =>
    withPages("thai-font", 1, async (page) => {
      const name = "สมชาย ใจดี";
      const order = await createOrder(gatewayApi, tokens.storefront, name, { customer: { name, email: `somchai.${Date.now()}@shop.test` } });
      await openBoard(page, users.dispatcher.email);
      await row(page, order).waitFor();
      await page.evaluate(() => document.fonts.ready);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send("DOM.enable");
      await cdp.send("CSS.enable");
      const { root } = await cdp.send("DOM.getDocument", { depth: -1 });
      const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: root.nodeId, selector: `[data-order-id="${order.id}"] [role="gridcell"]:nth-child(2)` });
      const { fonts } = await cdp.send("CSS.getPlatformFontsForNode", { nodeId });
      const thai = fonts.find((font) => font.familyName === "Noto Sans Thai");
      assert.ok(thai?.isCustomFont, `the Thai glyphs came from ${JSON.stringify(fonts)}`);
      assert.equal(thai.glyphCount, [...name.replace(/\s/g, "")].length, `not every Thai glyph: ${JSON.stringify(fonts)}`);
      // Served by the dashboard itself: no request left for another origin.
      const foreign = await page.evaluate((origins) => performance.getEntriesByType("resource").map((e) => e.name).filter((url) => !origins.some((o) => url.startsWith(o))), [stack.webUrl, stack.gatewayUrl]);
      assert.deepEqual(foreign, []);
    }));
});
