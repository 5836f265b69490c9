// Managers, on the Setting screen: what the box keeps, and for how long (issue 21), as the box
// states it (GET /retention): one plain-language row per kind of data, read-only. The leavers'
// rows follow the two numbers set above them.

import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api } from '../api';
import { LightElement } from '../base';

export interface RetentionRule { id: string; what: string; kept: string; then: string }

@customElement('nb-retention-table')
export class RetentionTable extends LightElement {
  @state() private rules: RetentionRule[] | null = null;
  @state() private error = '';

  connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  // Read again after the setting is saved: the leavers' periods may have changed.
  async load(): Promise<void> {
    try {
      this.rules = (await api<{ rules: RetentionRule[] }>('GET', '/retention')).rules;
      this.error = '';
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  render() {
    return html`<section class="panel retention" aria-labelledby="retention-title">
      <h2 id="retention-title">What the box keeps, and for how long</h2>
      <p class="meta">Set by the policies and by the numbers above. Backups keep what they hold until their own retention runs out.</p>
      ${this.error ? html`<p class="form-error" role="alert">The list could not be read: ${this.error}
          <button type="button" class="link" @click=${() => this.load()}>Try again</button></p>` : nothing}
      ${this.rules === null ? (this.error ? nothing : html`<p role="status">Loading…</p>`)
        : this.rules.length === 0 ? html`<div class="empty"><p>The box states no retention rules yet.</p></div>`
        : html`<table class="retention-table" aria-labelledby="retention-title">
            <thead><tr><th scope="col">What</th><th scope="col">Kept</th><th scope="col">Then</th></tr></thead>
            <tbody>${this.rules.map((r) => html`<tr data-rule=${r.id}>
              <th scope="row" data-label="What">${r.what}</th><td data-label="Kept">${r.kept}</td><td data-label="Then">${r.then}</td>
            </tr>`)}</tbody>
          </table>`}
    </section>`;
  }
}
