import { invalidParam, invalidRequest, missingParam } from "../wire/errors";
import type { FormObject } from "../wire/form";
import { optionalArray, optionalInteger, optionalObject, optionalString, readMetadata, rejectUnknown } from "../wire/params";
import { minimumAmount, formatAmount } from "./currency";

/** What `POST /v1/checkout/sessions` accepted, validated as Stripe validates the same fields. */
export interface SessionParams {
  currency: string;
  lineItems: { name: string; description?: string; unitAmount: number; quantity: number }[];
  successUrl: string | null;
  cancelUrl: string | null;
  expiresAt: number | undefined;
  metadata: Record<string, string>;
  clientReferenceId: string | null;
  customerEmail: string | null;
  paymentIntentMetadata: Record<string, string>;
  paymentIntentDescription: string | null;
  locale: string | null;
  submitType: string | null;
}

const topLevel = [
  "mode",
  "line_items",
  "success_url",
  "cancel_url",
  "expires_at",
  "metadata",
  "client_reference_id",
  "customer_email",
  "payment_intent_data",
  "expand",
  "locale",
  "submit_type",
  "currency",
] as const;

// Stripe's bounds, measured from the real clock when the session is created. The minute of slack
// covers the time between the app computing `expires_at` and the request arriving.
const minLifetime = 30 * 60;
const maxLifetime = 24 * 60 * 60;
const slack = 60;

export function readSessionParams(params: FormObject, wallNowSeconds: number): SessionParams {
  rejectUnknown(params, topLevel);
  const mode = optionalString(params.mode, "mode");
  if (!mode) throw missingParam("mode");
  if (!["payment", "setup", "subscription"].includes(mode)) {
    throw invalidParam("mode", `Invalid mode: must be one of payment, setup, or subscription`, "parameter_invalid_string");
  }
  if (mode !== "payment") throw invalidParam("mode", `The emulator only supports mode=payment (got ${mode}).`);

  const rawItems = optionalArray(params.line_items, "line_items");
  if (!rawItems || rawItems.length === 0) throw missingParam("line_items");
  if (rawItems.length > 100) throw invalidParam("line_items", "You may only specify up to 100 line items.");
  let currency: string | undefined;
  const lineItems = rawItems.map((raw, i) => {
    const p = `line_items[${i}]`;
    const item = optionalObject(raw, p) ?? {};
    rejectUnknown(item, ["price_data", "quantity", "price"], p);
    if (item.price !== undefined) throw invalidRequest(`No such price: '${String(item.price)}'`, { param: `${p}[price]`, code: "resource_missing" });
    const priceData = optionalObject(item.price_data, `${p}[price_data]`);
    if (!priceData) throw invalidParam(p, "You must specify either `price` or `price_data` in each line item.", "parameter_missing");
    rejectUnknown(priceData, ["currency", "unit_amount", "product_data", "unit_amount_decimal", "tax_behavior"], `${p}[price_data]`);
    const c = optionalString(priceData.currency, `${p}[price_data][currency]`)?.toLowerCase();
    if (!c) throw missingParam(`${p}[price_data][currency]`);
    if (!/^[a-z]{3}$/.test(c)) throw invalidParam(`${p}[price_data][currency]`, `Invalid currency: ${c}.`);
    if (currency && currency !== c) {
      throw invalidParam(`${p}[price_data][currency]`, "All line items must have the same currency.", "parameter_invalid");
    }
    currency = c;
    const unitAmount = optionalInteger(priceData.unit_amount, `${p}[price_data][unit_amount]`);
    if (unitAmount === undefined) throw missingParam(`${p}[price_data][unit_amount]`);
    if (unitAmount < 0) throw invalidParam(`${p}[price_data][unit_amount]`, "This value must be greater than or equal to 0.");
    const product = optionalObject(priceData.product_data, `${p}[price_data][product_data]`);
    if (!product) throw missingParam(`${p}[price_data][product_data]`);
    rejectUnknown(product, ["name", "description", "metadata", "images"], `${p}[price_data][product_data]`);
    const name = optionalString(product.name, `${p}[price_data][product_data][name]`);
    if (!name) throw missingParam(`${p}[price_data][product_data][name]`);
    const quantity = optionalInteger(item.quantity, `${p}[quantity]`);
    if (quantity === undefined) throw missingParam(`${p}[quantity]`);
    if (quantity < 1 || quantity > 999_999) throw invalidParam(`${p}[quantity]`, "Quantity must be between 1 and 999,999.");
    const description = optionalString(product.description, `${p}[price_data][product_data][description]`);
    return { name, unitAmount, quantity, ...(description ? { description } : {}) };
  });
  const sessionCurrency = currency!;
  const explicitCurrency = optionalString(params.currency, "currency")?.toLowerCase();
  if (explicitCurrency && explicitCurrency !== sessionCurrency) throw invalidParam("currency", "The currency must match the line items' currency.");
  const total = lineItems.reduce((sum, li) => sum + li.unitAmount * li.quantity, 0);
  if (total < minimumAmount(sessionCurrency)) {
    throw invalidRequest(
      `The Checkout Session's total amount due must add up to at least ${formatAmount(minimumAmount(sessionCurrency), sessionCurrency)} ${sessionCurrency}`,
      { code: "amount_too_small" },
    );
  }

  const successUrl = readUrl(params, "success_url");
  const cancelUrl = readUrl(params, "cancel_url");

  const expiresAt = optionalInteger(params.expires_at, "expires_at");
  if (expiresAt !== undefined) {
    if (expiresAt < wallNowSeconds + minLifetime - slack) {
      throw invalidParam("expires_at", "The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.");
    }
    if (expiresAt > wallNowSeconds + maxLifetime + slack) {
      throw invalidParam("expires_at", "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.");
    }
  }

  const customerEmail = optionalString(params.customer_email, "customer_email") ?? null;
  if (customerEmail !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(customerEmail)) {
    throw invalidParam("customer_email", `Invalid email address: ${customerEmail}`, "email_invalid");
  }
  const clientReferenceId = optionalString(params.client_reference_id, "client_reference_id") ?? null;
  if (clientReferenceId !== null && clientReferenceId.length > 200) {
    throw invalidParam("client_reference_id", "client_reference_id must be at most 200 characters.");
  }
  const pid = optionalObject(params.payment_intent_data, "payment_intent_data") ?? {};
  rejectUnknown(pid, ["metadata", "description", "receipt_email", "statement_descriptor"], "payment_intent_data");

  return {
    currency: sessionCurrency,
    lineItems,
    successUrl,
    cancelUrl,
    expiresAt,
    metadata: readMetadata(params.metadata, "metadata") ?? {},
    clientReferenceId,
    customerEmail,
    paymentIntentMetadata: readMetadata(pid.metadata, "payment_intent_data[metadata]") ?? {},
    paymentIntentDescription: optionalString(pid.description, "payment_intent_data[description]") ?? null,
    locale: optionalString(params.locale, "locale") ?? null,
    submitType: optionalString(params.submit_type, "submit_type") ?? null,
  };
}

function readUrl(params: FormObject, param: "success_url" | "cancel_url"): string | null {
  const value = optionalString(params[param], param);
  if (value === undefined || value === "") return null;
  try {
    const url = new URL(value.replace("{CHECKOUT_SESSION_ID}", "x"));
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("scheme");
  } catch {
    throw invalidParam(param, "Not a valid URL", "url_invalid");
  }
  if (value.length > 5000) throw invalidParam(param, "URL must be at most 5000 characters.", "url_invalid");
  return value;
}
