/** How a procedure call arrived: the tRPC endpoint or the REST bridge under `/api/v1`. */
export type Transport = "trpc" | "rest";

/** One finished procedure call, as the observer sees it. */
export interface ProcedureOutcome {
  /** The procedure's path in the router (`auth.email.signIn`): a bounded set, never an id. */
  path: string;
  transport: Transport | undefined;
  /** Undefined when the call succeeded; otherwise the `data.appCode` the caller received. */
  appCode: string | undefined;
  durationSeconds: number;
}

/**
 * Told of every procedure call's outcome (metrics, for one): the server hands one in with the
 * context's dependencies; in-process callers (tests, scripts) need none.
 */
export interface ProcedureObserver {
  procedureFinished(outcome: ProcedureOutcome): void;
}
