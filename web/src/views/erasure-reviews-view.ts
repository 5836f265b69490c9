// Managers: Erasure (issue 21). Families' requests to erase their child's data; then, after an
// erasure, what the box cannot judge for itself: other children's entries whose words may
// name the erased child (staff read them, amend them if needed, and mark them reviewed), and
// photos in which the erased child still appears unobscured (other families see nothing of
// them until staff redact the child out).

import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api } from '../api';
import { bdi, FormView, pageTitle } from '../base';
import { takeFlash } from '../flash';
import { humanDay, humanMomentDay } from '../dates';
import { count } from '../format';
import './photos-to-redact';
import type { PhotoToRedact } from './photos-to-redact';
import { erasureRequests, requestWords, type ErasureRequest } from './child-erasure';

interface EntryReview { entry_id: string; title: string; observed_on: string; erased_at?: number | string }

@customElement('nb-erasure-view')
export class ErasureView extends FormView {
  @state() private requests: ErasureRequest[] | null = null;
  @state() private entries: EntryReview[] | null = null;
  @state() private media: PhotoToRedact[] | null = null;
  @state() private requestsError = '';
  protected fieldPrefix = 'erasure';

  connectedCallback(): void {
    super.connectedCallback();
    const flash = takeFlash();
    void this.run(() => this.load()).then(() => { if (flash) this.notice = flash; });
  }

  private async load(): Promise<void> {
    const [reviews] = await Promise.all([
      api<{ entries: EntryReview[]; media: PhotoToRedact[] }>('GET', '/erasure/reviews'),
      this.loadRequests(),
    ]);
    this.entries = reviews.entries;
    this.media = reviews.media;
  }

  private async loadRequests(): Promise<void> {
    try {
      this.requests = await erasureRequests();
      this.requestsError = '';
    } catch (error) {
      this.requests = [];
      this.requestsError = error instanceof Error ? error.message : String(error);
    }
  }

  private async reviewed(e: EntryReview): Promise<void> {
    const done = await this.run(async () => {
      await api('POST', `/erasure/reviews/entries/${e.entry_id}/done`, {});
      this.entries = (this.entries ?? []).filter((x) => x.entry_id !== e.entry_id);
    });
    if (done) {
      this.notice = html`“${bdi(e.title)}” is marked as reviewed.`;
      void this.updateComplete.then(() => this.querySelector<HTMLElement>('.erasure-entries .reviewed-button, .erasure-page h1')?.focus());
    }
  }

  private async redacted(event: CustomEvent<string>): Promise<void> {
    const id = event.detail;
    const done = await this.run(async () => {
      const reviews = await api<{ entries: EntryReview[]; media: PhotoToRedact[] }>('GET', '/erasure/reviews');
      this.entries = reviews.entries;
      this.media = reviews.media;
    });
    if (done) {
      const still = (this.media ?? []).some((x) => x.media_id === id);
      this.notice = still
        ? 'Redacted, but the box still finds the erased child shown in this photo: redact it again, ticking “Obscure the erased child”.'
        : 'Redacted. Other families now see only the redacted copy.';
    }
  }

  private requestsSection() {
    const list = this.requests;
    return html`<section class="panel erasure-requests" aria-labelledby="erasure-requests-title">
      <h2 id="erasure-requests-title">Requests from families</h2>
      ${this.requestsError ? html`<p class="form-error">The requests could not be read: ${this.requestsError}</p>` : nothing}
      ${list === null ? html`<p role="status">Loading…</p>`
        : list.length === 0 ? html`<div class="empty"><p>No family has asked for their child’s data to be erased. When a parent
            asks, from their journal, the request is listed here.</p></div>`
        : html`<ul class="cards" aria-labelledby="erasure-requests-title">${list.map((r) => html`<li data-request=${r.id}>
            <p>${requestWords(r)}</p>
            <div class="actions"><a class="button" href="/manage/children/${r.child_id}">Open ${r.child_name}’s page to erase</a></div>
          </li>`)}</ul>`}
    </section>`;
  }

  private entriesSection(entries: EntryReview[]) {
    if (!entries.length) return nothing;
    return html`<section class="erasure-entries" aria-labelledby="erasure-entries-title">
      <h3 id="erasure-entries-title">Entries that may name an erased child</h3>
      <p>These entries are about other children, so they stay. Their words may still name the erased child: the box cannot
        judge what was written. Open each one, amend any words about the erased child, then mark it reviewed.</p>
      <ul class="cards" aria-labelledby="erasure-entries-title">${entries.map((e) => html`<li data-entry=${e.entry_id}>
        <div class="card-head"><a class="card-title" href="/staff/entries/${e.entry_id}" dir="auto">${e.title}</a>
          <span class="meta">${humanDay(e.observed_on)}</span></div>
        ${e.erased_at ? html`<p class="meta">Erasure on ${humanMomentDay(e.erased_at)}</p>` : nothing}
        <div class="actions"><button type="button" class="reviewed-button" ?disabled=${this.busy} @click=${() => this.reviewed(e)}
          aria-label="Reviewed: ${e.title}">Reviewed</button></div>
      </li>`)}</ul>
    </section>`;
  }

  private mediaSection(media: PhotoToRedact[]) {
    return html`<nb-photos-to-redact class="erasure-media" heading-id="erasure-media-title" .items=${media}
      heading="Photos that still show an erased child"
      .explanation=${'An erased child appears in these photos unobscured. Other families see nothing of them until you redact the erased child out: press Redact, draw over the child and keep “Obscure the erased child” ticked.'}
      @redacted=${this.redacted}></nb-photos-to-redact>`;
  }

  render() {
    pageTitle('Erasure');
    const entries = this.entries;
    const media = this.media;
    const toReview = (entries?.length ?? 0) + (media?.length ?? 0);
    return html`<section class="erasure-page">
      <h1>Erasure</h1>
      <p class="lead">Families may ask for their child’s data to be erased; a manager erases it from the child’s page. Afterwards,
        anything the box cannot judge for itself is listed here to check.</p>
      ${this.formFeedback()}
      ${this.requestsSection()}
      <section class="panel erasure-reviews" aria-labelledby="erasure-review-title">
        <h2 id="erasure-review-title">To check after an erasure</h2>
        ${entries === null || media === null
          ? (this.formError ? nothing : html`<p role="status">Loading…</p>`)
          : toReview === 0
            ? html`<div class="empty erasure-empty"><p>Nothing to review. After an erasure, entries that may name the erased child and
                photos that still show them are listed here.</p></div>`
            : html`<p class="meta">${count(toReview, 'item', 'items')} to check.</p>
                ${this.entriesSection(entries)}${this.mediaSection(media)}`}
      </section>
    </section>`;
  }
}
