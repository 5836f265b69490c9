// A list of photos staff must redact, each with its entry and a Redact button that opens the
// redaction tool on it (shared by Erasure, issue 21, and "Photos to hide again", issue 32).
// The host gives the items and the words; after a redaction it is told (`redacted`) and
// reloads its list.

import { html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../api';
import { LightElement } from '../base';
import { humanMomentDay } from '../dates';
import { loadChildren, type Child } from '../journal';
import { mediaUrl, type MediaItem } from '../media';
import '../media';

export interface PhotoToRedact { media_id: string; entry_id: string | null; entry_title: string | null; erased_at?: number | string }

@customElement('nb-photos-to-redact')
export class PhotosToRedact extends LightElement {
  @property({ attribute: false }) items: PhotoToRedact[] = [];
  @property() heading = '';
  @property({ attribute: 'heading-id' }) headingId = 'photos-to-redact-title';
  @property({ attribute: false }) explanation: TemplateResult | string = '';
  @state() private redacting: { media: MediaItem; people: Child[] } | null = null;
  @state() private opening: string | null = null;
  @state() private error = '';

  private async open(m: PhotoToRedact): Promise<void> {
    this.opening = m.media_id;
    this.error = '';
    try {
      const [{ media }, kids] = await Promise.all([api<{ media: MediaItem }>('GET', `/media/${m.media_id}`), loadChildren()]);
      // The other children tagged in it keep whatever obscuring they had.
      this.redacting = { media, people: media.child_ids.map((id) => kids.get(id)).filter((c): c is Child => !!c) };
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.opening = null;
    }
  }

  private done(): void {
    const id = this.redacting?.media.id;
    this.redacting = null;
    this.dispatchEvent(new CustomEvent('redacted', { detail: id, bubbles: true }));
  }

  private close(): void {
    const id = this.redacting?.media.id;
    this.redacting = null;
    void this.updateComplete.then(() => this.querySelector<HTMLElement>(`[data-media="${id}"] .redact-button`)?.focus());
  }

  render() {
    if (!this.items.length) return nothing;
    return html`<section class="photos-to-redact" aria-labelledby=${this.headingId}>
      <h3 id=${this.headingId}>${this.heading}</h3>
      <p>${this.explanation}</p>
      ${this.error ? html`<p class="form-error" role="alert">${this.error}</p>` : nothing}
      <ul class="cards review-media" aria-labelledby=${this.headingId}>${this.items.map((m) => {
        const what = m.entry_title ? `Photo in “${m.entry_title}”` : 'Photo with no entry';
        return html`<li data-media=${m.media_id}>
          <div class="review-photo">
            <img class="upload-thumb" src=${mediaUrl(m.media_id, 'thumbnail')} alt=${what} width="72" height="72" loading="lazy">
            <div>
              <p class="card-title">${m.entry_id && m.entry_title
                ? html`Photo in <a href="/staff/entries/${m.entry_id}" dir="auto">${m.entry_title}</a>`
                : 'A photo not in any entry'}</p>
              ${m.erased_at ? html`<p class="meta">Erasure on ${humanMomentDay(m.erased_at)}</p>` : nothing}
            </div>
          </div>
          <div class="actions"><button type="button" class="primary redact-button" ?disabled=${this.opening !== null}
            aria-busy=${this.opening === m.media_id ? 'true' : 'false'} @click=${() => this.open(m)}>Redact<span
            class="visually-hidden"> ${what}</span>…</button></div>
        </li>`;
      })}</ul>
      ${this.redacting ? html`<nb-redactor .media=${this.redacting.media} .people=${this.redacting.people}
          @redacted=${this.done} @close=${this.close}></nb-redactor>` : nothing}
    </section>`;
  }
}
