-- The search's trigram indexes index lower(column) instead of the column itself.
--
-- A GIN trigram index on a plain column also answers `column = value` (pg_trgm ≥ 1.4), and
-- the planner picked customers_email_trgm for the intake's `customers.email = …` lookup of
-- every created order: each lookup then read the index's whole pending list (up to
-- gin_pending_list_limit, 4 MB), ≈ 40 ms per order once it had filled — the intake fell from
-- ≈ 800 to ≈ 50–75 orders per second in `bench/create-batch.pgbench` until autovacuum emptied
-- the list. An index on lower(column) cannot answer an equality on the column, so equality
-- lookups go through the unique B-trees, and the search (`lower(column) LIKE lower(pattern)`,
-- the same matches as ILIKE) still uses these.
DROP INDEX customers_name_trgm, customers_email_trgm, orders_number_trgm;
CREATE INDEX customers_name_trgm ON customers USING gin (lower(name) gin_trgm_ops);
CREATE INDEX customers_email_trgm ON customers USING gin (lower(email) gin_trgm_ops);
CREATE INDEX orders_number_trgm ON orders USING gin (lower(number) gin_trgm_ops);
