// Numbers, sizes, durations and times in words people read: shared by the manager's home and
// the Backups screen. Dates and times are dates.ts's (the app's one date style).

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

// A message for people used inside a sentence of the app's: without its own full stop.
export function clause(text: string): string {
  return text.trim().replace(/[\s.]+$/, '');
}
