// A family's heart on an entry (issue 22): "we saw this, and liked it". One heart per child of
// the family who receives the entry (each child has their own thread on the box); taking it
// back removes this parent's hearts. Shown at once, put back as it was if the box refuses,
// with what went wrong. Staff see which family liked it (entry-hearts.ts); other families never.
import { html, nothing, svg, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../api';
import { LightElement } from '../base';

const HEART = 'M12 21.35l-1.45-1.32C5.4 15.36 2 12.28 2 8.5 2 5.42 4.42 3 7.5 3c1.74 0 3.41.81 4.5 2.09C13.09 3.81 14.76 3 16.5 3 19.58 3 22 5.42 22 8.5c0 3.78-3.4 6.86-8.55 11.54z';

@customElement('nb-heart-button')
export class HeartButton extends LightElement {
  @property() entryId = '';
  @property({ attribute: false }) childIds: string[] = [];   // the family's children who receive it
  @property({ attribute: false }) hearted: string[] = [];    // as the box last said
  @property({ attribute: 'described-by' }) describedBy = '';  // the entry's title, for the button's name
  @state() private current: string[] = [];
  @state() private error = '';
  private saving = false;

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('hearted') || changed.has('entryId')) {
      this.current = [...this.hearted];
      this.error = '';
    }
  }

  private async toggle(): Promise<void> {
    if (this.saving) return;
    const before = this.current;
    const liking = before.length === 0;
    const targets = liking ? this.childIds : before;
    this.current = liking ? [...targets] : [];
    this.error = '';
    this.saving = true;
    const path = (child: string) => `/entries/${encodeURIComponent(this.entryId)}/threads/${encodeURIComponent(child)}/heart`;
    try {
      const results = await Promise.allSettled(targets.map((c) => api(liking ? 'PUT' : 'DELETE', path(c))));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) {
        // Undo what did go through, so the box and the screen agree again.
        await Promise.allSettled(targets.filter((_, i) => results[i].status === 'fulfilled')
          .map((c) => api(liking ? 'DELETE' : 'PUT', path(c))));
        this.current = before;
        const why = failed.reason instanceof Error ? failed.reason.message : String(failed.reason);
        this.error = `${liking ? 'Your like was not saved' : 'Your like was not taken back'}: ${why}`;
      }
    } finally {
      this.saving = false;
    }
  }

  render() {
    if (this.childIds.length === 0) return nothing;
    const liked = this.current.length > 0;
    return html`<button type="button" class="heart" aria-pressed=${liked ? 'true' : 'false'}
        aria-describedby=${this.describedBy || nothing} @click=${this.toggle}>
        <svg class="feed-icon heart-icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">${svg`<path d=${HEART}></path>`}</svg>Like</button>
      ${this.error ? html`<p class="form-error" role="alert">${this.error}</p>` : nothing}`;
  }
}
