/**
 * Money is integer minor units plus a lower-case ISO currency. Stripe's zero-decimal currencies
 * (https://docs.stripe.com/currencies#zero-decimal) have no minor unit: 5000 JPY is ¥5,000.
 */
const zeroDecimal = new Set([
  "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf",
]);

export function minorUnitDigits(currency: string): number {
  return zeroDecimal.has(currency.toLowerCase()) ? 0 : 2;
}

/** "12.50" for 1250 EUR, "5000" for 5000 JPY — exact, no floating point. */
export function toDecimalString(amount: number, currency: string): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount must be an integer, got ${amount}`);
  const digits = minorUnitDigits(currency);
  if (digits === 0) return String(amount);
  const sign = amount < 0 ? "-" : "";
  const abs = String(Math.abs(amount)).padStart(digits + 1, "0");
  return `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
}

/** Formats for people, e.g. "€12.50", "¥5,000", "$0.00". */
export function formatMoney(amount: number, currency: string, locale = "en-US"): string {
  const digits = minorUnitDigits(currency);
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency: currency.toUpperCase(),
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(Number(toDecimalString(amount, currency)));
}
