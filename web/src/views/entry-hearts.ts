// Staff: which families liked an entry (issue 22), newest first, from GET /entries/:id/hearts:
// "Liked by Sam (Ben’s family), Tue 1 Dec". Nothing is shown where the box does not say.
import { html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../api';
import { bdi, LightElement } from '../base';
import { humanMomentDay, loadTimeZone } from '../dates';

interface Heart { child_id: string; child_name: string; parent_name: string; at: string }

@customElement('nb-entry-hearts')
export class EntryHearts extends LightElement {
  @property() entryId = '';
  @state() private hearts: Heart[] | null = null;
  private asked = 0;

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('entryId') && this.entryId) void this.load();
  }

  private async load(): Promise<void> {
    const asked = ++this.asked;
    try {
      const [r] = await Promise.all([
        api<{ hearts: Heart[] }>('GET', `/entries/${encodeURIComponent(this.entryId)}/hearts`), loadTimeZone()]);
      if (asked === this.asked) this.hearts = r.hearts;
    } catch {
      if (asked === this.asked) this.hearts = null;  // not for this person, or a box without hearts
    }
  }

  render() {
    if (!this.hearts) return nothing;
    return html`<section class="panel entry-hearts" aria-labelledby="hearts-${this.entryId}">
      <h2 id="hearts-${this.entryId}" class="hearts-title">Likes from families</h2>
      ${this.hearts.length === 0 ? html`<p class="meta">No family has liked this yet.</p>`
        : html`<ul class="hearts-list">${this.hearts.map((h) => html`<li>
            <span class="heart-mark" aria-hidden="true">♥</span>
            Liked by ${bdi(h.parent_name)} (${bdi(h.child_name)}’s family), ${humanMomentDay(h.at)}</li>`)}</ul>`}
    </section>`;
  }
}
