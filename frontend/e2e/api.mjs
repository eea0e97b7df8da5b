// Small HTTP helpers for the browser tests: seeding accounts through users-service as the admin
// (as `make dev` does), and creating/changing orders through the gateway (or orders-service
// directly when the gateway is down) the way a storefront or a colleague would.
import { randomBytes } from "node:crypto";

async function call(method, url, { token, body, expect = [200, 201, 204] } = {}) {
  const response = await fetch(url, {
    method,
    headers: { ...(body ? { "Content-Type": "application/json" } : {}), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!expect.includes(response.status)) throw new Error(`${method} ${url} → ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** `POST {base}/auth/login`: users-service answers at /v1, the gateway at /api/v1. */
export async function login(base, email, password) {
  const { access_token } = await call("POST", `${base}/auth/login`, { body: { email, password } });
  return access_token;
}

export const ROLES = ["dispatcher", "agent", "viewer", "storefront"];

/** Creates one account per role (plus a second agent) through users-service as the admin. */
export async function seedUsers(stack) {
  const adminToken = await login(`${stack.usersUrl}/v1`, stack.adminEmail, stack.password);
  const wanted = [
    { key: "dispatcher", email: "dispatcher@e2e.test", display_name: "Dana Dispatcher", roles: ["dispatcher"] },
    { key: "agent", email: "agent@e2e.test", display_name: "Arun Agent", roles: ["agent"] },
    { key: "agent2", email: "agent2@e2e.test", display_name: "Bea Backup", roles: ["agent"] },
    { key: "viewer", email: "viewer@e2e.test", display_name: "Vic Viewer", roles: ["viewer"] },
    { key: "storefront", email: "storefront@e2e.test", display_name: "Shop Front", roles: ["storefront"] },
  ];
  const users = { admin: { email: stack.adminEmail, display_name: null } };
  for (const { key, ...user } of wanted) {
    const created = await call("POST", `${stack.usersUrl}/v1/users`, { token: adminToken, body: { ...user, password: stack.password } });
    users[key] = created;
  }
  const me = await call("GET", `${stack.usersUrl}/v1/auth/me`, { token: adminToken });
  users.admin = me;
  return users;
}

/** `POST {base}/users` as the admin: the created account. */
export function createUser(base, adminToken, user) {
  return call("POST", `${base}/users`, { token: adminToken, body: user });
}

/** `PATCH {base}/users/{id}` as the admin (display name, roles, active, password reset). */
export function updateUser(base, adminToken, id, patch) {
  return call("PATCH", `${base}/users/${id}`, { token: adminToken, body: patch });
}

let counter = 0;

/** A unique, searchable customer name for one test order. */
export function uniqueCustomer(label) {
  counter += 1;
  return `${label} ${randomBytes(3).toString("hex")}${counter}`;
}

const CATALOGUE = [
  { sku: "TEA-001", name: "Jasmine tea 100 g", unit_price: 12500 },
  { sku: "MUG-014", name: "Celadon mug", unit_price: 39000 },
  { sku: "RICE-5KG", name: "Hom Mali rice 5 kg", unit_price: 28900 },
  { sku: "SILK-220", name: "Silk scarf", unit_price: 129000 },
  { sku: "CHILI-07", name: "Nam prik pao jar", unit_price: 8900 },
];
const ADDRESSES = [
  { line1: "99 Sukhumvit Rd", city: "Bangkok", postal_code: "10110", country: "TH" },
  { line1: "12 Nimmanhaemin Rd", city: "Chiang Mai", postal_code: "50200", country: "TH" },
  { line1: "4 Beach Rd", city: "Phuket", postal_code: "83150", country: "TH" },
];
let bodies = 0;

/** A realistic order body: one to three catalogue items, a Thai address. */
export function orderBody(customerName, extra = {}) {
  bodies += 1;
  const items = CATALOGUE.filter((_, i) => (i + bodies) % 3 === 0 || i === bodies % CATALOGUE.length).map((item, i) => ({
    ...item,
    quantity: 1 + ((bodies + i) % 3),
  }));
  return {
    customer: { name: customerName, email: `${customerName.replace(/\W+/g, ".").toLowerCase()}@shop.test` },
    shipping_address: ADDRESSES[bodies % ADDRESSES.length],
    items,
    ...extra,
  };
}

/** `POST /api/v1/orders` (or `/v1/orders` on orders-service): the created order. */
export function createOrder(base, token, customerName, extra) {
  return call("POST", `${base}/orders`, { token, body: orderBody(customerName, extra) });
}

export function assignOrder(base, token, order, assigneeId) {
  return call("POST", `${base}/orders/${order.id}/assign`, { token, body: { assignee_id: assigneeId, version: order.version } });
}

export function updateOrder(base, token, order, patch) {
  return call("PATCH", `${base}/orders/${order.id}`, { token, body: { ...patch, version: order.version } });
}
