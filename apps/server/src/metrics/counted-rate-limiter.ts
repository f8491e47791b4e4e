import { RateLimitedError, type RateLimiter, type RateLimitRule } from "@tenantry/api";

/** `limiter`, telling `onRefusal` the rule of every attempt it refuses. */
export function countingRefusals(limiter: RateLimiter, onRefusal: (rule: RateLimitRule) => void): RateLimiter {
  return {
    async consume(rule, key) {
      try {
        await limiter.consume(rule, key);
      } catch (error) {
        if (error instanceof RateLimitedError) onRefusal(rule);
        throw error;
      }
    },
    refund: (rule, key) => limiter.refund(rule, key),
  };
}
