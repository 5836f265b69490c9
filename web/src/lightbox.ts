// The full-screen photo viewer (issue 22): a modal dialog with one photo or video at a time,
// swiped left and right with a finger (pointer events) or moved with the arrow keys and the
// Previous and Next buttons; Escape or Close shuts it and the focus goes back to the photo on
// the page. The host hands over the items (with their addresses) and calls show().
// Opening pushes a history entry, so a phone's Back closes the viewer rather than leaving the
// page (issue 32); closing it otherwise takes that entry off again. Families may save the
// photo they are looking at ("Save photo": the same address the page shows it from, which the
// box authorises as it does for the picture itself).
import { html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { LightElement } from './base';
import { holdBack } from './router';

export interface LightboxItem {
  id: string;
  label: string;            // "Photo of Ava": the dialog's name and the picture's text alternative
  src: string;              // the display copy of a photo, or a video's poster
  video?: string;           // a video's own address: played with the browser's controls
  width: number | null;     // of the display copy, when known
  height: number | null;
  caption?: string;         // a short title shown under it (the entry's)
}

// A swipe counts once the finger travelled this far sideways (px), or this share of the width.
const SWIPE_MIN = 40;
const SWIPE_SHARE = 0.12;
// The strip along a video's bottom edge holds its own controls (seeking drags sideways there).
const VIDEO_CONTROLS = 72;

@customElement('nb-lightbox')
export class Lightbox extends LightElement {
  @property({ attribute: false }) items: LightboxItem[] = [];
  // The element to focus on closing, for the item then shown (its photo on the page); without
  // one, the focus goes back to whatever opened the viewer.
  @property({ attribute: false }) focusTarget: ((item: LightboxItem) => HTMLElement | null) | null = null;
  // A "Save photo" link (families, on their own phones; never on the setting's tablets).
  @property({ type: Boolean }) saveable = false;
  @state() private index = -1;
  @query('dialog') private dialog?: HTMLDialogElement;
  @query('.viewer-media') private mediaElement?: HTMLElement;
  private opener: HTMLElement | null = null;
  private drag: { id: number; x: number; y: number; dx: number; dy: number } | null = null;
  private inHistory = false;   // the history entry pushed on opening is still there

  get isOpen(): boolean {
    return this.index >= 0;
  }

  show(index: number, opener?: HTMLElement | null): void {
    if (!this.items.length) return;
    this.opener = opener ?? (document.activeElement instanceof HTMLElement ? document.activeElement : null);
    if (!this.isOpen && !this.inHistory) {
      history.pushState({ viewer: true }, '', window.location.href);
      this.inHistory = true;
      holdBack(() => { this.inHistory = false; this.close(); });
    }
    this.index = Math.min(Math.max(index, 0), this.items.length - 1);
    void this.updateComplete.then(() => {
      if (this.dialog && !this.dialog.open) this.dialog.showModal();
      this.querySelector<HTMLElement>('.viewer-close')?.focus();
    });
  }

  // The focus goes back at once, in the same task: the dialog's close event comes a task later,
  // and until then the browser has put the focus back on whatever opened the viewer.
  close(): void {
    if (this.dialog?.open) this.dialog.close();
    this.closed();
  }

  // After the dialog closed, however it closed (Close, Escape, the browser); once.
  private closed(): void {
    if (this.index < 0) return;
    const item = this.items[this.index];
    this.index = -1;
    this.drag = null;
    const target = (item && this.focusTarget?.(item)) || this.opener;
    target?.focus();
    // Closed by its button, Escape or the host: the entry pushed on opening goes, unnoticed.
    if (this.inHistory) {
      this.inHistory = false;
      holdBack(() => {});
      history.back();
    }
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.inHistory) { this.inHistory = false; holdBack(null); }
  }

  private step(by: number): void {
    const n = this.items.length;
    if (n < 2 || this.index < 0) return;
    this.index = (this.index + by + n) % n;
  }

  protected willUpdate(changed: PropertyValues<this>): void {
    // The host re-rendered with fewer items: stay on one that exists.
    if (changed.has('items') && this.index >= this.items.length) this.index = this.items.length - 1;
  }

  protected updated(changed: PropertyValues): void {
    // The photos either side are fetched ahead, so a swipe shows the next one at once.
    if (changed.has('index') && this.index >= 0 && this.items.length > 1) {
      for (const by of [1, -1]) {
        const near = this.items[(this.index + by + this.items.length) % this.items.length];
        if (!near.video) new Image().src = near.src;
      }
    }
  }

  private key(event: KeyboardEvent): void {
    if ((event.target as Element).tagName === 'VIDEO') return;  // arrows seek in a video
    if (event.key === 'ArrowRight') { event.preventDefault(); this.step(1); }
    if (event.key === 'ArrowLeft') { event.preventDefault(); this.step(-1); }
  }

  private down(event: PointerEvent): void {
    if (this.items.length < 2 || this.drag || (event.pointerType === 'mouse' && event.button !== 0)) return;
    const media = this.mediaElement;
    if (media instanceof HTMLVideoElement && event.clientY > media.getBoundingClientRect().bottom - VIDEO_CONTROLS) return;
    this.drag = { id: event.pointerId, x: event.clientX, y: event.clientY, dx: 0, dy: 0 };
    try {
      (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
    } catch {
      // A pointer the browser no longer tracks: the swipe still works while it stays on the picture.
    }
    if (event.pointerType === 'mouse') event.preventDefault();  // no text selection or image drag
  }

  private move(event: PointerEvent): void {
    const drag = this.drag;
    if (!drag || event.pointerId !== drag.id) return;
    drag.dx = event.clientX - drag.x;
    drag.dy = event.clientY - drag.y;
    // The picture follows the finger sideways (set through the CSSOM: the page's CSP allows no inline styles).
    if (this.mediaElement && Math.abs(drag.dx) > Math.abs(drag.dy)) this.mediaElement.style.transform = `translateX(${drag.dx}px)`;
  }

  private up(event: PointerEvent): void {
    const drag = this.drag;
    if (!drag || event.pointerId !== drag.id) return;
    this.drag = null;
    if (this.mediaElement) this.mediaElement.style.transform = '';
    if (event.type === 'pointercancel') return;
    const width = (event.currentTarget as HTMLElement).clientWidth;
    if (Math.abs(drag.dx) >= Math.max(SWIPE_MIN, width * SWIPE_SHARE) && Math.abs(drag.dx) > Math.abs(drag.dy)) {
      this.step(drag.dx < 0 ? 1 : -1);  // finger to the left: the next one comes in from the right
    }
  }

  render() {
    const item = this.index >= 0 ? this.items[this.index] : undefined;
    if (!item) return nothing;
    const many = this.items.length > 1;
    return html`<dialog class="viewer" aria-label=${item.label}
        @cancel=${(e: Event) => { e.preventDefault(); this.close(); }} @close=${this.closed} @keydown=${this.key}>
      <div class="viewer-bar">
        ${many ? html`<p class="viewer-count" aria-live="polite">${this.index + 1} of ${this.items.length}</p>` : html`<span></span>`}
        <span class="viewer-tools">
          ${this.saveable ? html`<a class="button viewer-save" href=${item.video ?? item.src} download
            aria-label="Save ${item.video ? 'video' : 'photo'}: ${item.label}">Save ${item.video ? 'video' : 'photo'}</a>` : nothing}
          <button type="button" class="viewer-close" @click=${this.close}>Close</button>
        </span>
      </div>
      <div class="viewer-stage" @pointerdown=${this.down} @pointermove=${this.move} @pointerup=${this.up} @pointercancel=${this.up}>
        ${item.video
          ? html`<video class="viewer-media" controls playsinline preload="metadata" src=${item.video} poster=${item.src}
              aria-label=${item.label}></video>`
          : html`<img class="viewer-media" src=${item.src} alt=${item.label} draggable="false"
              width=${item.width ?? nothing} height=${item.height ?? nothing}>`}
      </div>
      ${item.caption ? html`<p class="viewer-caption" dir="auto">${item.caption}</p>` : nothing}
      ${many ? html`<div class="viewer-nav">
          <button type="button" class="viewer-previous" @click=${() => this.step(-1)}>Previous</button>
          <button type="button" class="viewer-next" @click=${() => this.step(1)}>Next</button>
        </div>` : nothing}
    </dialog>`;
  }
}
