import { TRPCClientError } from "@trpc/client";
import type { AppCode } from "./app-codes.ts";
import type { FetchFunction } from "./client.ts";
import type { AppRouter } from "./router.ts";

/** What sign-in and refresh return; more fields may come along and are kept. */
export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

export interface SessionOptions {
  /** Tokens from an earlier sign-in (e.g. read back from storage). */
  tokens?: Tokens | undefined;
  /** Called with the new pair after every refresh, and after `setTokens`: store it. */
  onTokens?: (tokens: Tokens | undefined) => void;
  /** Called once when the session cannot be refreshed any more: show the sign-in screen. */
  onSignedOut?: (error: SignedOutError) => void;
}

/**
 * The session cannot go on: its refresh token was refused (`reason`: `REFRESH_TOKEN_INVALID`,
 * `REFRESH_TOKEN_REUSED`, …), or there is none. A call that needed the refresh rejects with it;
 * it is a `TRPCClientError`, so code that handles those handles this too.
 */
export class SignedOutError extends TRPCClientError<AppRouter> {
  override readonly name = "SignedOutError";
  constructor(
    readonly reason: AppCode | "NO_REFRESH_TOKEN",
    message: string,
  ) {
    super(message);
    // TRPCClientError's constructor resets the prototype to its own; put the subclass back.
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

export function isSignedOutError(error: unknown): error is SignedOutError {
  return error instanceof SignedOutError;
}

/**
 * Holds a signed-in user's tokens for `createClient({ session })`: the client sends the access
 * token, and when a call fails because it expired, refreshes the pair once, however many calls
 * failed together, then sends those calls again.
 */
export interface Session {
  readonly tokens: Tokens | undefined;
  /** After sign-in (pass what it returned), or `undefined` after signing out. */
  setTokens(tokens: Tokens | undefined): void;
}

/** The refresh, as the client's link needs it; not part of the public surface. */
export interface RefreshingSession extends Session {
  refresh(endpoint: string, fetch: FetchFunction | undefined): Promise<void>;
}

interface RefreshAnswer {
  result?: { data?: Tokens };
  error?: { message?: string; data?: { appCode?: AppCode; httpStatus?: number } };
}

export function createSession(options: SessionOptions = {}): Session {
  let tokens = options.tokens;
  let inFlight: Promise<void> | undefined;
  let signedOutReported = false;

  const setTokens = (next: Tokens | undefined) => {
    tokens = next;
    if (next) signedOutReported = false;
    options.onTokens?.(next);
  };

  const signOut = (error: SignedOutError): never => {
    tokens = undefined;
    options.onTokens?.(undefined);
    if (!signedOutReported) {
      signedOutReported = true;
      options.onSignedOut?.(error);
    }
    throw error;
  };

  async function exchange(endpoint: string, fetchImpl: FetchFunction | undefined): Promise<void> {
    const refreshToken = tokens?.refreshToken;
    if (!refreshToken) return signOut(new SignedOutError("NO_REFRESH_TOKEN", "Signed out: there is no refresh token."));
    const response = await (fetchImpl ?? globalThis.fetch)(`${endpoint}/auth.refresh`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refreshToken }),
    });
    const answer = (await response.json().catch(() => ({}))) as RefreshAnswer;
    // tRPC's fetch type promises only `ok` and `json()`; every real fetch has a status.
    const httpStatus = (response as { status?: number }).status ?? 0;
    // Someone signed in (or out) while this ran: their tokens win.
    if (tokens?.refreshToken !== refreshToken) return;
    const fresh = answer.result?.data;
    if (response.ok && fresh) return setTokens({ ...tokens, ...fresh });
    const status = answer.error?.data?.httpStatus ?? httpStatus;
    const appCode = answer.error?.data?.appCode;
    // 401: the refresh token is spent, unknown or its session ended. Anything else (429, 503, a
    // network failure) is passing: the tokens stay, and the call fails with that error.
    if (status === 401)
      return signOut(new SignedOutError(appCode ?? "REFRESH_TOKEN_INVALID", answer.error?.message ?? "Signed out."));
    throw new TRPCClientError<AppRouter>(answer.error?.message ?? `Refreshing the session failed (HTTP ${httpStatus}).`);
  }

  const session: RefreshingSession = {
    get tokens() {
      return tokens;
    },
    setTokens,
    refresh(endpoint, fetchImpl) {
      inFlight ??= exchange(endpoint, fetchImpl).finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
  return session;
}
