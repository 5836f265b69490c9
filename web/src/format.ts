// Numbers, sizes, durations and times in words people read: shared by the manager's home and
// the Backups screen.

// "1 child", "3 children": the count and the noun it goes with.
export function count(n: number, one: string, many: string): string {
  return `${n} ${plural(n, one, many)}`;
}

export function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

// A size on a disk: "1.4 GB", "230 MB", "355 KB".
export function formatBytes(bytes: number): string {
  if (bytes >= 1 << 30) return `${(bytes / (1 << 30)).toFixed(1)} GB`;
  if (bytes >= 1 << 20 || bytes === 0) return `${Math.round(bytes / (1 << 20))} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

// How long something took: "45 s", "12 min".
export function formatDuration(seconds: number): string {
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

// An RFC 3339 time as milliseconds. Fractions finer than a millisecond (restic writes
// nanoseconds) are cut first: not every browser reads them.
export function parseTime(iso: string): number {
  return Date.parse(iso.replace(/(\.\d{3})\d+/, '$1'));
}

// A date and time in the setting's own time zone when the box gave it, else the browser's.
export function formatInZone(iso: string, timeZone: string | null): string {
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
  const date = new Date(parseTime(iso));
  try {
    return date.toLocaleString(undefined, timeZone ? { ...options, timeZone } : options);
  } catch {
    return date.toLocaleString(undefined, options);  // a zone this browser does not know
  }
}

// A message for people used inside a sentence of the app's: without its own full stop.
export function clause(text: string): string {
  return text.trim().replace(/[\s.]+$/, '');
}

// A calendar day ("2026-07-20") in words ("20 July 2026"), the same day in every time zone.
export function formatDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return day;
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(undefined, { dateStyle: 'long', timeZone: 'UTC' });
}

// A moment the box gave, as a calendar day in words ("3 March 2027"): Unix seconds, or an RFC
// 3339 time (the box has used both for such moments).
export function formatMomentDay(moment: number | string): string {
  const ms = typeof moment === 'number' ? moment * 1000 : parseTime(moment);
  if (!Number.isFinite(ms)) return String(moment);
  return new Date(ms).toLocaleDateString(undefined, { dateStyle: 'long' });
}
