-- Refund requests carry an optional request key (the API's Idempotency-Key header, the confirm
-- step's one-time token): the same key on the same payment answers with the refund it already made
-- instead of making another (README, "How a refund stays exactly-once"). Existing refunds have no
-- key; null keys never conflict in the unique index.
ALTER TABLE "refunds" ADD COLUMN "request_key" text;--> statement-breakpoint
CREATE UNIQUE INDEX "refunds_payment_id_request_key_idx" ON "refunds" USING btree ("payment_id","request_key");