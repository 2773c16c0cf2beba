/** Stripe's test card numbers and IBANs, and what each one does. */
export type CardOutcome =
  | { kind: "succeeds"; brand: string; funding: string; refundsFail?: boolean }
  | { kind: "declined"; code: string; declineCode: string; message: string };

const cards: Record<string, CardOutcome> = {
  "4242424242424242": { kind: "succeeds", brand: "visa", funding: "credit" },
  "4000056655665556": { kind: "succeeds", brand: "visa", funding: "debit" },
  "5555555555554444": { kind: "succeeds", brand: "mastercard", funding: "credit" },
  "378282246310005": { kind: "succeeds", brand: "amex", funding: "credit" },
  // Pays, but every refund of it fails a little later (Stripe's "refund fails" test card).
  "4000000000005126": { kind: "succeeds", brand: "visa", funding: "credit", refundsFail: true },
  "4000000000000002": { kind: "declined", code: "card_declined", declineCode: "generic_decline", message: "Your card was declined." },
  "4000000000009995": { kind: "declined", code: "card_declined", declineCode: "insufficient_funds", message: "Your card has insufficient funds." },
  "4000000000009987": { kind: "declined", code: "card_declined", declineCode: "lost_card", message: "Your card was declined." },
  "4000000000000069": { kind: "declined", code: "expired_card", declineCode: "expired_card", message: "Your card has expired." },
  "4000000000000127": { kind: "declined", code: "incorrect_cvc", declineCode: "incorrect_cvc", message: "Your card's security code is incorrect." },
};

export function cardOutcome(rawNumber: string): CardOutcome {
  const number = rawNumber.replace(/[\s-]/g, "");
  const known = cards[number];
  if (known) return known;
  if (!/^\d{12,19}$/.test(number) || !luhn(number)) {
    return { kind: "declined", code: "incorrect_number", declineCode: "incorrect_number", message: "Your card number is incorrect." };
  }
  return {
    kind: "declined",
    code: "card_declined",
    declineCode: "test_mode_live_card",
    message: "Your card was declined. Your request was in test mode, but used a non test card. For a list of valid test cards, visit: https://stripe.com/docs/testing.",
  };
}

function luhn(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export type IbanOutcome = { kind: "settles"; succeeds: boolean } | { kind: "invalid"; message: string };

// Stripe's SEPA Direct Debit test IBANs: …3000 settles, …3001 fails after processing.
const failingIbans = new Set(["DE62370400440532013001", "AT861904300235473202", "NL55INGB0000000000"]);

export function ibanOutcome(raw: string): IbanOutcome {
  const iban = raw.replace(/\s/g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(iban) || !ibanChecksumValid(iban)) {
    return { kind: "invalid", message: "The IBAN you entered is invalid." };
  }
  return { kind: "settles", succeeds: !failingIbans.has(iban) };
}

function ibanChecksumValid(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  const digits = rearranged.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let remainder = 0;
  for (const ch of digits) remainder = (remainder * 10 + Number(ch)) % 97;
  return remainder === 1;
}

export function last4(value: string): string {
  return value.replace(/\s/g, "").slice(-4);
}
