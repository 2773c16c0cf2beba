/**
 * `RCP-YYYY-MMDD-XXXXXXXX`: the payment date (UTC) and the first 8 characters of the payment id,
 * upper-cased. Unique by construction: no two payments share the first 8 characters of their ids
 * (migration 0009's index on the prefix); the unique constraint on the number backs that up.
 */
export function receiptNumberFor(paymentId: string, paidAt: Date): string {
  const yyyy = paidAt.getUTCFullYear();
  const mm = String(paidAt.getUTCMonth() + 1).padStart(2, "0");
  const dd = String(paidAt.getUTCDate()).padStart(2, "0");
  return `RCP-${yyyy}-${mm}${dd}-${paymentId.slice(0, 8).toUpperCase()}`;
}
