// Seeds the orders database the way orders-service would have written N orders, in one SQL
// statement per table (generate_series): a customer and address per ten orders, one item line,
// the first history row; ages spread over the last hours so every status tab has orders and
// some are assigned to the seeded agents. Also reads the per-status counts back, as the truth
// the board must show.
import { execFileSync } from "node:child_process";

function psql(databaseUrl, sql) {
  return execFileSync("psql", [databaseUrl, "-v", "ON_ERROR_STOP=1", "-qAtc", sql], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** Inserts `count` orders (order n was created n × 5 s ago) assigned to `assignees` in turn, one in three unassigned. */
export function seedOrders(databaseUrl, count, assignees) {
  const people = assignees.map((id) => `'${id}'::uuid`).join(",");
  psql(
    databaseUrl,
    `BEGIN;
     CREATE TEMP TABLE seed_customers ON COMMIT DROP AS
       SELECT gen_random_uuid() AS id, gen_random_uuid() AS address_id, k
       FROM generate_series(0, ${Math.ceil(count / 10) - 1}) k;
     INSERT INTO customers (id, name, email)
       SELECT id, 'Seeded customer ' || k, 'seeded' || k || '@shop.test' FROM seed_customers;
     INSERT INTO addresses (id, customer_id, line1, city, postal_code, country)
       SELECT address_id, id, k || ' Sukhumvit Rd', 'Bangkok', '10110', 'TH' FROM seed_customers;
     CREATE TEMP TABLE seed_orders ON COMMIT DROP AS
       SELECT gen_random_uuid() AS id, n, n * interval '5 seconds' AS age FROM generate_series(1, ${count}) n;
     INSERT INTO orders (id, customer_id, shipping_address_id, status, priority, assignee_id,
                         currency, total_minor, item_count, unit_count, created_at, updated_at)
       SELECT o.id, c.id, c.address_id,
         CASE WHEN o.age < interval '20 minutes' THEN 'PENDING'
              WHEN o.age < interval '1 hour' THEN 'CONFIRMED'
              WHEN o.age < interval '3 hours' THEN 'PROCESSING'
              WHEN o.age < interval '6 hours' THEN 'SHIPPED'
              WHEN o.n % 10 = 0 THEN 'CANCELLED' ELSE 'DELIVERED' END,
         CASE WHEN o.n % 7 = 0 THEN 'high' ELSE 'normal' END,
         CASE WHEN o.n % 3 = 0 THEN NULL ELSE (ARRAY[${people}])[1 + o.n % ${assignees.length}] END,
         'THB', 12500 * (1 + o.n % 3), 1, 1 + o.n % 3, now() - o.age, now() - o.age
       FROM seed_orders o JOIN seed_customers c ON c.k = o.n / 10 % ${Math.ceil(count / 10)};
     INSERT INTO order_items (order_id, line_no, sku, name, quantity, unit_price_minor, line_total_minor)
       SELECT o.id, 1, 'TEA-001', 'Jasmine tea 100 g', o.unit_count, 12500, 12500 * o.unit_count
       FROM orders o JOIN seed_orders s ON s.id = o.id;
     INSERT INTO order_status_history (order_id, from_status, to_status, actor_id, changed_at)
       SELECT id, NULL, 'PENDING', '00000000-0000-7000-8000-00000000beef', created_at FROM seed_orders JOIN orders USING (id);
     COMMIT;
     ANALYZE;`,
  );
}

/** Live orders per status, straight from the database: `{ PENDING: n, … }`. */
export function countsInDatabase(databaseUrl) {
  const counts = {};
  for (const line of psql(databaseUrl, "SELECT status, count(*) FROM orders WHERE deleted_at IS NULL GROUP BY status").trim().split("\n")) {
    if (!line) continue;
    const [status, count] = line.split("|");
    counts[status] = Number(count);
  }
  return counts;
}
