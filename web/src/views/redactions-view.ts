// Managers: photos to hide again (issue 32). Photos redacted before the box covered children
// in grey were pixelated, which does not hide a child from families who know the room; no
// family sees them until staff mark their areas again here.

import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api } from '../api';
import { FormView, pageTitle } from '../base';
import { count } from '../format';
import './photos-to-redact';
import type { PhotoToRedact } from './photos-to-redact';

@customElement('nb-redactions-view')
export class RedactionsView extends FormView {
  @state() private media: PhotoToRedact[] | null = null;
  protected fieldPrefix = 'redactions';

  connectedCallback(): void {
    super.connectedCallback();
    void this.run(() => this.load());
  }

  private async load(): Promise<void> {
    this.media = (await api<{ media: PhotoToRedact[] }>('GET', '/redactions/to-mark-again')).media;
  }

  private async redacted(): Promise<void> {
    if (await this.run(() => this.load())) {
      this.notice = 'Hidden again in grey. The families who may see this photo have it back.';
      void this.updateComplete.then(() => this.querySelector<HTMLElement>('.redact-button, .redactions-page h1')?.focus());
    }
  }

  render() {
    pageTitle('Photos to hide again');
    const media = this.media;
    return html`<section class="redactions-page">
      <h1 tabindex="-1">Photos to hide again</h1>
      <p class="lead">These photos were redacted before the box covered children in grey: they were pixelated, which still
        shows a child’s outline, size and colours to families who know the room. No family sees them until you mark the
        areas again: press Redact, draw over each child and save.</p>
      ${this.formFeedback()}
      <section class="panel">
        ${media === null
          ? (this.formError ? nothing : html`<p role="status">Loading…</p>`)
          : media.length === 0
            ? html`<div class="empty redactions-empty"><p>Nothing to hide again: every redacted photo covers its children in grey.</p></div>`
            : html`<p class="meta">${count(media.length, 'photo', 'photos')} to mark again.</p>
                <nb-photos-to-redact heading-id="redactions-title" heading="Redacted the old way" .items=${media}
                  .explanation=${'Each opens the redaction tool on the stored copy; the grey goes over what was pixelated, and a margin around it.'}
                  @redacted=${this.redacted}></nb-photos-to-redact>`}
      </section>
    </section>`;
  }
}
