// The one way the app talks to the box: JSON over same-origin fetch, the session's CSRF token
// on every state change, and errors turned into ApiError with the field the server named and
// the structured details it gave (decisions are made on the code and details, never on the
// message, which is only for showing). Messages are shown in plain words (field-words.ts), and
// "cannot reach the box" speaks to whoever reads it: a family at home, or staff at the setting.
import { plainMessage } from './field-words';

export interface User {
  id: string;
  username: string;
  display_name: string;
  email: string | null;
  role: 'manager' | 'staff' | 'parent';
  active: boolean;
  has_pin: boolean;
  must_change_password: boolean;
  password_changed_at: string;
  created_at: string;
  updated_at: string;
}

export interface Session {
  user: User;
  csrf_token: string;
  must_change_password: boolean;
  idle_expires_at: string;
  absolute_expires_at: string;
  setting?: { name: string; framework: string };
  device_id: string | null;   // the registered tablet this session is bound to
  child_view: string | null;  // the child whose journal the tablet shows, in child view
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    // Machine-readable facts about the error, by code: e.g. no_photo_consent gives the
    // media_id and child_ids it is about. Loosely typed: read each member with a type check.
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;

// Who is reading (issue 32): 'family' or 'staff', learnt from the session and remembered on
// this browser (only that word), so even the first screen, before the box answers, speaks to them.
export type Audience = 'family' | 'staff';
const AUDIENCE_KEY = 'nestbox.audience';
let audience: Audience | null = null;

export function setAudience(role: string | null | undefined): void {
  audience = role === 'parent' ? 'family' : role ? 'staff' : audience;
  try {
    if (audience) localStorage.setItem(AUDIENCE_KEY, audience);
  } catch {
    // Storage refused (a private window): the words stay for this page only.
  }
}

export function currentAudience(): Audience | null {
  if (audience) return audience;
  try {
    const stored = localStorage.getItem(AUDIENCE_KEY);
    if (stored === 'family' || stored === 'staff') audience = stored;
  } catch {
    // Nothing remembered.
  }
  return audience;
}

// The box did not answer at all, in words for whoever reads it.
export function unreachableMessage(who: Audience | null = currentAudience()): string {
  if (who === 'family') {
    return 'Cannot reach the nursery’s journal. Check your phone has internet (Wi-Fi or mobile data), then retry. '
      + 'If it still does not open, the nursery may be restarting its box: try again a little later.';
  }
  if (who === 'staff') return 'Cannot reach the box. Check this tablet or computer is on the setting’s Wi-Fi, then retry.';
  return 'Cannot reach the box. At home, check your phone has internet; at the setting, check the tablet is on the '
    + 'setting’s Wi-Fi. Then retry.';
}

// "expired" when a request finds the session over (the app shows a sign-in dialog over the
// current screen so nothing typed there is lost); "signed-in" when a session starts.
export const sessionEvents = new EventTarget();

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
  // Work paused by an ended session (an upload) carries on once someone signs in again.
  if (token) sessionEvents.dispatchEvent(new Event('signed-in'));
}

// For requests made outside api(): tus uploads send it as a header too.
export function csrf(): string | null {
  return csrfToken;
}

// Set by the app: signs a fresh challenge with this tablet's key and renews the session's
// device proof (POST /auth/renew); true when it did.
let renewDeviceProof: (() => Promise<boolean>) | null = null;
export function setDeviceProofRenewer(renew: () => Promise<boolean>): void {
  renewDeviceProof = renew;
}

// Set by the app (remember.ts): a remembered phone signs the box's challenge for a fresh token.
let renewRemembered: (() => Promise<boolean>) | null = null;
export function setRememberRenewer(renew: () => Promise<boolean>): void {
  renewRemembered = renew;
}

// Set by the app: asks the person for their password again (POST /auth/confirm-password);
// true when they gave it. A remembered phone is asked before what matters (issue 32).
let confirmPassword: (() => Promise<boolean>) | null = null;
export function setPasswordConfirmer(confirm: () => Promise<boolean>): void {
  confirmPassword = confirm;
}

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  try {
    return await request<T>(method, path, body);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    // Every half hour a tablet's session proves again that it is on the registered tablet.
    if (error.code === 'device_proof_required' && renewDeviceProof && await renewDeviceProof()) {
      return request<T>(method, path, body);
    }
    if (error.code === 'remember_proof_required' && renewRemembered && await renewRemembered()) {
      return api<T>(method, path, body);  // may still need the password (below)
    }
    if (error.code === 'password_needed' && confirmPassword && await confirmPassword()) {
      return request<T>(method, path, body);
    }
    throw error;
  }
}

// One request, as it is: no renewal, no retry (api() adds those).
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network', unreachableMessage());
  }
  const text = await response.text();
  let data: any = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    // {"error": code, "message", "field"}, or the same inside "error" (the backups routes).
    const body = data?.error && typeof data.error === 'object' ? data.error : data;
    const error = new ApiError(
      response.status,
      (typeof body?.error === 'string' ? body.error : body?.code) ?? 'error',
      typeof body?.message === 'string' ? plainMessage(body.message, body?.field) : `The box answered ${response.status}. Try again in a moment.`,
      body?.field,
      body?.details && typeof body.details === 'object' && !Array.isArray(body.details) ? body.details as Record<string, unknown> : undefined,
    );
    // Locked down (policy 001): the app shows the notice instead of any screen.
    // Locked down (from outside too: issue 31): the app shows the notice.
    if (response.status === 503 && (error.code === 'lockdown' || error.code === 'lockdown_outside')) sessionEvents.dispatchEvent(new Event('lockdown'));
    if (response.status === 401 && (error.code === 'session_expired' || error.code === 'session_required' || error.code === 'session_reused') &&
        path !== '/auth/session') {
      sessionEvents.dispatchEvent(new CustomEvent('expired', { detail: error }));
    }
    throw error;
  }
  // A session read or started: who is reading, for the words of "cannot reach the box".
  if (path.startsWith('/auth/') && typeof data?.user?.role === 'string') setAudience(data.user.role);
  return data as T;
}
