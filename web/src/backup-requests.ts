// Backups (issue 19): what the box says about them, and the long operations its root-run
// backup agent does. Such a route answers 202 with a request R, and the page asks after it
// every second until it is done or has failed. Used by the Backups screen and by the setup
// page's "Restore from a backup".

import { api, ApiError } from './api';

export type BackupTarget = { kind: 'usb' } | { kind: 'directory'; path: string };

export interface BackupRequest<T = unknown> {
  id: string;
  op: 'disks' | 'prepare' | 'setup' | 'target' | 'test' | 'backup' | 'snapshots' | 'restore';
  state: 'queued' | 'running' | 'done' | 'failed';
  result: T | null;
  error: { code: string; message: string } | null;
  created_at: string;
}

// A USB disk the box can back up to (never its boot or data disk).
export interface Disk {
  device: string;
  model: string;
  size_bytes: number;
  size: string;       // "62.7 GB"
  confirm: string;    // what the manager types to prepare it: "SanDisk Ultra 62.7 GB"
  prepared: boolean;  // already formatted for Nestbox backups
}

export interface Snapshot {
  id: string;
  short_id: string;
  time: string;
}

// A backup run as nestbox-backup reported it.
export interface BackupRun {
  finished_at: string;
  ok: boolean;
  duration_s: number;
  snapshot: string;
  bytes_added: number;
  bytes_total: number;
  snapshots: number;
  error: string | null;
}

// The weekly check, or the monthly test restore.
export interface BackupCheck {
  finished_at: string;
  kind: 'check' | 'test_restore';
  ok: boolean;
  subset_percent: number;
  sample: number;
  error: string | null;
}

// The target tested: it opens with the key and can be written.
export interface TargetTest {
  ok: boolean;
  size_bytes: number;
  free_bytes: number;
  snapshots: number;
}

export type BackupState = 'none' | 'ok' | 'failed' | 'check_failed' | 'stale' | 'disk_missing' | 'nearly_full' | 'not_set_up';

// GET /backups (and the backups part of the managers' home summary, which may give less).
export interface BackupOverview {
  state: BackupState;
  configured?: boolean;
  target?: BackupTarget | null;
  schedule?: { time: string; time_zone: string };
  next_at?: string | null;
  last: BackupRun | null;
  last_good: BackupRun | null;
  last_check: BackupCheck | null;
  last_test_restore?: BackupCheck | null;
  // Whichever of the two is newer: the one a "check_failed" state is about.
  last_verification?: BackupCheck | null;
  disk?: { size_bytes: number; free_bytes: number } | null;
  pending?: BackupRequest | null;
}

// Whether a target and key are in place (a box that does not say: whether it has backed up).
export function isConfigured(o: BackupOverview): boolean {
  return o.configured ?? !(o.state === 'none' || o.state === 'not_set_up');
}

// What to do about an agent's error, where its message does not already say.
const ADVICE: Record<string, string> = {
  target_unreachable: 'Check the disk is plugged in, or that the folder is there, then try again. If it keeps failing, ask IT support.',
  directory_not_allowed: 'Ask IT support to allow that folder on the box, or choose a USB disk.',
  bad_target: 'Choose a USB disk, or type the full path of a folder starting with /.',
  disk_unreadable: 'Try the other backup disk. A disk that keeps failing can be prepared again (that erases it).',
  target_readonly: 'Unplug the disk and plug it in again; if it still cannot be written to, use the other disk.',
  no_repository: 'Check it is the right disk or folder.',
  no_such_disk: 'Press “Find disks” again and choose the disk from the new list.',
  prepare_failed: 'Unplug the disk, plug it in again and try once more; if it fails again, use another disk.',
  not_set_up: 'Set up backups first.',
  restore_failed: 'Nothing on the box was changed. Try an older backup, or ask IT support.',
  failed: 'Try again in a few minutes. If it fails again, ask IT support: the box’s log has the details.',
};

// A request the agent could not carry out: its message for people, and what to do.
export class RequestFailed extends ApiError {
  constructor(readonly request: BackupRequest) {
    const code = request.error?.code ?? 'failed';
    const message = request.error?.message || 'The backup agent did not say why.';
    super(200, code, ADVICE[code] && !message.includes(ADVICE[code]) ? `${message} ${ADVICE[code]}` : message);
  }
}

export interface Waiting<T> {
  // Where the request is asked after: managerRequests or setupRequests.
  poll: (id: string) => string;
  // Each answer; `reachable` false while the box does not answer.
  onUpdate?: (request: BackupRequest<T>, reachable: boolean) => void;
  // How long the box may not answer (no network, nginx's 502 while nestboxd restarts) before
  // the wait ends with that error.
  unreachableMs?: number;
  // Another error answer: a value ends the wait with that result, 'wait' asks again,
  // undefined ends it with the error.
  otherAnswer?: (error: ApiError) => Promise<{ result: T } | 'wait' | undefined>;
  signal?: AbortSignal;
}

export const managerRequests = (id: string) => `/backups/requests/${id}`;
export const setupRequests = (id: string) => `/setup/restore/requests/${id}`;

function unreachable(error: ApiError): boolean {
  return error.status === 0 || error.status === 502 || error.status === 504 ||
    (error.status === 503 && error.code !== 'lockdown');
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) { reject(new ApiError(0, 'aborted', 'Stopped waiting.')); return; }
    const timer = window.setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      window.clearTimeout(timer);
      reject(new ApiError(0, 'aborted', 'Stopped waiting.'));
    }, { once: true });
  });
}

// Waits for a request to finish: its result when done, RequestFailed when it failed.
export async function waitForRequest<T>(first: BackupRequest<T>, w: Waiting<T>): Promise<T> {
  let request = first;
  let reachable = true;
  let unreachableSince = 0;
  for (;;) {
    w.onUpdate?.(request, reachable);
    if (request.state === 'done') return request.result as T;
    if (request.state === 'failed') throw new RequestFailed(request);
    await pause(1000, w.signal);
    try {
      request = (await api<{ request: BackupRequest<T> }>('GET', w.poll(request.id))).request;
      reachable = true;
      unreachableSince = 0;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (unreachable(error)) {
        unreachableSince ||= Date.now();
        if (Date.now() - unreachableSince > (w.unreachableMs ?? 20_000)) throw error;
        reachable = false;
        continue;
      }
      const other = await w.otherAnswer?.(error);
      if (other === 'wait') continue;
      if (other) return other.result;
      throw error;
    }
  }
}

// Starts a request (a POST answered 202 {"request": R}) and waits for it.
export async function startRequest<T>(path: string, body: unknown, w: Waiting<T>): Promise<T> {
  const { request } = await api<{ request: BackupRequest<T> }>('POST', path, body);
  return waitForRequest(request, w);
}

// What the page says while a request runs.
export const RUNNING: Record<BackupRequest['op'], string> = {
  disks: 'Looking for disks…',
  prepare: 'Preparing the disk…',
  setup: 'Setting up backups…',
  target: 'Testing the new disk or folder…',
  test: 'Testing the backup disk or folder…',
  backup: 'Backing up…',
  snapshots: 'Reading the list of backups…',
  restore: 'Restoring…',
};

// A recovery key as typed (any case, with or without dashes or spaces) in the form the box
// gave it: upper case, groups of five joined by dashes. Null when it is not letters and
// digits in whole groups.
export function normaliseKey(typed: string): string | null {
  const plain = typed.replace(/[\s-]+/g, '').toUpperCase();
  if (!plain || !/^[A-Z0-9]+$/.test(plain) || plain.length % 5 !== 0) return null;
  return plain.match(/.{5}/g)!.join('-');
}
