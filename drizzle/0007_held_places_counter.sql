-- Places held by open checkouts, counted once instead of on every hold.
--
-- place_hold summed the quantities of every live hold of the ticket type under the type's row lock:
-- the hold's cost grew with the checkouts open on the type (+0.1 ms per 1,000, and more before a
-- vacuum), exactly when everybody wants the same tickets. In a bench run the server's CPU per
-- purchase climbed from 0.7 to 1.1–1.2 ms within a minute as the holds piled up. Now triggers on
-- event_payments keep the held places in ticket_type_places.held, next to the places taken (0006).
--
-- A payment's places are held while it is pending and its hold has not lapsed. A hold still
-- expires by itself: every count subtracts the held places and adds back those of holds past their
-- expiry, so nothing waits for a job. The next hold on the type, under the type's lock, marks the
-- expired ones lapsed (which the triggers subtract), so that correction stays a handful of rows.
-- Lapsed is final: once given back, the places are not the payment's whatever a clock says later,
-- and fulfilment re-counts capacity for a lapsed hold as for an expired one.
--
-- Slots: as for the places taken, writers that release places add to the slot of their connection
-- (backend pid mod 8). A new hold adds to slot 8, its own: place_hold writes it under the type's
-- lock, so holds never queue on each other's row and never wait for a fulfilment's slot row.
-- The triggers are per row (with WHEN, so the updates that leave the held places alone — storing the
-- Checkout Session, most webhook bookkeeping — never call them). The app changes the holding of one
-- payment per statement, or of one ticket type's expired holds, so slot rows are never locked in
-- conflicting orders by its statements.
DROP INDEX "event_payments_active_holds_idx";--> statement-breakpoint
ALTER TABLE "event_payments" ADD COLUMN "hold_lapsed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "ticket_type_places" ADD COLUMN "held" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "event_payments_active_holds_idx" ON "event_payments" USING btree ("ticket_type_id","hold_expires_at") WHERE "event_payments"."status" = 'pending' and not "event_payments"."hold_lapsed";
--> statement-breakpoint
CREATE FUNCTION payment_places_held_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Called only when the held places change (see the triggers' WHEN): the old row's go, the new row's come.
  IF TG_OP <> 'INSERT' AND OLD.status = 'pending' AND NOT OLD.hold_lapsed
     AND (TG_OP = 'UPDATE' OR EXISTS (SELECT 1 FROM ticket_types t WHERE t.id = OLD.ticket_type_id)) THEN
    -- (A ticket type being deleted takes its slots with it; writing one back would break its foreign key.)
    INSERT INTO ticket_type_places AS p (ticket_type_id, slot, held)
    VALUES (OLD.ticket_type_id, pg_backend_pid() % 8, -OLD.quantity)
    ON CONFLICT (ticket_type_id, slot) DO UPDATE SET held = p.held + excluded.held;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.status = 'pending' AND NOT NEW.hold_lapsed THEN
    INSERT INTO ticket_type_places AS p (ticket_type_id, slot, held)
    VALUES (NEW.ticket_type_id, CASE WHEN TG_OP = 'INSERT' THEN 8 ELSE pg_backend_pid() % 8 END, NEW.quantity)
    ON CONFLICT (ticket_type_id, slot) DO UPDATE SET held = p.held + excluded.held;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER event_payments_held_insert AFTER INSERT ON event_payments
  FOR EACH ROW WHEN (NEW.status = 'pending' AND NOT NEW.hold_lapsed)
  EXECUTE FUNCTION payment_places_held_changed();
--> statement-breakpoint
-- Most updates (storing the Checkout Session, webhook bookkeeping) leave the held places alone and
-- never call the function.
CREATE TRIGGER event_payments_held_update AFTER UPDATE ON event_payments
  FOR EACH ROW WHEN (
    (OLD.status = 'pending' AND NOT OLD.hold_lapsed) IS DISTINCT FROM (NEW.status = 'pending' AND NOT NEW.hold_lapsed)
    OR (NEW.status = 'pending' AND NOT NEW.hold_lapsed
        AND (OLD.quantity IS DISTINCT FROM NEW.quantity OR OLD.ticket_type_id IS DISTINCT FROM NEW.ticket_type_id)))
  EXECUTE FUNCTION payment_places_held_changed();
--> statement-breakpoint
CREATE TRIGGER event_payments_held_delete AFTER DELETE ON event_payments
  FOR EACH ROW WHEN (OLD.status = 'pending' AND NOT OLD.hold_lapsed)
  EXECUTE FUNCTION payment_places_held_changed();
--> statement-breakpoint
CREATE FUNCTION payment_places_held_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE ticket_type_places SET held = 0 WHERE held <> 0;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER event_payments_held_truncate AFTER TRUNCATE ON event_payments
  FOR EACH STATEMENT EXECUTE FUNCTION payment_places_held_truncated();
--> statement-breakpoint
-- Emptying tickets must leave the held places alone (0006 deleted every slot row).
CREATE OR REPLACE FUNCTION ticket_places_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE ticket_type_places SET taken = 0 WHERE taken <> 0;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
INSERT INTO ticket_type_places AS p (ticket_type_id, slot, held)
SELECT ticket_type_id, 8, sum(quantity)::int FROM event_payments WHERE status = 'pending' AND NOT hold_lapsed GROUP BY ticket_type_id
ON CONFLICT (ticket_type_id, slot) DO UPDATE SET held = excluded.held;
--> statement-breakpoint
-- place_hold as in 0006: expired holds lapse under the lock, and the count reads the counters.
CREATE OR REPLACE FUNCTION place_hold(
  p_event_id uuid,
  p_ticket_type_id uuid,
  p_ticket_type_name text,
  p_user_id text,
  p_quantity integer,
  p_request_key text,
  p_now timestamptz,
  p_hold_expires_at timestamptz,
  p_max_open_checkouts integer,
  p_insert boolean
) RETURNS TABLE (
  "eventFound" boolean,
  "eventStatus" text,
  "eventEndsAt" timestamptz,
  "eventTitle" text,
  "ticketTypeId" uuid,
  "organizationId" uuid,
  "ticketTypeName" text,
  "price" integer,
  "currency" text,
  "maxPerOrder" integer,
  "salesStartAt" timestamptz,
  "salesEndAt" timestamptz,
  "available" integer,
  "openCheckouts" integer,
  "resumeUrl" text,
  "canHold" boolean,
  "createdId" uuid,
  "createdAt" timestamptz,
  "existingId" uuid,
  "existingTicketTypeId" uuid,
  "existingQuantity" integer
) LANGUAGE plpgsql VOLATILE SET enable_seqscan = off AS $$
#variable_conflict use_column
DECLARE
  v_ticket_type uuid;
BEGIN
  -- Taken first, before anything reads payments: fulfilment locks in the same order (ticket type,
  -- then payment), so the two can never deadlock. NO KEY UPDATE, like every ticket type lock: the
  -- lockers exclude each other, while inserts that merely reference the type (a paid payment's
  -- tickets, whose foreign key takes KEY SHARE) never wait behind a queue of buyers.
  IF p_insert THEN
    PERFORM set_config('synchronous_commit', 'off', true);
    IF p_ticket_type_id IS NOT NULL THEN
      SELECT t.id INTO v_ticket_type FROM ticket_types t
        WHERE t.id = p_ticket_type_id AND t.event_id = p_event_id FOR NO KEY UPDATE;
    ELSE
      SELECT t.id INTO v_ticket_type FROM ticket_types t
        WHERE t.event_id = p_event_id AND lower(t.name) = lower(p_ticket_type_name) FOR NO KEY UPDATE;
    END IF;
    -- Holds of this type that have expired give their places back now, under the lock: the count
    -- below then reads a handful of counter rows, however many checkouts are open.
    IF v_ticket_type IS NOT NULL THEN
      UPDATE event_payments hold SET hold_lapsed = true
        WHERE hold.ticket_type_id = v_ticket_type AND hold.status = 'pending' AND NOT hold.hold_lapsed
          AND hold.hold_expires_at <= p_now;
    END IF;
  ELSIF p_ticket_type_id IS NOT NULL THEN
    SELECT t.id INTO v_ticket_type FROM ticket_types t WHERE t.id = p_ticket_type_id AND t.event_id = p_event_id;
  ELSE
    SELECT t.id INTO v_ticket_type FROM ticket_types t WHERE t.event_id = p_event_id AND lower(t.name) = lower(p_ticket_type_name);
  END IF;

  RETURN QUERY
  WITH ev AS (
    SELECT e.id, e.status::text AS status, e.ends_at, e.title FROM events e WHERE e.id = p_event_id
  ), tt AS (
    SELECT t.id, t.organization_id, t.name, t.price, t.currency, t.max_per_order, t.sales_start_at, t.sales_end_at,
           (t.capacity
             - (SELECT coalesce(sum(places.taken + places.held), 0) FROM ticket_type_places places WHERE places.ticket_type_id = t.id)
             -- Held places of holds expired but not given back yet (none after the lock's reclaim).
             + (SELECT coalesce(sum(hold.quantity), 0) FROM event_payments hold
                 WHERE hold.ticket_type_id = t.id AND hold.status = 'pending' AND NOT hold.hold_lapsed
                   AND hold.hold_expires_at <= p_now))::int AS available
    FROM ticket_types t WHERE t.id = v_ticket_type
  ), mine AS (
    SELECT count(*)::int AS open_checkouts,
           (array_agg(p.stripe_checkout_url ORDER BY p.created_at DESC)
             FILTER (WHERE p.stripe_checkout_url IS NOT NULL))[1] AS resume_url
    FROM event_payments p
    WHERE p.user_id = p_user_id AND p.event_id = p_event_id AND p.status = 'pending'
      AND p.hold_expires_at > p_now AND NOT p.hold_lapsed AND p.processing_at IS NULL
  ), existing AS (
    SELECT p.id, p.ticket_type_id, p.quantity FROM event_payments p
    WHERE p_request_key IS NOT NULL AND p.user_id = p_user_id AND p.request_key = p_request_key
  ), decision AS (
    SELECT (ev.status = 'published' AND ev.ends_at > p_now
      AND p_quantity BETWEEN 1 AND tt.max_per_order
      AND (tt.sales_start_at IS NULL OR tt.sales_start_at <= p_now)
      AND (tt.sales_end_at IS NULL OR tt.sales_end_at > p_now)
      AND tt.available >= p_quantity
      AND mine.open_checkouts < p_max_open_checkouts
      AND NOT EXISTS (SELECT 1 FROM existing)) AS can_hold
    FROM ev, tt, mine
  ), ins AS (
    INSERT INTO event_payments (organization_id, event_id, user_id, ticket_type_id, quantity,
      unit_amount, amount_total, currency, request_key, hold_expires_at, created_at, updated_at)
    SELECT tt.organization_id, ev.id, p_user_id, tt.id, p_quantity, tt.price, tt.price * p_quantity,
           tt.currency, p_request_key, p_hold_expires_at, p_now, p_now
    FROM ev, tt, decision
    WHERE decision.can_hold AND p_insert
    RETURNING event_payments.id, event_payments.created_at
  )
  SELECT ev.id IS NOT NULL, ev.status, ev.ends_at, ev.title,
         tt.id, tt.organization_id, tt.name, tt.price, tt.currency, tt.max_per_order,
         tt.sales_start_at, tt.sales_end_at, tt.available,
         mine.open_checkouts, mine.resume_url, decision.can_hold,
         ins.id, ins.created_at,
         existing.id, existing.ticket_type_id, existing.quantity
  FROM (SELECT 1) AS base
  LEFT JOIN ev ON true LEFT JOIN tt ON true LEFT JOIN mine ON true LEFT JOIN decision ON true
  LEFT JOIN ins ON true LEFT JOIN existing ON true;
END;
$$;
