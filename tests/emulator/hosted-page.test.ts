import { describe, expect, it } from "vitest";
import { eventually, sessionParams, harnessPerFile } from "./support";

const h = harnessPerFile();

// What a browser without JavaScript sends: a urlencoded form, following no redirects here.
async function submit(url: string, fields: Record<string, string>) {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
}

const card = (number: string) => ({ email: "buyer@example.com", method: "card", card_number: number, card_expiry: "12 / 34", card_cvc: "123" });

describe("hosted checkout page", () => {
  it("shows the lines, total, prefilled email and labelled payment fields", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const response = await fetch(session.url!);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Jazz night — Standing");
    expect(html).toContain("€60.00");
    expect(html).toMatch(/<input id="email" name="email" type="email" value="buyer@example.com"/);
    for (const id of ["email", "cardNumber", "cardExpiry", "cardCvc", "iban", "accountHolder"]) expect(html).toContain(`<label for="${id}">`);
    expect(html).toContain('href="http://app.test/cancel"');
    expect(html).not.toContain("<script");
  });

  it("shows a decline on the page, keeps the session open, then redirects to success_url on a good card", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const declined = await submit(session.url!, card("4000 0000 0000 9995"));
    expect(declined.status).toBe(402);
    expect(await declined.text()).toMatch(/role="alert"[^>]*>Your card has insufficient funds\./);
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");

    const paid = await submit(session.url!, card("4242 4242 4242 4242"));
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toBe(`http://app.test/success?session_id=${session.id}`);
    expect(await h.stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: "complete", payment_status: "paid" });
    await eventually(() => expect(h.receiver.ofType("checkout.session.completed").map((e) => e.data.object.id)).toContain(session.id));

    const reopened = await fetch(session.url!.replace(/\/$/, ""));
    expect(await reopened.text()).toContain("This checkout session is complete");
  });

  it("points out invalid fields without charging anything", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const response = await submit(session.url!, { email: "nope", method: "card", card_number: "4242", card_expiry: "13/20", card_cvc: "" });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toMatch(/id="email"[^>]*aria-invalid="true"[^>]*aria-describedby="email-error"/);
    expect(html).toContain("Your card number is incomplete.");
    expect(html).toContain("expiration month is invalid");
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).payment_intent).toBeNull();
  });

  it("completes a bank debit unpaid and redirects", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const response = await submit(session.url!, { email: "buyer@example.com", method: "bank", iban: "DE89370400440532013000", account_holder: "Erika Mustermann" });
    expect(response.status).toBe(303);
    expect(await h.stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: "complete", payment_status: "unpaid" });
  });

  it("says so for expired and unknown sessions", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    await h.stripe.checkout.sessions.expire(session.id);
    const expired = await fetch(`${h.emulator.url}/c/pay/${session.id}`);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain("This checkout session has expired");
    expect((await submit(`${h.emulator.url}/c/pay/${session.id}`, card("4242424242424242"))).status).toBe(410);
    expect((await fetch(`${h.emulator.url}/c/pay/cs_test_nothing`)).status).toBe(404);
  });
});

describe("dashboard", () => {
  it("lists what the emulator holds and refunds a payment from a form", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    await h.control(`/_emulator/checkout/sessions/${session.id}/pay`, { card: "4242424242424242" });
    const pi = (await h.stripe.checkout.sessions.retrieve(session.id)).payment_intent as string;
    const page = await (await fetch(`${h.emulator.url}/_emulator/`)).text();
    expect(page).toContain(pi);
    expect(page).toContain(`<label for="amount-${pi}">`);

    const refunded = await submit(`${h.emulator.url}/_emulator/payment_intents/${pi}/refund`, { amount_major: "12.50" });
    expect(refunded.status).toBe(303);
    expect(decodeURIComponent(refunded.headers.get("location")!)).toMatch(/Refund re_\w+ created/);
    const refunds = await h.stripe.refunds.list({ payment_intent: pi });
    expect(refunds.data.map((r) => r.amount)).toEqual([1250]);

    const tooMuch = await submit(`${h.emulator.url}/_emulator/payment_intents/${pi}/refund`, { amount_major: "100" });
    expect(decodeURIComponent(tooMuch.headers.get("location")!)).toMatch(/greater than unrefunded amount/);
  });
});
