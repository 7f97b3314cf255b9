import type { SimTime } from '../kernel/time';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** The last instant a JavaScript Date holds (+275760-09-13): ECMA-262 §21.4.1.1, ±8.64e15 ms. */
export const CALENDAR_MAX_MS = 8.64e15;

/**
 * The calendar instant at simulated time `t`. Past the calendar's end (or before its start) the clock stops
 * at that end rather than printing `*undefined NaN`: IOS's own calendar is bounded too (`clock set` takes
 * years <1993-2035>, Cisco IOS Basic System Management Command Reference, "clock set"), so no real router
 * prints a date beyond it; GETLab keeps a far-future scenario clock printable instead of refusing it.
 */
function at(epochMs: number, t: SimTime): Date {
  const ms = epochMs + Math.floor(t / 1000);
  if (!Number.isFinite(ms)) return new Date(ms < 0 || Number.isNaN(ms) ? -CALENDAR_MAX_MS : CALENDAR_MAX_MS);
  return new Date(Math.max(-CALENDAR_MAX_MS, Math.min(CALENDAR_MAX_MS, ms)));
}

/** Syslog/debug timestamp: `*Jul  7 22:57:13.167` (`*`: the clock is not NTP-synchronised, as in the article). */
export function iosTimestamp(epochMs: number, t: SimTime): string {
  const d = at(epochMs, t);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  return `*${MONTHS[d.getUTCMonth()]} ${day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/** `show clock`: `*22:57:13.167 UTC Tue Jul 7 2026`. */
export function iosClock(epochMs: number, t: SimTime): string {
  const d = at(epochMs, t);
  return `*${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)} UTC ${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${d.getUTCFullYear()}`;
}

/** Uptime/expiry columns: `00:06:03` below a day, `1d02h` and `2w3d` beyond, as IOS prints them. */
export function iosDuration(us: SimTime): string {
  const total = Math.max(0, Math.floor(us / 1_000_000));
  const days = Math.floor(total / 86400);
  if (days >= 7) return `${Math.floor(days / 7)}w${days % 7}d`;
  if (days >= 1) return `${days}d${pad(Math.floor((total % 86400) / 3600))}h`;
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}
