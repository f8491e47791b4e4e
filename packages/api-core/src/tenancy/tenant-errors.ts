import { AppError, NotFoundError } from "../errors/app-errors.ts";

export class TenantNotFoundError extends NotFoundError {
  constructor(reference?: string) {
    super("TENANT_NOT_FOUND", reference ? `No tenant "${reference}".` : "No such tenant.");
  }
}

export class TenantRequiredError extends AppError {
  constructor() {
    super(
      "BAD_REQUEST",
      "TENANT_REQUIRED",
      "Which tenant? Call through the tenant's domain or send an `X-Tenant` header (tenant id or slug).",
    );
  }
}

export class NotAMemberError extends AppError {
  constructor() {
    super("FORBIDDEN", "NOT_A_MEMBER", "You are not a member of this tenant.");
  }
}

export class TenantSuspendedError extends AppError {
  constructor() {
    super("FORBIDDEN", "TENANT_SUSPENDED", "This tenant is suspended.");
  }
}
