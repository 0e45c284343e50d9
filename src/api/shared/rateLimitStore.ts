import type { AbstractSqlConnection } from '@mikro-orm/libsql';
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Orm } from '../../db/orm';

/**
 * express-rate-limit's counter kept in our database, so that every API process on one
 * PostgreSQL counts one budget per caller (a client's requests spread over three APIs
 * behind a load balancer count once). Fixed windows, as the library's memory store: one
 * row per caller in `rate_limit_windows`, and one atomic upsert per request that starts a
 * new window once the old one has ended or counts one more hit in it (the row's lock
 * orders concurrent requests from several processes).
 */
export function databaseRateLimitStore(orm: Orm): Store {
  const conn = () => orm.em.getConnection() as AbstractSqlConnection;
  let windowMs = 60_000;
  return {
    localKeys: false,
    init(options: Options) {
      windowMs = options.windowMs;
    },
    async increment(key: string): Promise<ClientRateLimitInfo> {
      const now = Date.now();
      const [row] = await conn().execute<{ hits: number | string; window_ends_at_ms: number | string }[]>(
        `insert into rate_limit_windows (key, window_ends_at_ms, hits) values (?, ?, 1)
         on conflict (key) do update set
           hits = case when rate_limit_windows.window_ends_at_ms <= ? then 1 else rate_limit_windows.hits + 1 end,
           window_ends_at_ms = case when rate_limit_windows.window_ends_at_ms <= ? then excluded.window_ends_at_ms else rate_limit_windows.window_ends_at_ms end
         returning hits, window_ends_at_ms`,
        [key, now + windowMs, now, now],
        'all',
      );
      // PostgreSQL gives a bigint as a string.
      return { totalHits: Number(row!.hits), resetTime: new Date(Number(row!.window_ends_at_ms)) };
    },
    async decrement(key: string): Promise<void> {
      await conn().execute('update rate_limit_windows set hits = hits - 1 where key = ? and hits > 0', [key], 'run');
    },
    async resetKey(key: string): Promise<void> {
      await conn().execute('update rate_limit_windows set hits = 0 where key = ?', [key], 'run');
    },
  };
}
