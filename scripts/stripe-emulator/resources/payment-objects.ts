import type Stripe from "stripe";
import { randomId } from "../store";

/** Fresh Stripe objects in their initial state; the payment flow then moves them along. */
export function newPaymentIntent(args: {
  amount: number;
  currency: string;
  created: number;
  metadata: Record<string, string>;
  description: string | null;
  receiptEmail: string | null;
}): Stripe.PaymentIntent {
  const id = randomId("pi_");
  return {
    id,
    object: "payment_intent",
    amount: args.amount,
    amount_capturable: 0,
    amount_received: 0,
    allowed_payment_method_types: null,
    managed_payments: null,
    payment_record: null,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: "automatic_async",
    client_secret: `${id}_secret_${randomId("", 25)}`,
    confirmation_method: "automatic",
    created: args.created,
    currency: args.currency,
    customer: null,
    customer_account: null,
    description: args.description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: args.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: ["card", "sepa_debit"],
    processing: null,
    receipt_email: args.receiptEmail,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: "requires_payment_method",
    transfer_data: null,
    transfer_group: null,
  };
}

export type PaymentMethodUsed =
  | { type: "card"; brand: string; last4: string; funding: string; expMonth: number; expYear: number }
  | { type: "sepa_debit"; last4: string; country: string };

export function newCharge(args: {
  pi: Stripe.PaymentIntent;
  created: number;
  method: PaymentMethodUsed;
  paymentMethodId: string;
  email: string | null;
  status: Stripe.Charge.Status;
  failure?: { code: string; message: string; declineCode?: string };
}): Stripe.Charge {
  const { pi, method } = args;
  const id = randomId("ch_");
  const paid = args.status === "succeeded";
  return {
    id,
    object: "charge",
    amount: pi.amount,
    amount_captured: paid ? pi.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: paid ? randomId("txn_") : null,
    billing_details: { address: null, email: args.email, name: null, phone: null, tax_id: null },
    calculated_statement_descriptor: "BOXOFFICE",
    captured: paid,
    created: args.created,
    currency: pi.currency,
    customer: null,
    description: pi.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: args.failure?.code ?? null,
    failure_message: args.failure?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: { ...pi.metadata },
    on_behalf_of: null,
    outcome: {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: args.failure ? "declined_by_network" : "approved_by_network",
      reason: args.failure?.declineCode ?? null,
      risk_level: "normal",
      seller_message: args.failure ? "The bank did not return any further details with this decline." : "Payment complete.",
      type: args.failure ? "issuer_declined" : "authorized",
    },
    paid,
    payment_intent: pi.id,
    payment_method: args.paymentMethodId,
    payment_method_details: methodDetails(method, paid ? pi.amount : null),
    receipt_email: args.email,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: args.status,
    transfer_data: null,
    transfer_group: null,
  };
}

function methodDetails(method: PaymentMethodUsed, amountAuthorized: number | null): Stripe.Charge.PaymentMethodDetails {
  if (method.type === "sepa_debit") {
    return {
      type: "sepa_debit",
      sepa_debit: {
        bank_code: "37040044",
        branch_code: null,
        country: method.country,
        fingerprint: `fp${method.last4}sepa`,
        last4: method.last4,
        mandate: randomId("mandate_"),
      },
    };
  }
  return {
    type: "card",
    card: {
      amount_authorized: amountAuthorized,
      authorization_code: null,
      brand: method.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
      country: "US",
      electronic_commerce_indicator: null,
      exp_month: method.expMonth,
      exp_year: method.expYear,
      fingerprint: `fp${method.last4}${method.brand}`,
      funding: method.funding,
      installments: null,
      last4: method.last4,
      mandate: null,
      network: method.brand,
      network_token: { used: false },
      network_transaction_id: null,
      regulated_status: "unregulated",
      three_d_secure: null,
      transaction_link_id: null,
      wallet: null,
    },
  };
}
