#!/usr/bin/env bash
# The due-first sort (GET /orders?sort=due) at a million orders: its page with and without
# orders_open_due_idx, and one ORDER BY over every row for comparison; see docs/benchmarks.md.
# Usage: bench/due-sort-explain.sh (PostgreSQL on 127.0.0.1 as postgres; a scratch database).
set -euo pipefail
DB=lom_due_sort_explain
PSQL="psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres"
$PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
for f in "$(dirname "$0")"/../services/orders/migrations/*.sql; do $PSQL -d $DB -f "$f" >/dev/null; done
start=$(date +%s)
$PSQL -d $DB <<'SQL'
INSERT INTO customers (id, name, email) SELECT gen_random_uuid(), 'Customer ' || n, 'customer' || n || '@example.com' FROM generate_series(1, 1000) n;
INSERT INTO addresses (id, customer_id, line1, city, postal_code, country) SELECT gen_random_uuid(), id, '1 Sukhumvit Road', 'Bangkok', '10110', 'TH' FROM customers;
INSERT INTO orders (id, customer_id, shipping_address_id, status, priority, assignee_id, currency, total_minor, item_count, unit_count, created_at, updated_at)
SELECT gen_random_uuid(), a.customer_id, a.id,
  CASE WHEN age < interval '30 minutes' THEN 'PENDING' WHEN age < interval '2 hours' THEN 'CONFIRMED'
       WHEN age < interval '8 hours' THEN 'PROCESSING' WHEN age < interval '2 days' THEN 'SHIPPED'
       WHEN n % 10 = 0 THEN 'CANCELLED' ELSE 'DELIVERED' END,
  CASE WHEN n % 7 = 0 THEN 'high' ELSE 'normal' END, NULL,
  'THB', 10000 + n % 5000, 1, 1, now() - age, now() - age
FROM generate_series(1, 1000000) n
CROSS JOIN LATERAL (SELECT n * interval '17 seconds' AS age) t
JOIN (SELECT id, customer_id, row_number() OVER () - 1 AS k FROM addresses) a ON a.k = n % 1000;
VACUUM ANALYZE;
SQL
echo "seeded in $(( $(date +%s) - start )) s"
$PSQL -d $DB -c "SELECT status IN ('PENDING','CONFIRMED') AS open, count(*) FROM orders GROUP BY 1"
SEL="SELECT o.id, o.number, o.status, o.priority, c.name AS customer_name, c.email AS customer_email, o.assignee_id, o.total_minor, o.currency, o.item_count, o.unit_count, o.version, o.created_at, o.updated_at FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.deleted_at IS NULL"
ORDER="status NOT IN ('PENDING', 'CONFIRMED'), CASE WHEN status IN ('PENDING', 'CONFIRMED') THEN created_at + CASE priority WHEN 'high' THEN 900000000 ELSE 3600000000 END * interval '1 microsecond' ELSE created_at END, id"
OORDER="o.status NOT IN ('PENDING', 'CONFIRMED'), CASE WHEN o.status IN ('PENDING', 'CONFIRMED') THEN o.created_at + CASE o.priority WHEN 'high' THEN 900000000 ELSE 3600000000 END * interval '1 microsecond' ELSE o.created_at END, o.id"
page() { # $1: extra condition for the open runs, $2: for the rest
cat <<Q
SELECT * FROM (
 ($SEL AND o.status IN ('PENDING', 'CONFIRMED') AND o.priority = 'high' $1 ORDER BY o.created_at, o.id LIMIT 51)
 UNION ALL ($SEL AND o.status IN ('PENDING', 'CONFIRMED') AND o.priority = 'normal' $1 ORDER BY o.created_at, o.id LIMIT 51)
 UNION ALL ($SEL AND NOT o.status IN ('PENDING', 'CONFIRMED') $2 ORDER BY o.created_at, o.id LIMIT 51)
) AS page ORDER BY $ORDER LIMIT 51
Q
}
for indexes in with without; do
  if [ $indexes = without ]; then $PSQL -d $DB -c "DROP INDEX orders_open_due_idx" -c "ANALYZE"; fi
  echo "==== $indexes orders_open_due_idx"
  echo "-- first page"; $PSQL -d $DB -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $(page '' '')"
  CUR=$($PSQL -d $DB -At -c "SELECT created_at FROM orders WHERE status NOT IN ('PENDING','CONFIRMED') ORDER BY created_at LIMIT 1 OFFSET 500000")
  echo "-- a page half-way through the rest"; $PSQL -d $DB -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $(page 'AND false' "AND (o.created_at, o.id) > ('$CUR', '00000000-0000-0000-0000-000000000000')")"
  echo "-- one ORDER BY over every row (what a page would cost without the runs)"; $PSQL -d $DB -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $SEL ORDER BY $OORDER LIMIT 51"
done
$PSQL -d postgres -c "DROP DATABASE $DB"
