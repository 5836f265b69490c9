// The box camera capture station (issue 18): staff photograph artwork with the camera plugged
// into the box, so the picture never exists on the tablet. The screen holds the camera while
// it is open (one tablet at a time), shows the box's latest frame a few times a second, and
// each "Take photo" makes a still that goes through the media pipeline like an upload from
// this tablet. The box stops the camera a minute after the last touch, when the screen stops
// asking for frames, when it is unplugged and on a lockdown; the screen says why.
// Frames are shown from memory (blob: URLs, let go at once) and never stored.
import { html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { api, ApiError, csrf } from './api';
import { LightElement } from './base';
import type { MediaItem } from './media';

export interface CameraSession {
  held_by: string;        // the staff member's name
  device: string;         // the tablet's name
  camera: string;         // the camera's model
  mine: boolean;          // held by this tablet
  since: string;
  idle_stops_at: string;
}

export interface CameraState {
  source: 'libcamera' | 'files' | 'none';
  cameras: Array<{ id: string; model: string }>;
  session: CameraSession | null;
  stopped_reason: string | null;
}

const SESSION = '/camera/session';
const PREVIEW_URL = '/api/v1/camera/preview';
const PREVIEW_EVERY_MS = 250;      // about four frames a second; the box wants one every 15 s at least
const TOUCH_EVERY_MS = 10000;      // the box stops the camera after 60 s without a touch
const OFFLINE_AFTER_FAILURES = 3;  // failed frame requests in a row before the screen says so

type Phase = 'starting' | 'no_camera' | 'in_use' | 'live' | 'stopped' | 'failed';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// An error answer to a request made outside api() (the frames), as api() would give it.
async function errorOf(response: Response): Promise<ApiError> {
  let data: any = null;
  try { data = await response.json(); } catch { /* not JSON */ }
  return new ApiError(response.status, data?.error ?? 'error', data?.message ?? `The box answered ${response.status}. Try again in a moment.`,
    data?.field, data?.details && typeof data.details === 'object' && !Array.isArray(data.details) ? data.details : undefined);
}

// The "Capture artwork" screen, over the entry editor. Fires `captured` (detail { media }) for
// each still and `close` when the person is done.
@customElement('nb-camera-capture')
export class CameraCapture extends LightElement {
  @state() private phase: Phase = 'starting';
  @state() private message = '';        // the box's words: who has the camera, why it stopped
  @state() private frame: string | null = null;   // blob: URL of the latest frame
  @state() private session: CameraSession | null = null;
  @state() private taking = false;
  @state() private taken = 0;
  @state() private said = '';           // the latest news for the status line
  @state() private error = '';          // a still that could not be taken
  @state() private unreachable = false;
  @query('dialog') private dialog!: HTMLDialogElement;
  private held = false;                 // this screen holds the camera (the box may have stopped it since)
  private polling = 0;                  // the current preview loop; another number stops it
  private abort: AbortController | null = null;
  private sequence: string | null = null;
  private lastTouch = 0;
  private connected = false;
  private readonly pagehide = () => this.release();
  // Back from the browser's page cache: the camera was given back on leaving, so start again.
  private readonly pageshow = (event: PageTransitionEvent) => { if (event.persisted && this.phase === 'live') void this.start(); };

  connectedCallback(): void {
    super.connectedCallback();
    this.connected = true;
    window.addEventListener('pagehide', this.pagehide);
    window.addEventListener('pageshow', this.pageshow);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.connected = false;
    window.removeEventListener('pagehide', this.pagehide);
    window.removeEventListener('pageshow', this.pageshow);
    this.release();
  }

  firstUpdated(): void {
    this.dialog.showModal();
    void this.start();
  }

  // Stops the frames and gives the camera back, best effort: the page may be going away, and
  // the box stops it by itself 15 s after the last frame anyway.
  private release(): void {
    this.stopPreview();
    if (!this.held) return;
    this.held = false;
    void fetch(`/api/v1${SESSION}`, {
      method: 'DELETE', keepalive: true, credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf() ?? '' },
    }).catch(() => { /* offline: the box stops it by itself */ });
  }

  private focusLater(selector: string): void {
    void this.updateComplete.then(() => this.querySelector<HTMLElement>(selector)?.focus());
  }

  private async start(): Promise<void> {
    this.phase = 'starting';
    this.message = '';
    this.error = '';
    this.said = 'Starting the box camera…';
    try {
      const { camera } = await api<{ camera: CameraState }>('GET', '/camera');
      if (!camera.cameras.length) { this.show('no_camera'); return; }
      const { session } = await api<{ session: CameraSession }>('POST', SESSION);
      this.held = true;
      if (!this.connected) { this.release(); return; }
      this.session = session;
      this.lastTouch = Date.now();
      this.said = 'Camera on — the box’s light blinks while it runs. It stops after a minute without a touch.';
      this.phase = 'live';
      this.focusLater('.camera-shutter');
      void this.preview();
    } catch (e) {
      if (!this.connected) return;
      if (e instanceof ApiError && e.code === 'no_camera') this.show('no_camera');
      else if (e instanceof ApiError && e.code === 'camera_in_use') this.show('in_use', e.message);
      else this.show('failed', e instanceof Error ? e.message : String(e));
    }
  }

  // A state without the camera: says why, and offers to try again.
  private show(phase: Phase, message = ''): void {
    this.stopPreview();
    this.phase = phase;
    this.message = message;
    this.session = null;
    this.said = message;
    this.focusLater('.camera-retry');
  }

  private stopPreview(): void {
    ++this.polling;
    this.abort?.abort();
    this.abort = null;
    this.sequence = null;
    this.unreachable = false;
    if (this.frame) URL.revokeObjectURL(this.frame);
    this.frame = null;
  }

  // Asks for the latest frame about four times a second while the screen is open: the box
  // takes a screen that stops asking as gone, and stops the camera.
  private async preview(): Promise<void> {
    const run = ++this.polling;
    const abort = new AbortController();
    this.abort = abort;
    const alive = () => run === this.polling && this.connected;
    let failures = 0;
    while (alive()) {
      const started = performance.now();
      try {
        const response = await fetch(PREVIEW_URL, { credentials: 'same-origin', cache: 'no-store', signal: abort.signal });
        if (!alive()) return;
        failures = 0;
        this.unreachable = false;
        if (response.status === 200) await this.showFrame(response, alive);
        else if (response.status !== 204 && !await this.previewRefused(await errorOf(response))) return;
      } catch {
        if (!alive()) return;
        this.unreachable = ++failures >= OFFLINE_AFTER_FAILURES;
      }
      await sleep(Math.max(0, PREVIEW_EVERY_MS - (performance.now() - started)));
    }
  }

  // A new frame replaces the one shown once it has decoded (no flashing); the old one is let go.
  private async showFrame(response: Response, alive: () => boolean): Promise<void> {
    const sequence = response.headers.get('X-Frame-Sequence');
    if (sequence !== null && sequence === this.sequence) { await response.body?.cancel(); return; }
    const url = URL.createObjectURL(await response.blob());
    try {
      const probe = new Image();
      probe.src = url;
      await probe.decode();
    } catch {
      URL.revokeObjectURL(url);
      return;
    }
    if (!alive()) { URL.revokeObjectURL(url); return; }
    const old = this.frame;
    this.frame = url;
    this.sequence = sequence;
    if (old) void this.updateComplete.then(() => URL.revokeObjectURL(old));
  }

  // The box refused a frame. The camera stopped (idle, unplugged, …): its words and a way to
  // start again. A tablet's proof to renew, an ended session or a lockdown go through api(),
  // which the app answers for every screen. Returns whether to carry on.
  private async previewRefused(error: ApiError): Promise<boolean> {
    if (error.status === 401 || error.status === 503) {
      try {
        await api('GET', '/camera');
        return true;   // the tablet proved itself again
      } catch (e) {
        if (e instanceof ApiError) error = e;
      }
    }
    this.stopped(error);
    return false;
  }

  private stopped(error: ApiError): void {
    this.held = error.code !== 'camera_not_open';
    if (this.held) this.release();
    this.show('stopped', error.message);
  }

  // Any touch or key on the screen keeps the camera on; the box hears of it every 10 s at most.
  private touched(): void {
    if (this.phase !== 'live' || Date.now() - this.lastTouch < TOUCH_EVERY_MS) return;
    this.lastTouch = Date.now();
    api<{ session: CameraSession }>('POST', `${SESSION}/touch`).then(({ session }) => {
      if (this.phase === 'live') this.session = session;
    }).catch((e) => {
      if (this.phase === 'live' && e instanceof ApiError && e.code === 'camera_not_open') this.stopped(e);
    });
  }

  private async take(): Promise<void> {
    if (this.taking) return;
    this.taking = true;
    this.error = '';
    this.said = 'Taking the photo…';
    try {
      const { media } = await api<{ media: MediaItem }>('POST', '/camera/capture');
      this.lastTouch = Date.now();   // the box counts a photo as a touch
      this.taken += 1;
      this.said = `Photo taken (${this.taken} so far). It is added to the entry. Take another, or press Done.`;
      this.dispatchEvent(new CustomEvent('captured', { detail: { media }, bubbles: true, composed: true }));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'camera_not_open') {
        this.stopped(e);
      } else {
        this.said = '';
        this.error = e instanceof Error ? e.message : String(e);
      }
    } finally {
      this.taking = false;
    }
  }

  private async done(): Promise<void> {
    this.stopPreview();
    if (this.held) {
      this.held = false;
      await api('DELETE', SESSION).catch(() => { /* the box stops it by itself 15 s after the last frame */ });
    }
    if (this.dialog.open) this.dialog.close();
    this.dispatchEvent(new CustomEvent('close'));
  }

  private body() {
    switch (this.phase) {
      case 'starting':
        return html`<div class="camera-view" aria-hidden="true"></div>`;
      case 'no_camera':
        return nothing;   // the status line explains
      case 'live':
        return html`<div class="camera-view">
          ${this.frame ? html`<img class="camera-preview" src=${this.frame} alt="Live view from the box camera">`
            : html`<p class="camera-waiting">Waiting for the camera’s first picture…</p>`}
        </div>`;
      default:
        return html`<div class="camera-view camera-off"><p>The camera is off.</p></div>`;
    }
  }

  // Take photo stays focusable while a photo is taken (a disabled button would drop the focus).
  private actions() {
    if (this.phase === 'live') {
      return html`<button type="button" class="primary camera-shutter" aria-disabled=${this.taking ? 'true' : 'false'}
          @click=${this.take}>${this.taking ? 'Taking photo…' : 'Take photo'}</button>
        <button type="button" class="camera-done" @click=${this.done}>Done</button>`;
    }
    const retry = this.phase === 'stopped' ? 'Start the camera again' : this.phase === 'starting' ? '' : 'Try again';
    return html`${retry ? html`<button type="button" class="primary camera-retry" @click=${this.start}>${retry}</button>` : nothing}
      <button type="button" class="camera-done" @click=${this.done}>${this.taken ? 'Done' : 'Close'}</button>`;
  }

  // What the screen says now, in the live region: read out as it changes.
  private status() {
    switch (this.phase) {
      case 'no_camera':
        return html`<div class="empty camera-empty">
          <p><strong>No camera is connected to the box.</strong> Plug a USB camera into the box, wait a few seconds, then press “Try again”.</p>
          <p>If a camera is plugged in and this still shows, ask IT support: on the box, <code>nestboxctl camera status</code> says
            what it sees, and <code>nestboxctl camera enable</code> turns the camera on.</p>
        </div>`;
      case 'in_use': case 'stopped': case 'failed':
        return html`<p class="warning">${this.message}</p>`;
      default:
        return html`${this.said ? html`<p class=${this.phase === 'live' ? 'ok' : 'meta'}>${this.said}</p>` : nothing}
          ${this.phase === 'live' && this.session ? html`<p class="meta">Camera: ${this.session.camera}</p>` : nothing}
          ${this.unreachable ? html`<p class="paused">Cannot reach the box. Check the tablet is on the setting’s network; the picture carries on when it is back.</p>` : nothing}`;
    }
  }

  render() {
    return html`<dialog class="camera" aria-labelledby="camera-title" aria-describedby="camera-status"
        @cancel=${(e: Event) => { e.preventDefault(); void this.done(); }}
        @pointerdown=${this.touched} @keydown=${this.touched}>
      <h2 id="camera-title">Capture artwork with the box camera</h2>
      <p class="hint">Lay the artwork under the camera. Photos go straight into the box; nothing is kept on this tablet.</p>
      ${this.body()}
      <div id="camera-status" class="camera-status" role="status">${this.status()}</div>
      ${this.error ? html`<p class="form-error" role="alert">${this.error}</p>` : nothing}
      <div class="actions camera-actions">${this.actions()}</div>
    </dialog>`;
  }
}
