// The app's one date style (issue 22): days as people say them ("Mon 1 Dec", with the year
// only when it is not this year), times as "Mon 1 Dec, 14:05", always in the setting's time
// zone — a parent abroad sees the nursery's day, not their own. The zone comes from the box
// (GET /settings) once per page load; until then, and if the box is unreachable, the
// browser's zone stands in.
import { api } from './api';

let zone: string | null = null;
let loading: Promise<string | null> | null = null;

// The setting's IANA time zone, asked of the box once; again after a failure (e.g. before
// sign-in, when the box does not answer), or when `fresh` (a new session).
export function loadTimeZone(fresh = false): Promise<string | null> {
  if (fresh) loading = null;
  loading ??= api<{ setting: { time_zone?: string } }>('GET', '/settings')
    .then((r) => { zone = r.setting.time_zone ?? zone; return zone; })
    .catch(() => { loading = null; return zone; });
  return loading;
}

// For tests and for screens that already hold the settings.
export function setTimeZone(timeZone: string | null): void {
  zone = timeZone;
  loading = Promise.resolve(timeZone);
}

export function timeZone(): string | undefined {
  return zone ?? undefined;
}

function parts(ms: number, options: Intl.DateTimeFormatOptions): Record<string, string> {
  let f: Intl.DateTimeFormat;
  try {
    f = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: timeZone() });
  } catch {
    f = new Intl.DateTimeFormat('en-GB', options);  // a zone this browser does not know
  }
  return Object.fromEntries(f.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
}

// Today in the setting's zone, as YYYY-MM-DD.
export function today(now = Date.now()): string {
  const p = parts(now, { year: 'numeric', month: '2-digit', day: '2-digit' });
  return `${p.year}-${p.month}-${p.day}`;
}

// RFC 3339 (any fraction) or Unix seconds, as milliseconds.
export function parseMoment(moment: string | number): number {
  if (typeof moment === 'number') return moment * 1000;
  return Date.parse(moment.replace(/(\.\d{3})\d+/, '$1'));
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December'];

// A calendar day ("2026-12-01") as "Tue 1 Dec"; "Tue 1 Dec 2025" when not this year.
export function humanDay(day: string, now = Date.now()): string {
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return day;
  const weekday = WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
  const thisYear = Number(today(now).slice(0, 4));
  return `${weekday} ${d} ${MONTHS[m - 1]}${y === thisYear ? '' : ` ${y}`}`;
}

// A moment as "Tue 1 Dec, 14:05" in the setting's zone ("Today, 14:05" and "Yesterday, …"
// for the last two days).
export function humanMoment(moment: string | number, now = Date.now()): string {
  const ms = parseMoment(moment);
  if (!Number.isFinite(ms)) return String(moment);
  const p = parts(ms, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const day = today(ms);
  const t = today(now);
  const yesterday = today(now - 86400000);
  const label = day === t ? 'Today' : day === yesterday ? 'Yesterday' : humanDay(day, now);
  return `${label}, ${p.hour}:${p.minute}`;
}

// The same inside a sentence: "until today, 14:05", "signed in Tue 1 Dec, 14:05".
export function humanMomentInText(moment: string | number, now = Date.now()): string {
  return humanMoment(moment, now).replace(/^(Today|Yesterday),/, (w) => w.toLowerCase());
}

// A moment with its year, never "Today": for pages that are printed and kept ("Tue 1 Dec 2026, 14:05").
export function fullMoment(moment: string | number): string {
  return humanMoment(moment, 0);
}

// The moment (milliseconds) a calendar day starts in the setting's zone: the day "2026-12-01"
// typed into a date filter means that day where the setting is, not in UTC.
export function startOfDay(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return NaN;
  const utc = Date.UTC(y, m - 1, d);
  const offset = (ms: number) => {
    const p = parts(ms, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
      second: '2-digit', hourCycle: 'h23' });
    return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - ms;
  };
  const guess = utc - offset(utc);
  return utc - offset(guess);  // the offset at the start itself (a clock change that day)
}

// A moment's day only ("Tue 1 Dec"), in the setting's zone.
export function humanMomentDay(moment: string | number, now = Date.now()): string {
  const ms = parseMoment(moment);
  return Number.isFinite(ms) ? humanDay(today(ms), now) : String(moment);
}

// "December 2026" for "2026-12".
export function humanMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return y && m ? `${LONG_MONTHS[m - 1]} ${y}` : month;
}

// The last `count` months up to this one, newest first, as YYYY-MM.
export function recentMonths(count: number, now = Date.now()): string[] {
  const [y, m] = today(now).split('-').map(Number);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const total = y * 12 + (m - 1) - i;
    out.push(`${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}
