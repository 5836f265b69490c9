// My account → Downloads and privacy (issue 32): a family's download of the journal, and their
// choices about each child's data (opting out of the online journal, asking for erasure). They
// were at the foot of the feed, under the journal a parent scrolls; here they are where a
// parent looks for their account. The feed's year-end reminder links here (#downloads).
import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { bdi, LightElement } from '../base';
import { loadTimeZone } from '../dates';
import { listOf, loadChildren, type Child } from '../journal';
import './export-panel';
import './family-choices';
import { leaverNotice } from './family-choices';

@customElement('nb-family-downloads')
export class FamilyDownloads extends LightElement {
  @state() private kids: Child[] | null = null;
  @state() private error = '';

  connectedCallback(): void {
    super.connectedCallback();
    Promise.all([loadChildren(), loadTimeZone()])
      .then(([kids]) => { this.kids = [...kids.values()]; return this.updateComplete; })
      .then(() => this.arrived())
      .catch((e: unknown) => { this.error = e instanceof Error ? e.message : String(e); });
  }

  // From the feed's reminder (/account/sessions#downloads): straight to this section.
  private arrived(): void {
    if (window.location.hash !== '#downloads') return;
    const heading = this.querySelector<HTMLElement>('#downloads-title');
    if (!heading) return;
    heading.scrollIntoView({ block: 'start' });
    heading.focus({ preventScroll: true });
  }

  render() {
    const kids = this.kids;
    return html`<section class="downloads-privacy" id="downloads" aria-labelledby="downloads-title">
      <h2 id="downloads-title" tabindex="-1">Downloads and privacy</h2>
      ${this.error ? html`<p class="form-error" role="alert">${this.error}</p>` : nothing}
      ${kids === null ? (this.error ? nothing : html`<p role="status">Loading…</p>`)
        : kids.length === 0 ? html`<p>No child is linked to your account yet.</p>`
        : html`${kids.map(leaverNotice)}
          <nb-export-panel id="journal-download" heading-id="journal-download-title"
            .heading=${kids.length > 1 ? 'Download your children’s journals' : 'Download your child’s journal'}
            .targets=${kids.map((c) => ({ label: `Download ${c.first_name}’s journal`, childId: c.id }))}
            .explanation=${html`<p>Keep ${listOf(kids.map((c) => bdi(c.first_name)))}’s ${kids.length > 1 ? 'journals' : 'journal'} at home,
                for good. The download is one zip file with an offline web page of the whole journal, a PDF to print or keep, and
                the original photos and videos.</p>
              <p class="meta">It opens without Nestbox and without the internet: unzip it and open <code>index.html</code> in any
                browser. Preparing it takes a minute or two; you may leave this page meanwhile.</p>`}></nb-export-panel>
          ${kids.map((c) => html`<nb-family-choices .child=${c}></nb-family-choices>`)}`}
    </section>`;
  }
}
