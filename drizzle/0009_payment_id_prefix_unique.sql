-- Receipt numbers are RCP-YYYY-MMDD-XXXXXXXX: the payment's success day (UTC) and the first 8
-- characters of its id (DESIGN.md, invariant 6). Payment ids are random, so two payments whose ids
-- started alike and that succeeded on the same day got the same number: the receipt's unique
-- constraint failed the whole fulfilment statement, every webhook retry answered 500, and the buyer
-- had paid for nothing (birthday odds: ~n²/2³³ a day, 0.3 % a day at 5,000 payments a day).
--
-- Now no two payments share the first 8 characters of their ids (event_payments_id_prefix_idx), so
-- no two receipts can share a number, whatever day they succeed on. Ids are drawn where they are
-- made:
-- * place_hold, the purchase hot path, inserts with ON CONFLICT on that index DO NOTHING and draws
--   again when it was refused: race-free (the index decides, also against a concurrent insert) and
--   without a PL/pgSQL EXCEPTION block, which would open a subtransaction on every hold.
-- * Every other insert that leaves the id to the database (seed data, benchmarks, tests) gets
--   new_event_payment_id(): random ids until one whose prefix is free (it sees the rows its own
--   statement inserted before, so bulk inserts work). Two concurrent inserts that draw the same new
--   prefix at the same moment are not excluded by it: the index refuses the second, loudly.
-- * An id given explicitly that starts like an existing payment's is refused by the index.
--
-- On a database whose payments already share a prefix, the index cannot be built: the migration
-- stops before changing anything and names them (see the check below).

-- Existing payments that share a prefix: stop, naming them. Their ids cannot be changed here —
-- Stripe's Checkout Sessions and PaymentIntents carry them in their metadata, and receipts already
-- issued are never rewritten (invariant 6) — and leaving some out of the index would let a new
-- payment take their prefix again. Someone has to look at them; the hint says how.
DO $$
DECLARE
  v_groups integer;
  v_listed text;
BEGIN
  SELECT count(*)::int, string_agg(line, E'\n' ORDER BY prefix) FILTER (WHERE n <= 50)
    INTO v_groups, v_listed
  FROM (
    SELECT shared.prefix, row_number() OVER (ORDER BY shared.prefix) AS n,
           '  ' || shared.prefix || ': ' || string_agg(p.id::text || ' (' || p.status::text || ', created '
             || to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC'
             || coalesce(', receipt ' || r.receipt_number, ', no receipt') || ')', ', ' ORDER BY p.created_at, p.id) AS line
    FROM (SELECT left(id::text, 8) AS prefix FROM event_payments GROUP BY 1 HAVING count(*) > 1) shared
    JOIN event_payments p ON left(p.id::text, 8) = shared.prefix
    LEFT JOIN event_payment_receipts r ON r.payment_id = p.id
    GROUP BY shared.prefix
  ) groups;
  IF v_groups > 0 THEN
    RAISE EXCEPTION E'migration 0009: % group(s) of payments share the first 8 characters of their ids, which receipt numbers (RCP-YYYY-MMDD-XXXXXXXX) are made of, so the unique index event_payments_id_prefix_idx cannot be built (first 50 shown):\n%',
      v_groups, v_listed
      USING HINT = 'Nothing was changed. Two payments of a group get the same receipt number only if both succeed on the same UTC day: '
        || 'one already paid on another day keeps its receipt. Payment ids are in Stripe''s metadata and cannot be renumbered here; '
        || 'resolve each group (e.g. a payment that never succeeded, with no Stripe events or refunds, may be deleted) and run the migration again.';
  END IF;
END;
$$;--> statement-breakpoint
-- The id default (seed data, scripts, tests): see the header. Not used by place_hold, which draws
-- its own ids. enable_seqscan off for the same reason as place_hold's ("Plans that stay keyed" in
-- the README): a plan made on a young table must not turn into a scan of every payment later.
CREATE FUNCTION new_event_payment_id() RETURNS uuid LANGUAGE plpgsql VOLATILE SET enable_seqscan = off AS $$
DECLARE
  v_id uuid;
BEGIN
  FOR v_draw IN 1..10 LOOP
    v_id := gen_random_uuid();
    IF NOT EXISTS (SELECT 1 FROM event_payments p WHERE left(p.id::text, 8) = left(v_id::text, 8)) THEN
      RETURN v_id;
    END IF;
  END LOOP;
  RAISE EXCEPTION 'new_event_payment_id: 10 payment ids drawn in a row started like existing payments'' ids';
END;
$$;--> statement-breakpoint
ALTER TABLE "event_payments" ALTER COLUMN "id" SET DEFAULT new_event_payment_id();--> statement-breakpoint
CREATE UNIQUE INDEX "event_payments_id_prefix_idx" ON "event_payments" USING btree (left("id"::text, 8));--> statement-breakpoint
-- place_hold as in 0008, except that its insert draws the id and draws again when the prefix is
-- taken. Lock order, every rule and the result are unchanged; ON CONFLICT names the index's
-- expression exactly, so no other conflict (the request key's) is ever swallowed.
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
  v_draws integer := 0;
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

  -- The loop's statement keeps 0008's text and indentation (diff the two), except for the insert,
  -- which draws the id itself and lets the id-prefix index refuse it (ON CONFLICT … DO NOTHING:
  -- no error, no subtransaction), and the result, which is read INTO the output columns so that a
  -- refused draw can run the statement again before anything is returned.
  LOOP
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
    -- Keyed by the buyer alone, on purpose (see this migration's header): the rest is a filter.
    SELECT count(*) FILTER (WHERE p.event_id = p_event_id AND p.hold_expires_at > p_now AND NOT p.hold_lapsed)::int
             AS open_checkouts,
           (array_agg(p.stripe_checkout_url ORDER BY p.created_at DESC)
             FILTER (WHERE p.event_id = p_event_id AND p.hold_expires_at > p_now AND NOT p.hold_lapsed
               AND p.stripe_checkout_url IS NOT NULL))[1] AS resume_url
    FROM event_payments p
    WHERE p.user_id = p_user_id AND p.status = 'pending' AND p.processing_at IS NULL
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
    INSERT INTO event_payments (id, organization_id, event_id, user_id, ticket_type_id, quantity,
      unit_amount, amount_total, currency, request_key, hold_expires_at, created_at, updated_at)
    SELECT gen_random_uuid(), tt.organization_id, ev.id, p_user_id, tt.id, p_quantity, tt.price, tt.price * p_quantity,
           tt.currency, p_request_key, p_hold_expires_at, p_now, p_now
    FROM ev, tt, decision
    WHERE decision.can_hold AND p_insert
    ON CONFLICT ((left(id::text, 8))) DO NOTHING
    RETURNING event_payments.id, event_payments.created_at
  )
  SELECT ev.id IS NOT NULL, ev.status, ev.ends_at, ev.title,
         tt.id, tt.organization_id, tt.name, tt.price, tt.currency, tt.max_per_order,
         tt.sales_start_at, tt.sales_end_at, tt.available,
         mine.open_checkouts, mine.resume_url, decision.can_hold,
         ins.id, ins.created_at,
         existing.id, existing.ticket_type_id, existing.quantity
  INTO "eventFound", "eventStatus", "eventEndsAt", "eventTitle",
       "ticketTypeId", "organizationId", "ticketTypeName", "price", "currency", "maxPerOrder",
       "salesStartAt", "salesEndAt", "available",
       "openCheckouts", "resumeUrl", "canHold",
       "createdId", "createdAt",
       "existingId", "existingTicketTypeId", "existingQuantity"
  FROM (SELECT 1) AS base
  LEFT JOIN ev ON true LEFT JOIN tt ON true LEFT JOIN mine ON true LEFT JOIN decision ON true
  LEFT JOIN ins ON true LEFT JOIN existing ON true;
  -- Placed, refused by a rule, or only looking: that is the answer. Allowed but not inserted means
  -- the id drawn starts like an existing payment's (1 in 430,000 per draw with 10,000 payments):
  -- draw again. The next run decides afresh, still under the ticket type's lock, so nothing
  -- another transaction did in between can be missed.
  EXIT WHEN "createdId" IS NOT NULL OR NOT p_insert OR "canHold" IS NOT TRUE;
  v_draws := v_draws + 1;
  IF v_draws >= 10 THEN
    RAISE EXCEPTION 'place_hold: % payment ids drawn in a row started like existing payments'' ids', v_draws;
  END IF;
  END LOOP;
  RETURN NEXT;
END;
$$;
