import type { EmulatorContext } from "../context";
import { formatAmount } from "../resources/currency";
import type { WebhookDelivery } from "../webhooks/delivery";
import { escapeHtml, layout } from "./html";

const css = `
  section { background: #fff; border: 1px solid var(--border); border-radius: 8px; padding: 1rem; margin: 1rem 0; overflow-x: auto; }
  h2 { font-size: 1.1rem; margin: 0 0 .5rem; }
  code { font-size: .85rem; }
  form.inline { display: flex; gap: .4rem; align-items: end; flex-wrap: wrap; }
  form.inline label { font-size: .8rem; display: block; }
  form.inline input { font: inherit; width: 7rem; padding: .25rem .4rem; border: 1px solid var(--border); border-radius: 4px; }
  form.inline button { font: inherit; padding: .25rem .6rem; border-radius: 4px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
  .notice { border: 1px solid var(--accent); background: #eef0ff; padding: .5rem .75rem; border-radius: 6px; }
`;

const fmtTime = (seconds: number) => new Date(seconds * 1000).toISOString().replace("T", " ").slice(0, 19);

/** `/_emulator/`: what the emulator holds, and a refund button that plays Stripe's dashboard. */
export function renderDashboard(ctx: EmulatorContext, delivery: WebhookDelivery, notice: string | null): string {
  const s = ctx.store;
  const sessions = Object.values(s.sessions).map((r) => r.session).reverse().slice(0, 100);
  const payments = Object.values(s.paymentIntents).reverse().slice(0, 100);
  const refunds = Object.values(s.refunds).reverse().slice(0, 100);
  const deliveries = [...delivery.deliveries].reverse().slice(0, 100);

  const sessionRows = sessions
    .map(
      (x) =>
        `<tr><td><code>${escapeHtml(x.id.slice(0, 24))}…</code></td><td>${escapeHtml(x.status)}</td><td>${escapeHtml(x.payment_status)}</td><td class="num">${escapeHtml(formatAmount(x.amount_total ?? 0, x.currency ?? "usd"))}</td><td>${escapeHtml(x.customer_details?.email ?? x.customer_email ?? "")}</td><td>${fmtTime(x.created)}</td><td>${x.status === "open" && x.url ? `<a href="${escapeHtml(x.url)}">Open checkout page</a>` : ""}</td></tr>`,
    )
    .join("");

  const paymentRows = payments
    .map((pi) => {
      const charge = typeof pi.latest_charge === "string" ? s.charges[pi.latest_charge] : undefined;
      const refunded = charge?.amount_refunded ?? 0;
      const canRefund = pi.status === "succeeded" && charge && refunded < charge.amount;
      const form = canRefund
        ? `<form class="inline" method="post" action="/_emulator/payment_intents/${escapeHtml(pi.id)}/refund">
             <div><label for="amount-${escapeHtml(pi.id)}">Amount (${escapeHtml(pi.currency.toUpperCase())}, blank = all)</label>
             <input id="amount-${escapeHtml(pi.id)}" name="amount_major" inputmode="decimal"></div>
             <button type="submit">Refund ${escapeHtml(pi.id)}</button></form>`
        : "";
      return `<tr><td><code>${escapeHtml(pi.id)}</code></td><td>${escapeHtml(pi.status)}</td><td class="num">${escapeHtml(formatAmount(pi.amount, pi.currency))}</td><td class="num">${escapeHtml(formatAmount(refunded, pi.currency))}</td><td>${charge?.disputed ? "disputed" : ""}</td><td>${form}</td></tr>`;
    })
    .join("");

  const refundRows = refunds
    .map(
      (r) =>
        `<tr><td><code>${escapeHtml(r.id)}</code></td><td><code>${escapeHtml(r.payment_intent)}</code></td><td>${escapeHtml(r.status)}</td><td class="num">${escapeHtml(formatAmount(r.amount, r.currency))}</td><td>${escapeHtml(r.reason ?? "")}</td><td>${fmtTime(r.created)}</td></tr>`,
    )
    .join("");

  const deliveryRows = deliveries
    .map(
      (d) =>
        `<tr><td><code>${escapeHtml(d.eventId)}</code></td><td>${escapeHtml(d.type)}${d.duplicate ? " (duplicate)" : ""}</td><td>${escapeHtml(d.url ?? "")}</td><td class="num">${d.attempts}</td><td>${escapeHtml(d.statusCodes.map((c) => c ?? "timeout/error").join(", "))}</td><td>${escapeHtml(d.status)}</td></tr>`,
    )
    .join("");

  const table = (caption: string, headers: string[], rows: string) =>
    `<section aria-labelledby="h-${caption}"><h2 id="h-${caption}">${escapeHtml(caption)}</h2>${
      rows ? `<table><thead><tr>${headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>${rows}</tbody></table>` : "<p>None yet.</p>"
    }</section>`;

  const body = `<main>
<h1>Stripe emulator <span class="badge">Test mode</span></h1>
<p>Clock: ${fmtTime(ctx.clock.nowSeconds())} UTC (advanced by ${Math.round(s.clockOffsetMs / 1000)} s) · Events: ${s.events.length} · Webhooks: ${delivery.enabled ? "delivering" : "off"}</p>
${notice ? `<p class="notice" role="status">${escapeHtml(notice)}</p>` : ""}
${table("Checkout sessions", ["Session", "Status", "Payment", "Total", "Email", "Created", ""], sessionRows)}
${table("Payments", ["PaymentIntent", "Status", "Amount", "Refunded", "", "Refund from the dashboard"], paymentRows)}
${table("Refunds", ["Refund", "PaymentIntent", "Status", "Amount", "Reason", "Created"], refundRows)}
${table("Webhook deliveries", ["Event", "Type", "URL", "Attempts", "Status codes", "Status"], deliveryRows)}
</main>`;
  return layout("Stripe emulator", body, css);
}
