/** The core routers' tags, in the order the docs show them (modules' tags follow). */
export const coreTags = [
  { name: "auth", description: "Sign-up and sign-in (phone + SMS code, email + password), token refresh, sign-out." },
  { name: "account", description: "The signed-in user: profile, email and phone changes, password, sessions, deletion." },
  {
    name: "tenants",
    description:
      "Tenants and what belongs to them: members and roles, invitations, custom domains. Operations under " +
      "`/tenant` act on the tenant named by `X-Tenant` (or the domain called).",
  },
  { name: "plans", description: "Subscription plans and the tenant's subscription." },
  { name: "modules", description: "The platform's modules, and enabling and configuring them per tenant." },
  { name: "notifications", description: "The tenant's notifications for its owners and admins." },
  {
    name: "audit",
    description: "The audit trail: who did what, on what, when and from where. Tenants see their own; platform admins all.",
  },
  { name: "platform", description: "Platform content (welcome text, terms), served per locale with fallback." },
  { name: "admin", description: "Platform operators only: blocked phones, tenants' plans and status." },
] as const;
