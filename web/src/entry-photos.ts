// An entry's photos as families see them (issue 22): the first photo (or video poster) the
// full width of the card, any further ones in a strip to swipe through; a tap opens the
// full-screen viewer at that photo, where the family may save it. Documents download; items
// still being prepared say so.
import { html, nothing } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { LightElement } from './base';
import type { Child } from './journal';
import './lightbox';
import type { Lightbox, LightboxItem } from './lightbox';
import { describeMedia, lightboxItems, mediaSize, mediaUrl, viewableMedia, type MediaItem } from './media';

// The large photo is the card's width: the column is at most 42rem wide (styles.css).
const LARGE_SIZES = '(min-width: 44rem) 42rem, 100vw';

@customElement('nb-entry-photos')
export class EntryPhotos extends LightElement {
  @property({ attribute: false }) media: MediaItem[] = [];
  @property({ attribute: false }) people = new Map<string, Child>();
  @property() caption = '';               // the entry's title, shown in the viewer
  @property({ type: Boolean }) eager = false;   // the first card's photo: fetched at once
  @query('nb-lightbox') private lightbox?: Lightbox;

  private open(index: number, event: Event): void {
    this.lightbox?.show(index, event.currentTarget as HTMLElement);
  }

  // The large copy for wide screens and high-density phones, the thumbnail otherwise.
  private srcset(m: MediaItem): string {
    return `${mediaUrl(m.id, 'thumbnail')} ${mediaSize(m, 400).width}w, ${mediaUrl(m.id, 'display')} ${mediaSize(m, 1600).width}w`;
  }

  private photo(m: MediaItem, index: number, large: boolean) {
    const label = describeMedia(m, this.people);
    const size = mediaSize(m, large ? 1600 : 400);
    return html`<button type="button" class=${large ? 'photo-large' : 'photo-thumb'} data-id=${m.id}
        aria-label="Open ${label}" @click=${(e: Event) => this.open(index, e)}>
      ${large
        ? html`<img src=${mediaUrl(m.id, 'thumbnail')} srcset=${this.srcset(m)} sizes=${LARGE_SIZES} alt=${label}
            width=${size.width} height=${size.height} loading=${this.eager ? 'eager' : 'lazy'} decoding="async">`
        : html`<img src=${mediaUrl(m.id, 'thumbnail')} alt=${label} width=${size.width} height=${size.height} loading="lazy">`}
      ${m.kind === 'video' ? html`<span class="play-badge" aria-hidden="true">▶ Video</span>` : nothing}
    </button>`;
  }

  render() {
    const viewable = viewableMedia(this.media);
    const preparing = this.media.filter((m) => m.state === 'processing').length;
    const documents = this.media.filter((m) => m.kind === 'document' && m.state === 'ready');
    if (!viewable.length && !preparing && !documents.length) return nothing;
    const [first, ...rest] = viewable;
    return html`
      ${first ? this.photo(first, 0, true) : nothing}
      ${rest.length ? html`<ul class="photo-strip" aria-label="More photos and videos">
          ${rest.map((m, i) => html`<li>${this.photo(m, i + 1, false)}</li>`)}</ul>` : nothing}
      ${preparing ? html`<p class="meta photo-preparing">${preparing === 1 ? 'A photo or video is' : `${preparing} photos or videos are`}
          being prepared.</p>` : nothing}
      ${documents.map((d) => html`<p><a class="photo-doc" href=${mediaUrl(d.id, 'original')} download>Download the document (PDF)</a></p>`)}
      <nb-lightbox saveable .items=${lightboxItems(this.media, this.people, this.caption || undefined)}
        .focusTarget=${(item: LightboxItem) => this.querySelector<HTMLElement>(`[data-id="${item.id}"]`)}></nb-lightbox>`;
  }
}
