/** API Gateway's two clocks on a connection: the idle timeout and the maximum lifetime. */
import type { CloseCause } from "./connections";

/** API Gateway closes timed-out connections with 1001 and this reason. */
export const GOING_AWAY: CloseCause = { code: 1001, reason: "Going away" };

export type ConnectionTimers = {
  /** Restarts the idle clock. */
  touch(): void;
  stop(): void;
};

export function startConnectionTimers(
  limits: { idleTimeoutMs: number; maxLifetimeMs: number },
  expire: (cause: CloseCause) => void,
): ConnectionTimers {
  let idle: NodeJS.Timeout | undefined;
  const armIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(() => expire(GOING_AWAY), limits.idleTimeoutMs);
  };
  const lifetime = setTimeout(() => expire(GOING_AWAY), limits.maxLifetimeMs);
  armIdle();
  return {
    touch: armIdle,
    stop() {
      clearTimeout(idle);
      clearTimeout(lifetime);
    },
  };
}
