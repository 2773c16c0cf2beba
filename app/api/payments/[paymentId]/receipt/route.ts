// GET /api/payments/:paymentId/receipt – the receipt, for its buyer or a member of the payment's organization
import { requireUser } from "@/lib/auth/guards";
import { json, route } from "@/lib/http/respond";
import { getReceipt } from "@/lib/receipts/get-receipt";

export const GET = route(async (_request: Request, { params }: RouteContext<"/api/payments/[paymentId]/receipt">) => {
  const user = await requireUser();
  const { paymentId } = await params;
  return json(await getReceipt(paymentId, user.id));
});
