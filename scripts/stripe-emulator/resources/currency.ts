// Stripe's zero-decimal currencies: amounts are whole units (¥500 is 500).
const zeroDecimal = new Set(["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"]);

export function minorUnitDigits(currency: string): number {
  return zeroDecimal.has(currency.toLowerCase()) ? 0 : 2;
}

// Stripe's minimum charge amounts (in minor units) for common currencies; others use 50.
const minimums: Record<string, number> = { usd: 50, eur: 50, gbp: 30, jpy: 50, chf: 50, cad: 50, aud: 50, sek: 300, nok: 300, dkk: 250 };

export function minimumAmount(currency: string): number {
  return minimums[currency] ?? 50;
}

export function formatAmount(amount: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase(), minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount / 10 ** digits);
  } catch {
    return `${(amount / 10 ** digits).toFixed(digits)} ${currency.toUpperCase()}`;
  }
}

/** "12.50" in the currency's major unit → minor units, or undefined when not a valid amount. */
export function parseMajorAmount(text: string, currency: string): number | undefined {
  const digits = minorUnitDigits(currency);
  const m = /^\s*(\d+)(?:[.,](\d+))?\s*$/.exec(text);
  if (!m) return undefined;
  const fraction = m[2] ?? "";
  if (fraction.length > digits) return undefined;
  return Number(m[1]) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}
