import type Stripe from "stripe";
import type { EmulatorContext, RequestInfo } from "../context";
import { randomId, type SessionRecord, type Store } from "../store";
import { invalidRequest, noSuchResource } from "../wire/errors";
import type { FormObject } from "../wire/form";
import { readSessionParams } from "./checkout-session-params";
import { paginate } from "./list";

// Without `expires_at`, Stripe's sessions last 24 hours.
const defaultLifetime = 24 * 60 * 60;

export function createCheckoutSession(ctx: EmulatorContext, params: FormObject): SessionRecord {
  const p = readSessionParams(params, Math.floor(Date.now() / 1000));
  const now = ctx.clock.nowSeconds();
  const id = randomId("cs_test_a1", 56);
  const productIds = p.lineItems.map(() => randomId("prod_", 14));
  const lineItems: Stripe.LineItem[] = p.lineItems.map((li, i) => ({
    id: randomId("li_"),
    object: "item",
    adjustable_quantity: null,
    amount_discount: 0,
    amount_subtotal: li.unitAmount * li.quantity,
    amount_tax: 0,
    amount_total: li.unitAmount * li.quantity,
    currency: p.currency,
    description: li.name,
    metadata: {},
    price: {
      id: randomId("price_"),
      object: "price",
      active: false,
      billing_scheme: "per_unit",
      created: now,
      currency: p.currency,
      custom_unit_amount: null,
      livemode: false,
      lookup_key: null,
      metadata: {},
      nickname: null,
      product: productIds[i]!,
      recurring: null,
      tax_behavior: "unspecified",
      tiers_mode: null,
      transform_quantity: null,
      type: "one_time",
      unit_amount: li.unitAmount,
      // A decimal string on the wire; the SDK types it as its own Decimal class, so leave it out.
      unit_amount_decimal: null,
    },
    quantity: li.quantity,
  }));
  const total = lineItems.reduce((sum, li) => sum + li.amount_total, 0);
  const session: Stripe.Checkout.Session = {
    id,
    object: "checkout.session",
    adaptive_pricing: { enabled: false },
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: null,
    amount_subtotal: total,
    amount_total: total,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: p.cancelUrl,
    client_reference_id: p.clientReferenceId,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: now,
    currency: p.currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: null,
    customer_account: null,
    customer_creation: "if_required",
    customer_details: p.customerEmail
      ? { address: null, business_name: null, email: p.customerEmail, individual_name: null, name: null, phone: null, tax_exempt: "none", tax_ids: null }
      : null,
    customer_email: p.customerEmail,
    discounts: [],
    expires_at: p.expiresAt ?? now + defaultLifetime,
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: (p.locale as Stripe.Checkout.Session.Locale | null) ?? null,
    managed_payments: null,
    metadata: p.metadata,
    mode: "payment",
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: "if_required",
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: ["card", "sepa_debit"],
    payment_status: "unpaid",
    permissions: null,
    phone_number_collection: { enabled: false },
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: "open",
    submit_type: (p.submitType as Stripe.Checkout.Session.SubmitType | null) ?? null,
    subscription: null,
    success_url: p.successUrl,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: "hosted",
    url: `${ctx.publicUrl}/c/pay/${id}`,
    wallet_options: null,
  };
  const record: SessionRecord = {
    session,
    lineItems,
    paymentIntentData: { metadata: p.paymentIntentMetadata, description: p.paymentIntentDescription },
  };
  ctx.store.sessions[id] = record;
  if (session.expires_at < (nextExpiry.get(ctx.store) ?? Infinity)) nextExpiry.set(ctx.store, session.expires_at);
  return record;
}

export function getSessionRecord(ctx: EmulatorContext, id: string): SessionRecord {
  const record = ctx.store.sessions[id];
  if (!record) throw noSuchResource("checkout.session", id);
  return record;
}

export function listLineItems(ctx: EmulatorContext, id: string, params: FormObject) {
  const record = getSessionRecord(ctx, id);
  return paginate(record.lineItems, params, `/v1/checkout/sessions/${id}/line_items`);
}

export function expireCheckoutSession(ctx: EmulatorContext, id: string, request: RequestInfo | null): Stripe.Checkout.Session {
  const record = getSessionRecord(ctx, id);
  const { session } = record;
  if (session.status !== "open") {
    throw invalidRequest(`Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`, {
      code: "checkout_session_expired",
    });
  }
  session.status = "expired";
  session.url = null;
  // Failed attempts left a PaymentIntent behind; expiring the session cancels it.
  const pi = typeof session.payment_intent === "string" ? ctx.store.paymentIntents[session.payment_intent] : undefined;
  if (pi && pi.status !== "succeeded" && pi.status !== "canceled") {
    pi.status = "canceled";
    pi.canceled_at = ctx.clock.nowSeconds();
    pi.cancellation_reason = "automatic";
    ctx.emit("payment_intent.canceled", pi, request);
  }
  ctx.emit("checkout.session.expired", session, request);
  return session;
}

/**
 * The earliest `expires_at` among open sessions, per store (never later than the true one): the
 * due check runs before every request, and scanning every session each time made the emulator's
 * cost grow with the number of sessions it had ever created. A store without an entry (new, reset,
 * loaded from a file) is scanned once.
 */
const nextExpiry = new WeakMap<Store, number>();

/** The emulator clock passed `expires_at`: expire every open session that is due. */
export function expireDueSessions(ctx: EmulatorContext): void {
  const now = ctx.clock.nowSeconds();
  if ((nextExpiry.get(ctx.store) ?? -Infinity) > now) return;
  let earliest = Infinity;
  for (const record of Object.values(ctx.store.sessions)) {
    if (record.session.status !== "open") continue;
    if (record.session.expires_at <= now) expireCheckoutSession(ctx, record.session.id, null);
    else earliest = Math.min(earliest, record.session.expires_at);
  }
  nextExpiry.set(ctx.store, earliest);
}
