import { TRPCClientError, type TRPCLink } from "@trpc/client";
import { observable } from "@trpc/server/observable";
import type { FetchFunction } from "./client.ts";
import type { AppRouter } from "./router.ts";
import type { RefreshingSession } from "./session.ts";

function accessTokenExpired(error: unknown): boolean {
  return error instanceof TRPCClientError && (error.data as { appCode?: string } | undefined)?.appCode === "TOKEN_EXPIRED";
}

/**
 * Sends each call on; when one fails with `TOKEN_EXPIRED`, refreshes the session (one refresh
 * for every call that failed together) and sends it once more. A call sent with a token that
 * has since been replaced is simply sent again.
 */
export function refreshLink(
  session: RefreshingSession,
  endpoint: string,
  fetchImpl: FetchFunction | undefined,
): TRPCLink<AppRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        let unsubscribe: (() => void) | undefined;
        let retried = false;
        const send = () => {
          const sentWith = session.tokens?.accessToken;
          const subscription = next(op).subscribe({
            next: (value) => observer.next(value),
            complete: () => observer.complete(),
            error: (error) => {
              if (retried || !accessTokenExpired(error)) return observer.error(error);
              retried = true;
              const renewed = session.tokens?.accessToken !== sentWith ? Promise.resolve() : session.refresh(endpoint, fetchImpl);
              renewed.then(send, (refreshError: unknown) => observer.error(TRPCClientError.from(refreshError as Error)));
            },
          });
          unsubscribe = () => subscription.unsubscribe();
        };
        send();
        return () => unsubscribe?.();
      });
}
