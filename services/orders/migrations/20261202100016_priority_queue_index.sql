-- The queue sorted the way staff work (issue #16): `GET /orders?sort=priority` (high first,
-- then the oldest first) reads this index in order. The rank expression is word for word the
-- one repository/read.rs sorts and pages by, so the planner matches them. Newest and oldest
-- first read orders_live_created_idx forwards and backwards.
CREATE INDEX orders_live_priority_idx
    ON orders ((CASE priority WHEN 'high' THEN 0 ELSE 1 END), created_at, id)
    WHERE deleted_at IS NULL;
