/**
 * The seam where a payment provider plugs in. A plan change asks the provider first; what it
 * answers becomes the subscription's status and period. `manualBilling` (the default) charges
 * nothing and simply grants the plan for a month, which is what a platform without payments does.
 */
export interface BillingProvider {
  readonly name: string;
  changePlan(change: {
    tenantId: string;
    fromPlanCode: string;
    toPlanCode: string;
    priceMinor: number;
  }): Promise<{ status: "trialing" | "active" | "past_due" | "canceled"; currentPeriodEnd: Date | null }>;
}

export function manualBilling(now: () => Date = () => new Date()): BillingProvider {
  return {
    name: "manual",
    async changePlan({ priceMinor }) {
      const periodEnd = new Date(now().getTime() + 30 * 24 * 60 * 60 * 1000);
      return { status: "active", currentPeriodEnd: priceMinor > 0 ? periodEnd : null };
    },
  };
}
