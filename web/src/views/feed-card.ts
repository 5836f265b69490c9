// One entry in the family feed (issue 22): what kind of moment it is in plain words, when and
// by whom, the photos large, a few lines, the curriculum in parent words, a heart and the
// comment count. The heart is saved at once on screen and put back if the box refuses it.
import { html, nothing, svg, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../api';
import { bdi, LightElement } from '../base';
import { humanDay } from '../dates';
import '../entry-photos';
import type { Child, Entry, Framework } from '../journal';
import { areasInWords, kindInWords } from '../plain-words';

// The family's shape of a feed entry: how many comments their threads have, and for which of
// their children this parent has hearted it. Older boxes send neither.
export interface FeedEntry extends Entry {
  comment_count?: number;
  hearted_child_ids?: string[];
}

const EXCERPT = 180;

const HEART = 'M12 21.35l-1.45-1.32C5.4 15.36 2 12.28 2 8.5 2 5.42 4.42 3 7.5 3c1.74 0 3.41.81 4.5 2.09C13.09 3.81 14.76 3 16.5 3 19.58 3 22 5.42 22 8.5c0 3.78-3.4 6.86-8.55 11.54z';
const BUBBLE = 'M4 4h16v11H8l-4 4z';
const icon = (d: string, kind: string) => html`<svg class="feed-icon ${kind}" viewBox="0 0 24 24" width="22" height="22"
  aria-hidden="true" focusable="false">${svg`<path d=${d}></path>`}</svg>`;

@customElement('nb-feed-card')
export class FeedCard extends LightElement {
  @property({ attribute: false }) entry!: FeedEntry;
  @property({ attribute: false }) kids = new Map<string, Child>();
  @property({ attribute: false }) framework: Framework | null = null;
  @property({ type: Boolean }) fresh = false;   // shared since the family's last visit
  @property({ type: Boolean }) eager = false;   // the first card: its photo is fetched at once
  @state() private hearted: string[] = [];
  @state() private heartError = '';
  private saving = false;

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('entry')) {
      this.hearted = [...(this.entry.hearted_child_ids ?? [])];
      this.heartError = '';
    }
  }

  // This family's children the entry is about (a room post names none).
  private ownNames(): string[] {
    const ids = this.entry.child_ids.length ? this.entry.child_ids : this.entry.recipient_child_ids;
    return ids.map((id) => this.kids.get(id)?.first_name).filter((n): n is string => !!n);
  }

  // A heart for each of the family's children who receive the entry (each has their own
  // thread); taking it back removes this parent's hearts. Shown at once; put back as it was
  // if the box refuses, with what went wrong.
  private async toggleHeart(): Promise<void> {
    if (this.saving) return;
    const id = this.entry.id;
    const before = this.hearted;
    const liking = before.length === 0;
    const targets = liking ? this.entry.recipient_child_ids : before;
    this.hearted = liking ? [...targets] : [];
    this.heartError = '';
    this.saving = true;
    const path = (child: string) => `/entries/${encodeURIComponent(id)}/threads/${encodeURIComponent(child)}/heart`;
    try {
      const results = await Promise.allSettled(targets.map((c) => api(liking ? 'PUT' : 'DELETE', path(c))));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) {
        // Undo what did go through, so the box and the screen agree again.
        await Promise.allSettled(targets.filter((_, i) => results[i].status === 'fulfilled')
          .map((c) => api(liking ? 'DELETE' : 'PUT', path(c))));
        this.hearted = before;
        const why = failed.reason instanceof Error ? failed.reason.message : String(failed.reason);
        this.heartError = `${liking ? 'Your like was not saved' : 'Your like was not taken back'}: ${why}`;
      }
    } finally {
      this.saving = false;
    }
  }

  render() {
    const e = this.entry;
    const titleId = `entry-${e.id}-title`;
    const areas = areasInWords(this.framework, e.aspect_ids);
    const comments = e.comment_count ?? 0;
    const liked = this.hearted.length > 0;
    const body = e.body.trim();
    return html`<article class="feed-card" aria-labelledby=${titleId}>
      <div class="feed-card-head">
        <p class="feed-kind">${kindInWords(e.kind, this.ownNames())}${this.fresh
          ? html` <span class="new-badge">New</span>` : nothing}</p>
        <h2 class="feed-title" id=${titleId}><a href="/journal/entries/${e.id}" dir="auto">${e.title}</a></h2>
        <p class="meta">${humanDay(e.observed_on)} · by ${bdi(e.author_name)}</p>
      </div>
      <nb-entry-photos .media=${e.media ?? []} .people=${this.kids} caption=${e.title} ?eager=${this.eager}></nb-entry-photos>
      ${body ? html`<p class="feed-body" dir="auto">${body.length > EXCERPT ? `${body.slice(0, EXCERPT).trimEnd()}…` : body}</p>` : nothing}
      ${areas.length ? html`<ul class="area-chips" aria-label="Learning">${areas.map((a) => html`<li>${a}</li>`)}</ul>` : nothing}
      <div class="feed-actions">
        ${e.recipient_child_ids.length ? html`<button type="button" class="heart" aria-pressed=${liked ? 'true' : 'false'}
            aria-describedby=${titleId} @click=${this.toggleHeart}>
            ${icon(HEART, 'heart-icon')}Like</button>` : nothing}
        <a class="feed-comments" href="/journal/entries/${e.id}#comments" aria-describedby=${titleId}>
          ${icon(BUBBLE, 'comment-icon')}${comments === 0 ? 'Comment'
            : `${comments} ${comments === 1 ? 'comment' : 'comments'}`}</a>
      </div>
      ${this.heartError ? html`<p class="form-error" role="alert">${this.heartError}</p>` : nothing}
    </article>`;
  }
}
