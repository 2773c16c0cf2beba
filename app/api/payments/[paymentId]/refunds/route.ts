// POST /api/payments/:paymentId/refunds – refund a payment in full, by amount or by tickets (owners and admins)
import { manageRoles } from "@/lib/auth/guards";
import { json, parseJson, route } from "@/lib/http/respond";
import { requirePaymentMember } from "@/lib/organizer/access";
import { refundInputSchema } from "@/lib/refunds/input";
import { refundRequestKey } from "@/lib/refunds/request-key";
import { requestRefund } from "@/lib/refunds/request-refund";

export const POST = route(async (request: Request, context: RouteContext<"/api/payments/[paymentId]/refunds">) => {
  const { paymentId } = await context.params;
  const member = await requirePaymentMember(paymentId, manageRoles);
  const input = await parseJson(request, refundInputSchema);
  // A request sent again with the same Idempotency-Key answers 201 with the refund it made.
  const requestKey = refundRequestKey.api(request.headers.get("idempotency-key"));
  const actor = { organizationId: member.organizationId, userId: member.user.id };
  const refund = await requestRefund(actor, paymentId, input, undefined, requestKey);
  return json({ refundId: refund.refundId, amount: refund.amount, status: refund.status }, 201);
});
