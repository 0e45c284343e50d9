const DAY_MS = 86_400_000;
const twoDigits = (n: number) => (n < 10 ? `0${n}` : `${n}`);

let cachedDay = NaN;
let cachedDayPrefix = '';

/**
 * `new Date(ms).toISOString()`, for a feed page's thousands of doneDateTimes: those
 * fall on few days, so the date part is formatted once per day and the time of day
 * by arithmetic. toISOString alone was a fifth of a 1000-item page's cost over its query.
 */
export function isoOfEpochMs(ms: number): string {
  // Before 1970 or past 9999 (never a doneDateTime) toISOString's own rules apply.
  if (!(ms >= 0 && ms < 253_402_300_800_000) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  let t = ms - day * DAY_MS;
  const milli = t % 1000;
  t = (t - milli) / 1000;
  const s = t % 60;
  t = (t - s) / 60;
  const m = t % 60;
  const h = (t - m) / 60;
  return `${cachedDayPrefix}${twoDigits(h)}:${twoDigits(m)}:${twoDigits(s)}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}
