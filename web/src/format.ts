// Numbers, sizes, durations and times in words people read: shared by the manager's home and
// the Backups screen. Dates and times come from dates.ts, the app's one date style.

import { humanDay, humanMoment, humanMomentDay, parseMoment, setTimeZone, timeZone as currentZone } from './dates';

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
  return parseMoment(iso);
}

// A date and time in the setting's time zone, in the app's one style (dates.ts): "Today,
// 14:05", "Tue 1 Dec, 14:05". `timeZone` is the setting's zone where a screen holds it; the
// app loads the same zone at start, so it only stands in until then.
export function formatInZone(iso: string, timeZone: string | null): string {
  if (timeZone && !currentZone()) setTimeZone(timeZone);
  return humanMoment(iso);
}

// A message for people used inside a sentence of the app's: without its own full stop.
export function clause(text: string): string {
  return text.trim().replace(/[\s.]+$/, '');
}

// A calendar day ("2026-07-20") in the app's one style: "Mon 20 Jul" (the year when not this
// year), the same day in every time zone.
export function formatDay(day: string): string {
  return humanDay(day);
}

// A moment the box gave (Unix seconds, or an RFC 3339 time: the box has used both for such
// moments) as the setting's calendar day in the app's one style: "Wed 3 Mar 2027".
export function formatMomentDay(moment: number | string): string {
  return humanMomentDay(moment);
}
