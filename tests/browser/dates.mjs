// The app's one date style (web/src/dates.ts), worked out here on its own for the tests to
// compare against: "Tue 1 Dec" (the year only when not this year), "Today, 14:05",
// "Tue 1 Dec, 14:05", in a given time zone.

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// The calendar day (YYYY-MM-DD) a moment falls on in `zone` (undefined: this machine's zone).
export function dayIn(zone, ms) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

// "2026-07-17" → "Fri 17 Jul", or "Fri 17 Jul 2026" when that is not this year in `zone`.
export function humanDay(day, zone = undefined, now = Date.now()) {
  const [y, m, d] = day.split('-').map(Number);
  const weekday = WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
  const thisYear = Number(dayIn(zone, now).slice(0, 4));
  return `${weekday} ${d} ${MONTHS[m - 1]}${y === thisYear ? '' : ` ${y}`}`;
}

// A moment's day in `zone`: "Fri 17 Jul".
export function humanMomentDay(iso, zone = undefined, now = Date.now()) {
  return humanDay(dayIn(zone, Date.parse(iso)), zone, now);
}

// A moment in `zone`: "Today, 14:05", "Yesterday, 09:30", "Fri 17 Jul, 14:05".
export function humanMoment(iso, zone = undefined, now = Date.now()) {
  const ms = Date.parse(iso);
  const t = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const day = dayIn(zone, ms);
  const label = day === dayIn(zone, now) ? 'Today' : day === dayIn(zone, now - 86400000) ? 'Yesterday' : humanDay(day, zone, now);
  return `${label}, ${t.hour}:${t.minute}`;
}
