-- Units per order (issue #19: the list shows units, the sum of quantities, not lines), kept on the
-- order like item_count so a list row needs no join to its items.
ALTER TABLE orders ADD COLUMN unit_count INTEGER;
UPDATE orders o SET unit_count = (SELECT sum(quantity) FROM order_items i WHERE i.order_id = o.id);
ALTER TABLE orders ALTER COLUMN unit_count SET NOT NULL,
    ADD CONSTRAINT orders_unit_count_check CHECK (unit_count >= item_count);
