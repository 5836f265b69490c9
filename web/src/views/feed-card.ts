// One entry in the family feed (issue 22): what kind of moment it is in plain words, when and
// by whom, the photos large, a few lines, the curriculum in parent words, a heart and the
// comment count. The heart is its own element (heart-button.ts), shared with the entry page.
import { html, nothing, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { bdi, LightElement } from '../base';
import { humanDay } from '../dates';
import '../entry-photos';
import './heart-button';
import type { Child, Entry, Framework } from '../journal';
import { areasInWords, kindInWords } from '../plain-words';

// The family's shape of a feed entry: how many comments their threads have, and for which of
// their children this parent has hearted it. Older boxes send neither.
export interface FeedEntry extends Entry {
  comment_count?: number;
  hearted_child_ids?: string[];
}

const EXCERPT = 180;

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

  // This family's children the entry is about (a room post names none).
  private ownNames(): string[] {
    const ids = this.entry.child_ids.length ? this.entry.child_ids : this.entry.recipient_child_ids;
    return ids.map((id) => this.kids.get(id)?.first_name).filter((n): n is string => !!n);
  }

  render() {
    const e = this.entry;
    const titleId = `entry-${e.id}-title`;
    const areas = areasInWords(this.framework, e.aspect_ids);
    const comments = e.comment_count ?? 0;
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
        <nb-heart-button .entryId=${e.id} .childIds=${e.recipient_child_ids} .hearted=${e.hearted_child_ids ?? []}
          described-by=${titleId}></nb-heart-button>
        <a class="feed-comments" href="/journal/entries/${e.id}#comments" aria-describedby=${titleId}>
          ${icon(BUBBLE, 'comment-icon')}${comments === 0 ? 'Comment'
            : `${comments} ${comments === 1 ? 'comment' : 'comments'}`}</a>
      </div>
    </article>`;
  }
}
