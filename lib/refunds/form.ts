import { AppError } from "@/lib/errors";
import { minorUnitDigits } from "@/lib/money";
import { parseWith } from "@/lib/validation";
import { refundInputSchema, type RefundInput } from "./input";

/**
 * "12.50" EUR → 1250; "5000" JPY → 5000. People type amounts in the currency's units, never cents.
 * A comma is a thousands separator ("1,250" → 1250.00) unless it is the last one, is followed by
 * exactly the currency's minor digits and there is no dot: then it is a European decimal comma
 * ("12,50" → 12.50). Thousands must come in groups of three, so "12,5" is refused, not read as 125.
 */
export function parseDecimalAmount(text: string, currency: string): number {
  const digits = minorUnitDigits(currency);
  const trimmed = text.trim();
  const decimalComma = digits > 0 && !trimmed.includes(".") && new RegExp(String.raw`,\d{${digits}}$`).test(trimmed);
  const value = decimalComma ? `${trimmed.slice(0, -digits - 1)}.${trimmed.slice(-digits)}` : trimmed;
  const whole = String.raw`(\d{1,3}(,\d{3})+|\d+)`;
  const pattern = new RegExp(digits === 0 ? `^${whole}$` : String.raw`^${whole}(\.\d{1,${digits}})?$`);
  if (!pattern.test(value)) {
    throw new AppError("validation_failed", digits === 0 ? "Enter a whole amount, e.g. 1500." : "Enter an amount such as 12.50 (or 12,50).", {
      fields: { amount: "invalid" },
    });
  }
  const [units, fraction = ""] = value.replace(/,/g, "").split(".");
  return Number(units) * 10 ** digits + Number(fraction.padEnd(digits, "0") || 0);
}

/** The payment page's refund form: a full refund, an amount, or chosen tickets. */
export function refundInputFromForm(form: FormData, currency: string): RefundInput {
  const mode = form.get("mode");
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
  };
  return parseWith(refundInputSchema, {
    amount: mode === "amount" ? parseDecimalAmount(text("amount") ?? "", currency) : undefined,
    ticketIds: mode === "tickets" ? form.getAll("ticketIds").filter((v) => typeof v === "string") : undefined,
    releasePlaces: form.get("releasePlaces") === "on",
    reason: text("reason"),
    note: text("note"),
  });
}
