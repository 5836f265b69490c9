// Photos, videos and documents: uploading them with tus (resumable: a dropped network pauses
// and resumes), tagging who is in each, saying which families will see it, redacting, and
// showing them to families (thumbnails, a lightbox, a video player).
import { html, nothing, svg } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { Upload } from 'tus-js-client';
import { api, ApiError, csrf } from './api';
import { LightElement } from './base';
import type { Child } from './journal';

export interface MediaItem {
  id: string;
  kind: 'image' | 'video' | 'document';
  mime: string;
  state: 'processing' | 'ready' | 'failed';
  width: number | null;
  height: number | null;
  duration_ms: number | null;
  child_ids: string[];
  obscured_child_ids?: string[];
  original_kept?: boolean;
  redacted?: boolean;
}

export interface Consent {
  own_journal_photos: boolean;
  other_journals: boolean;
  online_journal_opt_out: boolean;
}

export interface Attachment {
  id: string;
  child_ids: string[];
}

export const mediaUrl = (id: string, variant: 'thumbnail' | 'display' | 'original') => `/api/v1/media/${id}/${variant}`;

function names(children: Map<string, Child>, ids: string[]): string {
  const list = ids.map((id) => children.get(id)?.first_name ?? 'a child');
  return list.length <= 1 ? list.join('') : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
}

// Which families will see an item, by the rule the box enforces (README "Consent at the
// pixel"): the family of a tagged child sees it when every other tagged child may appear in
// other journals or is obscured in the redacted copy. Returns plain sentences for staff.
export function audience(item: { child_ids: string[]; obscured_child_ids?: string[]; redacted?: boolean },
  children: Map<string, Child>, consents: Map<string, Consent>): { seen: string; warnings: string[] } {
  const tagged = item.child_ids;
  const obscured = new Set(item.redacted ? item.obscured_child_ids ?? [] : []);
  const warnings: string[] = [];
  if (tagged.length === 0) return { seen: 'No child tagged: every family who sees the entry sees this.', warnings };
  const mayShowToOthers = (id: string) => {
    const c = consents.get(id);
    return !!c && c.other_journals && !c.online_journal_opt_out;
  };
  for (const id of tagged) {
    const c = consents.get(id);
    if (!c || !c.own_journal_photos || c.online_journal_opt_out) {
      if (!obscured.has(id)) warnings.push(`${names(children, [id])} has no consent to photos in their own journal: untick them, or obscure them with Redact.`);
    }
  }
  const seenBy = tagged.filter((id) => {
    const c = consents.get(id);
    if (!c || !c.own_journal_photos || c.online_journal_opt_out) return false;
    return tagged.every((other) => other === id || mayShowToOthers(other) || obscured.has(other));
  });
  for (const other of tagged) {
    if (!mayShowToOthers(other) && !obscured.has(other) && tagged.length > 1) {
      const blocked = tagged.filter((id) => id !== other);
      warnings.push(`${names(children, [other])} may not appear in other children's journals: ${names(children, blocked)}'s ` +
        `${blocked.length > 1 ? 'families' : 'family'} will not see this unless you obscure ${names(children, [other])} (Redact).`);
    }
  }
  const seen = seenBy.length ? `Seen by the ${seenBy.length > 1 ? 'families' : 'family'} of ${names(children, seenBy)}.` : 'No family will see this yet.';
  return { seen, warnings };
}

async function waitUntilProcessed(id: string): Promise<MediaItem> {
  for (let delay = 300; ; delay = Math.min(delay * 1.5, 3000)) {
    const { media } = await api<{ media: MediaItem }>('GET', `/media/${id}`);
    if (media.state !== 'processing') return media;
    await new Promise((r) => setTimeout(r, delay));
  }
}

function serverMessage(error: unknown): string {
  const response = (error as { originalResponse?: { getBody(): string } }).originalResponse;
  if (response) {
    try {
      const body = JSON.parse(response.getBody());
      if (body?.message) return body.message as string;
    } catch { /* not JSON */ }
  }
  return 'The upload failed. Check the network and try again.';
}

interface Pending {
  key: string;
  name: string;
  percent: number;
  status: 'uploading' | 'waiting' | 'processing' | 'ready' | 'failed';
  message: string;
  upload?: Upload;
  media?: MediaItem;
  tags: string[];
  tagsTouched: boolean;
}

// The uploader: choose photos, videos or PDFs (on a tablet, the camera or the library); each
// uploads in 8 MiB pieces with its own progress and resumes after a network drop. Staff tag
// the children in each item and see who will see it. `attachments` is what the entry sends.
@customElement('nb-media-uploader')
export class MediaUploader extends LightElement {
  @property({ attribute: false }) people: Child[] = [];   // who may be tagged
  @property({ attribute: false }) consents = new Map<string, Consent>();
  @property({ type: Boolean }) tagging = true;               // staff tag; parents do not
  @property() accept = 'image/*,video/*,application/pdf';
  @property() label = 'Add photos, videos or documents';
  @state() private items: Pending[] = [];
  @state() private redacting: Pending | null = null;
  private counter = 0;

  get attachments(): Attachment[] {
    return this.items.filter((i) => i.media && i.media.state !== 'failed').map((i) => ({ id: i.media!.id, child_ids: i.tags }));
  }

  clear(): void {
    this.items = [];
  }

  get busy(): boolean {
    return this.items.some((i) => i.status === 'uploading' || i.status === 'waiting' || i.status === 'processing');
  }

  // Untouched items follow the entry's children: a photo of the chosen children by default.
  willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('people')) {
      const allowed = new Set(this.people.map((c) => c.id));
      for (const item of this.items) {
        item.tags = item.tagsTouched ? item.tags.filter((id) => allowed.has(id)) : this.defaultTags();
      }
    }
  }

  private defaultTags(): string[] {
    return this.people.filter((c) => {
      const consent = this.consents.get(c.id);
      return consent && consent.own_journal_photos && !consent.online_journal_opt_out;
    }).map((c) => c.id);
  }

  private change(): void {
    this.requestUpdate();
    this.dispatchEvent(new CustomEvent('change', { bubbles: true }));
  }

  private choose(event: Event): void {
    const input = event.target as HTMLInputElement;
    for (const file of [...(input.files ?? [])]) this.start(file);
    input.value = '';
  }

  private start(file: File): void {
    const item: Pending = { key: `f${++this.counter}`, name: file.name, percent: 0, status: 'uploading', message: '', tags: this.defaultTags(), tagsTouched: false };
    this.items = [...this.items, item];
    const upload = new Upload(file, {
      endpoint: '/api/v1/uploads',
      chunkSize: 8 * 1024 * 1024,
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000, 30000, 60000],
      metadata: { filename: file.name },
      headers: { 'X-CSRF-Token': csrf() ?? '' },
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onProgress: (sent, total) => {
        item.percent = total ? Math.floor((sent / total) * 100) : 0;
        item.status = 'uploading';
        item.message = '';
        this.requestUpdate();
      },
      onShouldRetry: (error) => {
        const status = (error as { originalResponse?: { getStatus(): number } }).originalResponse?.getStatus() ?? 0;
        if (status === 0 || status === 409 || status === 423 || status >= 500) {
          item.status = 'waiting';
          item.message = 'Paused: waiting for the network. It will carry on by itself.';
          this.requestUpdate();
          return true;
        }
        return false;
      },
      onError: (error) => {
        item.status = 'failed';
        item.message = serverMessage(error);
        this.change();
      },
      onSuccess: async () => {
        const id = upload.url!.split('/').pop()!;
        item.status = 'processing';
        item.percent = 100;
        this.change();
        try {
          item.media = await waitUntilProcessed(id);
          item.status = item.media.state === 'ready' ? 'ready' : 'failed';
          if (item.status === 'failed') item.message = 'The box could not read this file. Try another.';
        } catch (e) {
          item.status = 'failed';
          item.message = e instanceof ApiError ? e.message : 'The box did not answer. Try again.';
        }
        this.change();
      },
    });
    item.upload = upload;
    void upload.findPreviousUploads().then((previous) => {
      if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    });
  }

  private removeItem(item: Pending): void {
    if (item.upload && (item.status === 'uploading' || item.status === 'waiting')) void item.upload.abort(true);
    this.items = this.items.filter((i) => i !== item);
    this.change();
  }

  private toggle(item: Pending, childId: string, on: boolean): void {
    item.tagsTouched = true;
    item.tags = on ? [...new Set([...item.tags, childId])] : item.tags.filter((id) => id !== childId);
    this.change();
  }

  private statusText(item: Pending): string {
    switch (item.status) {
      case 'uploading': return `Uploading… ${item.percent}%`;
      case 'waiting': return item.message;
      case 'processing': return 'Processing… (making it safe to share)';
      case 'ready': return 'Ready';
      default: return item.message;
    }
  }

  render() {
    const kids = new Map(this.people.map((c) => [c.id, c]));
    return html`<fieldset class="uploader">
      <legend>${this.label}</legend>
      <label class="button file-button" for="media-files-${this.counter}">Choose files</label>
      <input class="visually-hidden-file" type="file" id="media-files-${this.counter}" multiple accept=${this.accept} @change=${this.choose}>
      <p class="hint">Take a photo or pick from the library. Files go straight to the box; nothing is kept on the tablet.</p>
      ${this.items.length ? html`<ul class="upload-list" aria-live="polite">${this.items.map((item) => {
        const seen = item.media && this.tagging ? audience({ child_ids: item.tags, obscured_child_ids: item.media.obscured_child_ids, redacted: item.media.redacted }, kids, this.consents) : null;
        return html`<li class="upload-item" data-state=${item.status}>
          <div class="upload-head">
            ${item.media && item.status === 'ready' && item.media.kind !== 'document'
              ? html`<img class="upload-thumb" src=${mediaUrl(item.media.id, 'thumbnail')} alt="" width="72" height="72">`
              : html`<span class="upload-thumb placeholder" aria-hidden="true"></span>`}
            <div class="upload-text">
              <p class="upload-name">${item.name}</p>
              <p class=${item.status === 'failed' ? 'field-error' : 'meta'} role=${item.status === 'failed' ? 'alert' : nothing}>${this.statusText(item)}</p>
              ${item.status === 'uploading' || item.status === 'waiting'
                ? html`<progress max="100" .value=${item.percent} aria-label="Upload of ${item.name}">${item.percent}%</progress>` : nothing}
            </div>
            <button type="button" class="link" @click=${() => this.removeItem(item)}>${item.status === 'uploading' || item.status === 'waiting' ? 'Cancel' : 'Remove'}<span class="visually-hidden"> ${item.name}</span></button>
          </div>
          ${this.tagging && item.media && item.status === 'ready' ? html`
            ${this.people.length ? html`<fieldset class="checks compact"><legend>Who is in it?</legend>
              ${this.people.map((c) => html`<div class="field-check"><input type="checkbox" id="tag-${item.key}-${c.id}"
                  .checked=${item.tags.includes(c.id)} @change=${(e: Event) => this.toggle(item, c.id, (e.target as HTMLInputElement).checked)}>
                <label for="tag-${item.key}-${c.id}">${c.first_name} ${c.last_name}</label></div>`)}
            </fieldset>` : nothing}
            ${seen ? html`<p class="meta audience">${seen.seen}</p>
              ${seen.warnings.map((w) => html`<p class="warning">${w}</p>`)}` : nothing}
            ${item.media.kind === 'image' ? html`<div class="actions"><button type="button" @click=${() => { this.redacting = item; }}>Redact…<span class="visually-hidden"> ${item.name}</span></button></div>` : nothing}` : nothing}
        </li>`;
      })}</ul>` : nothing}
      ${this.redacting?.media ? html`<nb-redactor .media=${this.redacting.media} .people=${this.people.filter((c) => this.redacting!.tags.includes(c.id))}
          @redacted=${(e: CustomEvent<MediaItem>) => { this.redacting!.media = e.detail; this.redacting = null; this.change(); }}
          @close=${() => { this.redacting = null; }}></nb-redactor>` : nothing}
    </fieldset>`;
  }
}

interface Region { x: number; y: number; width: number; height: number } // in percent of the picture

// The redaction tool: drag rectangles over the children to obscure (or type them), choose
// which tagged children they hide, and the box writes a copy with those pixels destroyed.
@customElement('nb-redactor')
export class Redactor extends LightElement {
  @property({ attribute: false }) media!: MediaItem;
  @property({ attribute: false }) people: Child[] = [];
  @state() private regions: Region[] = [];
  @state() private drawing: Region | null = null;
  @state() private error = '';
  @state() private busy = false;
  @query('dialog') private dialog!: HTMLDialogElement;
  @query('.redact-canvas') private canvas!: HTMLElement;
  private origin: { x: number; y: number } | null = null;

  firstUpdated(): void {
    this.dialog.showModal();
  }

  private point(event: PointerEvent): { x: number; y: number } {
    const box = this.canvas.getBoundingClientRect();
    return {
      x: Math.min(100, Math.max(0, ((event.clientX - box.left) / box.width) * 100)),
      y: Math.min(100, Math.max(0, ((event.clientY - box.top) / box.height) * 100)),
    };
  }

  private down(event: PointerEvent): void {
    event.preventDefault();
    this.canvas.setPointerCapture(event.pointerId);
    this.origin = this.point(event);
    this.drawing = { ...this.origin, width: 0, height: 0 };
  }

  private move(event: PointerEvent): void {
    if (!this.origin) return;
    const p = this.point(event);
    this.drawing = { x: Math.min(p.x, this.origin.x), y: Math.min(p.y, this.origin.y), width: Math.abs(p.x - this.origin.x), height: Math.abs(p.y - this.origin.y) };
  }

  private up(): void {
    if (this.drawing && this.drawing.width > 1 && this.drawing.height > 1) this.regions = [...this.regions, this.drawing];
    this.drawing = null;
    this.origin = null;
  }

  private addTyped(event: Event): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const n = (name: string) => Number((form.elements.namedItem(name) as HTMLInputElement).value);
    const r = { x: n('rx'), y: n('ry'), width: n('rw'), height: n('rh') };
    if ([r.x, r.y, r.width, r.height].some((v) => !Number.isFinite(v)) || r.width <= 0 || r.height <= 0 || r.x + r.width > 100 || r.y + r.height > 100) {
      this.error = 'An area is given in percent of the photo: left and top from 0, and it must fit inside (left + width ≤ 100).';
      return;
    }
    this.error = '';
    this.regions = [...this.regions, r];
    form.reset();
  }

  private close(): void {
    this.dialog.close();
    this.dispatchEvent(new CustomEvent('close'));
  }

  private async submit(): Promise<void> {
    if (!this.regions.length) {
      this.error = 'Mark at least one area to obscure.';
      return;
    }
    const w = this.media.width ?? 0, h = this.media.height ?? 0;
    const regions = this.regions.map((r) => {
      const x = Math.floor((r.x / 100) * w), y = Math.floor((r.y / 100) * h);
      return { x, y, width: Math.max(1, Math.min(w - x, Math.ceil((r.width / 100) * w))), height: Math.max(1, Math.min(h - y, Math.ceil((r.height / 100) * h))) };
    });
    const obscured = [...this.querySelectorAll<HTMLInputElement>('input[name="obscured"]:checked')].map((i) => i.value);
    this.busy = true;
    this.error = '';
    try {
      const { media } = await api<{ media: MediaItem }>('POST', `/media/${this.media.id}/redact`, { regions, obscured_child_ids: obscured });
      this.dialog.close();
      this.dispatchEvent(new CustomEvent('redacted', { detail: media }));
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.busy = false;
    }
  }

  render() {
    const shown = this.drawing ? [...this.regions, this.drawing] : this.regions;
    return html`<dialog class="redactor" aria-labelledby="redact-title" @cancel=${(e: Event) => { e.preventDefault(); this.close(); }}>
      <h2 id="redact-title">Obscure children in this photo</h2>
      <p class="hint">Drag over each face or child to hide. The box replaces those pixels for good; unless the setting keeps it for staff, the unredacted photo is then deleted.</p>
      <div class="redact-canvas" @pointerdown=${this.down} @pointermove=${this.move} @pointerup=${this.up} @pointercancel=${this.up}>
        <img src=${mediaUrl(this.media.id, 'display')} alt="The photo to redact" draggable="false"
          width=${this.media.width ?? nothing} height=${this.media.height ?? nothing}>
        <svg class="redact-overlay" viewBox="0 0 100 100" preserveAspectRatio="none" aria-hidden="true">
          ${shown.map((r) => svg`<rect class="redact-region" x=${r.x} y=${r.y} width=${r.width} height=${r.height}></rect>`)}</svg>
      </div>
      <ul class="redact-list">${this.regions.map((r, i) => html`<li>Area ${i + 1}: ${Math.round(r.width)}% × ${Math.round(r.height)}%
        <button type="button" class="link" @click=${() => { this.regions = this.regions.filter((x) => x !== r); }}>Remove<span class="visually-hidden"> area ${i + 1}</span></button></li>`)}</ul>
      <form class="redact-typed" @submit=${this.addTyped}>
        <p class="meta">Or type an area, in percent of the photo:</p>
        ${[['rx', 'Left'], ['ry', 'Top'], ['rw', 'Width'], ['rh', 'Height']].map(([name, label]) => html`<label>${label} <input name=${name} type="number" min="0" max="100" step="any" inputmode="decimal" required></label>`)}
        <button type="submit">Add area</button>
      </form>
      ${this.people.length ? html`<fieldset class="checks compact"><legend>Who do these areas hide?</legend>
        ${this.people.map((c) => html`<div class="field-check"><input type="checkbox" name="obscured" id="obscure-${c.id}" value=${c.id}>
          <label for="obscure-${c.id}">${c.first_name} ${c.last_name}</label></div>`)}</fieldset>` : nothing}
      ${this.error ? html`<p class="form-error" role="alert">${this.error}</p>` : nothing}
      <div class="actions">
        <button type="button" class="primary" ?disabled=${this.busy} @click=${this.submit}>${this.busy ? 'Redacting…' : 'Redact photo'}</button>
        <button type="button" @click=${this.close}>Cancel</button>
      </div>
    </dialog>`;
  }
}

// Thumbnails of an entry's media; photos open in a lightbox, videos play, documents download.
@customElement('nb-media-gallery')
export class MediaGallery extends LightElement {
  @property({ attribute: false }) media: MediaItem[] = [];
  @property({ attribute: false }) people = new Map<string, Child>();
  @state() private open = -1;
  @query('dialog') private dialog?: HTMLDialogElement;
  private opener: HTMLElement | null = null;

  private show(index: number, event: Event): void {
    this.opener = event.currentTarget as HTMLElement;
    this.open = index;
    void this.updateComplete.then(() => this.dialog?.showModal());
  }

  private close(): void {
    this.dialog?.close();
    this.open = -1;
    this.opener?.focus();
  }

  private step(by: number): void {
    const viewable = this.media.filter((m) => m.kind !== 'document' && m.state === 'ready');
    const current = viewable.indexOf(this.media[this.open]);
    const next = viewable[(current + by + viewable.length) % viewable.length];
    this.open = this.media.indexOf(next);
  }

  private describe(m: MediaItem): string {
    const who = names(this.people, m.child_ids.filter((id) => this.people.has(id)));
    const what = m.kind === 'video' ? 'Video' : 'Photo';
    return who ? `${what} of ${who}` : what;
  }

  render() {
    if (!this.media.length) return nothing;
    const current = this.open >= 0 ? this.media[this.open] : null;
    const several = this.media.filter((m) => m.kind !== 'document' && m.state === 'ready').length > 1;
    return html`<ul class="gallery">${this.media.map((m, i) => html`<li>
        ${m.state === 'processing' ? html`<span class="gallery-placeholder">Being prepared…</span>`
          : m.state === 'failed' ? nothing
          : m.kind === 'document' ? html`<a class="gallery-doc" href=${mediaUrl(m.id, 'original')} download>Download document (PDF)</a>`
          : html`<button type="button" class="gallery-item" @click=${(e: Event) => this.show(i, e)} aria-label="Open ${this.describe(m)}">
              <img src=${mediaUrl(m.id, 'thumbnail')} alt=${this.describe(m)} loading="lazy"
                width=${m.width && m.height ? Math.round((m.width / Math.max(m.width, m.height)) * 400) : 400}
                height=${m.width && m.height ? Math.round((m.height / Math.max(m.width, m.height)) * 400) : 300}>
              ${m.kind === 'video' ? html`<span class="play-badge" aria-hidden="true">▶</span>` : nothing}
            </button>`}
      </li>`)}</ul>
      ${current ? html`<dialog class="lightbox" aria-label=${this.describe(current)} @cancel=${(e: Event) => { e.preventDefault(); this.close(); }}
          @keydown=${(e: KeyboardEvent) => { if (e.key === 'ArrowRight') this.step(1); if (e.key === 'ArrowLeft') this.step(-1); }}>
        ${current.kind === 'video'
          ? html`<video controls preload="metadata" playsinline src=${mediaUrl(current.id, 'original')} poster=${mediaUrl(current.id, 'display')}></video>`
          : html`<img src=${mediaUrl(current.id, 'display')} alt=${this.describe(current)}>`}
        <div class="actions lightbox-actions">
          ${several ? html`<button type="button" @click=${() => this.step(-1)}>Previous</button><button type="button" @click=${() => this.step(1)}>Next</button>` : nothing}
          <button type="button" class="primary" @click=${this.close}>Close</button>
        </div>
      </dialog>` : nothing}`;
  }
}
