import { AppError } from "@/lib/errors";
import { minorUnitDigits } from "@/lib/money";
import { parseWith } from "@/lib/validation";
import { refundInputSchema, type RefundInput } from "./input";

/** "12.50" EUR → 1250; "5000" JPY → 5000. People type amounts in the currency's units, never cents. */
export function parseDecimalAmount(text: string, currency: string): number {
  const digits = minorUnitDigits(currency);
  const pattern = digits === 0 ? /^\d+$/ : new RegExp(`^\\d+(\\.\\d{1,${digits}})?$`);
  const value = text.trim().replace(/,/g, "");
  if (!pattern.test(value)) {
    throw new AppError("validation_failed", digits === 0 ? "Enter a whole amount, e.g. 1500." : "Enter an amount such as 12.50.", {
      fields: { amount: "invalid" },
    });
  }
  const [whole, fraction = ""] = value.split(".");
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || 0);
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
