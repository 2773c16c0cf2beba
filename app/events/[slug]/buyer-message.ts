import type { AppError } from "@/lib/errors";

/** What the buyer reads next to the form: plain words, and what to do next. */
export function buyerMessage(error: AppError): string {
  switch (error.code) {
    case "sold_out":
      return "Sorry, these tickets just sold out.";
    case "not_enough_tickets":
      return `Only ${String(error.details?.available ?? "a few")} left — choose fewer tickets.`;
    case "payment_provider_unavailable":
      return "The payment provider is unavailable right now. Nothing was charged — please try again.";
    case "too_many_open_checkouts":
      return "You already have two checkouts open for this event. Finish or cancel one first.";
    case "unauthenticated":
      return "Please sign in to buy tickets.";
    case "not_found":
      return "This event is no longer on sale.";
    default:
      // The service's own messages are written for buyers (e.g. "at most 8 per order").
      return error.message;
  }
}
