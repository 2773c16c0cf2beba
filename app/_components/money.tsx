import { formatMoney } from "@/lib/money";

export function Money({ amount, currency }: { amount: number; currency: string }) {
  return <span className="tabular-nums">{formatMoney(amount, currency)}</span>;
}
