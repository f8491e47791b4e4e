import { AppError } from "./app-errors.ts";

/** No usable credentials on a procedure that needs a signed-in user. */
export class UnauthenticatedError extends AppError {
  constructor(code = "UNAUTHENTICATED", message = "Sign in first: send `Authorization: Bearer <access token>`.") {
    super("UNAUTHORIZED", code, message);
  }
}

export const accessTokenExpired = () => new UnauthenticatedError("TOKEN_EXPIRED", "The access token has expired; refresh it.");
export const accessTokenInvalid = () => new UnauthenticatedError("TOKEN_INVALID", "The access token is not valid.");
export const sessionRevoked = () => new UnauthenticatedError("SESSION_REVOKED", "This session has ended; sign in again.");

/** Same answer whether the account exists or not, so it cannot be used to probe for accounts. */
export class InvalidCredentialsError extends AppError {
  constructor(code = "INVALID_CREDENTIALS", message = "The email or password is wrong.") {
    super("UNAUTHORIZED", code, message);
  }
}

export class InvalidRefreshTokenError extends AppError {
  constructor() {
    super("UNAUTHORIZED", "REFRESH_TOKEN_INVALID", "The refresh token is not valid or its session has ended; sign in again.");
  }
}

export class RefreshTokenReusedError extends AppError {
  constructor() {
    super(
      "UNAUTHORIZED",
      "REFRESH_TOKEN_REUSED",
      "This refresh token was already used. The session has been signed out for safety; sign in again.",
    );
  }
}

export class CodeInvalidError extends AppError {
  constructor(message = "The code is wrong or has expired. Request a new code.") {
    super("BAD_REQUEST", "CODE_INVALID", message);
  }
}

export class PhoneBlockedError extends AppError {
  constructor() {
    super("FORBIDDEN", "PHONE_BLOCKED", "phone: this number cannot receive codes. Contact support if this is a mistake.");
  }
}

export class AccountBlockedError extends AppError {
  constructor() {
    super("FORBIDDEN", "ACCOUNT_BLOCKED", "This account is blocked. Contact support if this is a mistake.");
  }
}

export class SmsUnavailableError extends AppError {
  constructor() {
    super("SERVICE_UNAVAILABLE", "SMS_UNAVAILABLE", "The code could not be sent right now. Try again in a moment.");
  }
}

export class EmailUnavailableError extends AppError {
  constructor() {
    super("SERVICE_UNAVAILABLE", "EMAIL_UNAVAILABLE", "The email could not be sent right now. Try again in a moment.");
  }
}

export class ForbiddenError extends AppError {
  constructor(code: string, message: string) {
    super("FORBIDDEN", code, message);
  }
}
