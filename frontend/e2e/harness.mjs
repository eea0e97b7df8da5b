// The shared harness of the browser end-to-end tests: one real stack (stack.mjs) and one
// Debian Chromium per test file, the seeded accounts and their tokens, and the page helpers
// every suite uses. A test file calls `setUpDashboardStack()` once at its top level; the
// exported `let` bindings (browser, users, gatewayApi, tokens) are live and set before its
// first test runs.
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before } from "node:test";
import { assignOrder, createOrder, login, seedUsers, updateOrder } from "./api.mjs";
import { launchChromium, requireChromium } from "./chromium.mjs";
import { Stack } from "./stack.mjs";

const ARTIFACTS = resolve(import.meta.dirname, "artifacts");
const SCREENSHOTS = process.env.LOM_SCREENSHOTS_DIR ? resolve(process.env.LOM_SCREENSHOTS_DIR) : null;
export const TEST_TIMEOUT = 60_000;

export const stack = new Stack();
export let browser;
export let users;
export let gatewayApi;
export let tokens;

/** Opens a fresh browser context (its own cookies and storage: another person at another desk). */
export async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1360, height: 820 }, locale: "en-US", timezoneId: "Asia/Bangkok" });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

/** Runs `body` with fresh pages; on failure keeps a screenshot of each in e2e/artifacts. */
export async function withPages(name, count, body) {
  const pages = [];
  for (let i = 0; i < count; i++) pages.push(await newPage());
  try {
    await body(...pages);
  } catch (error) {
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const [i, page] of pages.entries()) {
      await page.screenshot({ path: join(ARTIFACTS, `${name.replace(/\W+/g, "-")}-${i}.png`) }).catch(() => {});
    }
    throw error;
  } finally {
    for (const page of pages) await page.context().close().catch(() => {});
  }
}

export async function screenshot(page, name) {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.waitForTimeout(300); // let animations (row highlight, badge) settle
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

export async function signIn(page, email, password = stack.password, webUrl = stack.webUrl) {
  await page.goto(`${webUrl}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs in and waits for the board to be live (socket subscribed) with its first rows shown. */
export async function openBoard(page, email, path = "/orders", password = stack.password) {
  await signIn(page, email, password);
  await page.waitForURL((url) => url.pathname === "/orders");
  if (path !== "/orders") await page.goto(`${stack.webUrl}${path}`);
  await page.locator('[role="status"][data-state="live"]').waitFor({ timeout: 15_000 });
  await page.locator('[role="row"][data-order-id]').first().waitFor();
}

/** Counts the order-list fetches a page makes from now on: live updates must come from the socket. */
export function countListFetches(page) {
  const counter = { count: 0 };
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (request.method() === "GET" && url.pathname === "/api/v1/orders") counter.count += 1;
  });
  return counter;
}

export const row = (page, order) => page.locator(`[role="row"][data-order-id="${order.id}"]`);
/** The grid cells of a row: number, customer, items, total, status, priority, assignee, age. */
export const cell = (page, order, index) => row(page, order).locator('[role="gridcell"]').nth(index);

/** Starts the stack and the browser before the file's first test and stops both after its last. */
export function setUpDashboardStack() {
  before(async () => {
    requireChromium();
    await stack.start();
    users = await seedUsers(stack);
    gatewayApi = `${stack.gatewayUrl}/api/v1`;
    tokens = {
      storefront: await login(gatewayApi, users.storefront.email, stack.password),
      dispatcher: await login(gatewayApi, users.dispatcher.email, stack.password),
      admin: await login(gatewayApi, stack.adminEmail, stack.password),
    };
    // Some traffic so the board is not empty: varied statuses and assignees.
    const names = ["Somchai Jaidee", "Mali Srisuk", "Olivia Brown", "Niran Wong", "James Carter", "Pim Rattana"];
    for (const [i, name] of names.entries()) {
      let order = await createOrder(gatewayApi, tokens.storefront, name, { priority: i % 3 === 0 ? "high" : "normal" });
      if (i % 2 === 1) order = await updateOrder(gatewayApi, tokens.dispatcher, order, { status: "CONFIRMED" });
      if (i === 3) order = await updateOrder(gatewayApi, tokens.dispatcher, order, { status: "PROCESSING" });
      if (i % 3 === 1) order = await assignOrder(gatewayApi, tokens.dispatcher, order, users.agent2.id);
    }
    // launch() gives the browser a fresh temporary profile (user-data dir), removed on close.
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await stack.stop();
  });
}
