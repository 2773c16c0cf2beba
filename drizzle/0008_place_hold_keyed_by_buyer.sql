-- place_hold counted a buyer's open checkouts with every condition in its WHERE clause. Since 0007
-- those conditions imply the predicate of event_payments_active_holds_idx, and `hold_expires_at > now`
-- is a range on its second column, so that index became a candidate. A connection plans the statement
-- once, generically, after its fifth call; on a young table every candidate costs the same and the
-- older index wins the tie. A bench run kept exactly that plan: each purchase walked every open hold
-- of every event (7,761 rows, 7,546 buffers per hold; Postgres CPU per purchase 0.5 → 1.9 ms within
-- two minutes). event_payments_event_id_idx ties the same way and reads every payment of the event.
--
-- Now the lookup is keyed by the buyer alone: the event, the expiry and the lapse are a filter over
-- the buyer's pending checkouts (an aggregate's FILTER never becomes a scan's condition). Only indexes
-- that lead with user_id can serve it, so the worst plan reads the buyer's own payments, never the crowd's;
-- the best, event_payments_open_checkouts_idx, reads the buyer's open checkouts.
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
