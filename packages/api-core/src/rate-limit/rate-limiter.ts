import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { AppError } from "../errors/app-errors.ts";
import { rateLimitRules, type RateLimitRule } from "./rules.ts";

/** 429; `retryAfterSeconds` becomes the `Retry-After` header. */
export class RateLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super("TOO_MANY_REQUESTS", "RATE_LIMITED", `Too many attempts. Try again in ${retryAfterSeconds} s.`);
  }
}

export interface RateLimiter {
  /**
   * Counts one attempt for `key` under `rule`.
   * @throws {RateLimitedError} when over the limit.
   */
  consume(rule: RateLimitRule, key: string): Promise<void>;
  /** Gives an attempt back, e.g. when the SMS provider failed and nothing was sent. */
  refund(rule: RateLimitRule, key: string): Promise<void>;
}

export interface RateLimiterOptions {
  /** Shared store so limits hold across server instances; absent: this process's memory. */
  redis?: Redis | undefined;
  keyPrefix: string;
  /**
   * Every rule's points times this (default 1). Test servers raise it so a suite can call a
   * limited operation hundreds of times as one user; the configuration refuses it elsewhere.
   */
  pointsMultiplier?: number | undefined;
}

/**
 * Backed by rate-limiter-flexible. With Redis, each rule has an in-memory "insurance"
 * limiter with the same limits: when Redis is unreachable, requests are limited per instance
 * instead of failing (the server logs Redis's state changes). Every count Redis answers is
 * mirrored into that memory, so an outage does not hand out fresh attempts: a key this instance
 * saw locked out stays locked out until its window ends, and a key half-way through its window
 * goes on from where Redis had it. (Keys seen only by other instances start from zero here.)
 */
export function createRateLimiter({ redis, keyPrefix, pointsMultiplier = 1 }: RateLimiterOptions): RateLimiter {
  const limiters = new Map<RateLimitRule, RateLimiterAbstract>();
  const mirrors = new Map<RateLimitRule, RateLimiterMemory>();
  for (const [rule, { points, durationSeconds }] of Object.entries(rateLimitRules) as Array<
    [RateLimitRule, { points: number; durationSeconds: number }]
  >) {
    const options = { points: points * pointsMultiplier, duration: durationSeconds, keyPrefix: `${keyPrefix}rl:${rule}` };
    const memory = new RateLimiterMemory(options);
    if (redis) mirrors.set(rule, memory);
    limiters.set(
      rule,
      redis
        ? new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true, insuranceLimiter: memory })
        : memory,
    );
  }
  const limiterFor = (rule: RateLimitRule) => limiters.get(rule)!;
  const mirror = async (rule: RateLimitRule, key: string, answer: RateLimiterRes) => {
    const memory = mirrors.get(rule);
    if (memory && answer.msBeforeNext > 0) await memory.set(key, answer.consumedPoints, Math.ceil(answer.msBeforeNext / 1000));
  };

  return {
    async consume(rule, key) {
      try {
        await mirror(rule, key, await limiterFor(rule).consume(key));
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          await mirror(rule, key, rejection);
          throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
        }
        throw rejection;
      }
    },
    async refund(rule, key) {
      await limiterFor(rule).reward(key, 1);
    },
  };
}
