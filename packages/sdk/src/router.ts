import type { AppRouter as ServerRouter, ErrorData as ServerErrorData } from "@tenantry/api";
import type { AppCode } from "./app-codes.ts";
import type {
  AnyTRPCProcedure,
  AnyTRPCRouter,
  TRPCBuiltRouter,
  TRPCMutationProcedure,
  TRPCQueryProcedure,
  TRPCRouterRecord,
  TRPCSubscriptionProcedure,
} from "@trpc/server";

/*
 * The router as a client sees it. The server's router type carries its request context (database
 * client, logger) and its OpenAPI metadata; a client needs neither, and a frontend compiling our
 * published declarations must not need their packages. So both become `object`, and only what
 * the client reads stays: each procedure's kind, input, output and error shape.
 *
 * In the monorepo this file is the type. The build flattens its exports into plain declarations
 * (scripts/flatten-router.ts), so keep every export here either a router or a plain data type.
 */

type ClientProcedureDef<TProcedure extends AnyTRPCProcedure> = {
  input: TProcedure["_def"]["$types"]["input"];
  output: TProcedure["_def"]["$types"]["output"];
  errorShape: ErrorShape;
  meta: object;
};

type ClientProcedure<TProcedure extends AnyTRPCProcedure> = TProcedure["_def"]["type"] extends "query"
  ? TRPCQueryProcedure<ClientProcedureDef<TProcedure>>
  : TProcedure["_def"]["type"] extends "mutation"
    ? TRPCMutationProcedure<ClientProcedureDef<TProcedure>>
    : TRPCSubscriptionProcedure<ClientProcedureDef<TProcedure>>;

type ClientRecord<TRecord extends TRPCRouterRecord> = {
  [TKey in keyof TRecord]: TRecord[TKey] extends AnyTRPCProcedure
    ? ClientProcedure<TRecord[TKey]>
    : TRecord[TKey] extends TRPCRouterRecord
      ? ClientRecord<TRecord[TKey]>
      : never;
};

type ServerRootTypes<TRouter extends AnyTRPCRouter> = TRouter["_def"]["_config"]["$types"];

/** `TRouter` with its context and metadata types replaced by `object`. */
type ClientRouter<TRouter extends AnyTRPCRouter> = TRPCBuiltRouter<
  {
    ctx: object;
    meta: object;
    errorShape: ErrorShape;
    transformer: ServerRootTypes<TRouter>["transformer"];
  },
  ClientRecord<TRouter["_def"]["record"]>
>;

/** Every procedure of the Tenantry server, typed for `createClient()`. */
export type AppRouter = ClientRouter<ServerRouter>;

/** The error's `data`, with `appCode` narrowed to the codes the server can send. */
export type ErrorData = Omit<ServerErrorData, "appCode"> & { appCode: AppCode };

/** The error as the server shapes it; `TRPCClientError#shape` has this type. */
export type ErrorShape = Omit<ServerRootTypes<ServerRouter>["errorShape"], "data"> & { data: ErrorData };
