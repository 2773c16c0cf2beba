-- The two statements of every purchase plan without sequential scans.
--
-- Their plans are cached per connection, and a connection plans them the first time it runs them.
-- On a young database (a new deployment, every benchmark) that is while event_payments is nearly
-- empty and has never been analyzed, and a sequential scan of a nearly empty table is the cheapest
-- plan there is — then it stays, while the table grows, until an ANALYZE invalidates it. A bench
-- run saw 2,034 sequential scans of event_payments reading 4.9 million rows for 3,900 purchases,
-- with no auto-analyze yet. Every read in these statements has an index made for it, so they are
-- told to use it (enable_seqscan off only prices sequential scans out; with no other way, the
-- planner would still take one).
ALTER FUNCTION place_hold(uuid, uuid, text, text, integer, text, timestamptz, timestamptz, integer, boolean) SET enable_seqscan = off;
--> statement-breakpoint
-- attach_checkout_sessions: stores a batch of Checkout Sessions on their payments — a JSON array of
-- {id, session_id, url} — leaving alone a payment that already has another session (a replay that
-- got the same session changes nothing). Returns how many payments it updated. The payments are
-- found by an index condition on their ids (= any(…)): joined to json_to_recordset alone, whose row
-- count the planner guesses at 100, it preferred to read every payment.
CREATE OR REPLACE FUNCTION attach_checkout_sessions(p_sessions json) RETURNS integer
LANGUAGE plpgsql VOLATILE SET enable_seqscan = off AS $$
DECLARE
  v_updated integer;
BEGIN
  UPDATE event_payments AS p
  SET stripe_checkout_session_id = v.session_id, stripe_checkout_url = v.url, updated_at = now()
  FROM json_to_recordset(p_sessions) AS v(id uuid, session_id text, url text)
  WHERE p.id = ANY (ARRAY(SELECT (e->>'id')::uuid FROM json_array_elements(p_sessions) AS e))
    AND p.id = v.id
    AND (p.stripe_checkout_session_id IS NULL OR p.stripe_checkout_session_id = v.session_id);
  GET DIAGNOSTICS v_updated = ROW_COUNT;
  RETURN v_updated;
END;
$$;
