// Parents: their choices about one of their children's data (issue 21; policies 000 and 001).
// They may opt the child out of the online journal at any time (it takes effect at once: the
// journal is then shown to no one online, them included; opting back in goes through the
// setting), and ask the setting to erase the child's data (or withdraw that request). Also
// the notice for a child who has left: until when the family can read and download. Shown under
// My account → Downloads and privacy (issue 32); opting out is confirmed in a dialog.

import { html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError } from '../api';
import { bdi, FormView } from '../base';
import { humanDay, humanMomentDay } from '../dates';
import type { Child } from '../journal';
import { daysLeft } from '../leaving';
import { confirmAction } from './confirm-dialog';

interface FamilyConsent { online_journal_opt_out: boolean; recorded_at: string | null }
interface FamilyRequest { requested_at: number | string; note?: string | null }

const NOTE_MAX = 500;

// "Ava left on 17 July 2026. You can read and download Ava’s journal until 15 October 2026 (90 days)."
export function leaverNotice(c: Child): TemplateResult | typeof nothing {
  const l = c.leaving;
  const n = bdi(c.first_name);
  if (l?.phase === 'left') {
    return html`<p class="warning leaver-notice" data-testid="leaver-notice" data-child=${c.id}>${n} left on ${humanDay(l.left_on)}.
      You can read and download ${n}’s journal until ${humanDay(l.read_until)} (${daysLeft(l.days_left)}).</p>`;
  }
  if (l?.phase === 'leaving') {
    return html`<p class="meta leaver-notice" data-testid="leaver-notice" data-child=${c.id}>${n} leaves on ${humanDay(l.left_on)}.
      After that you can still read and download ${n}’s journal until ${humanDay(l.read_until)}.</p>`;
  }
  return nothing;
}

@customElement('nb-family-choices')
export class FamilyChoices extends FormView {
  @property({ attribute: false }) child!: Child;
  @state() private consent: FamilyConsent | null = null;
  @state() private request: FamilyRequest | null | undefined = undefined;  // undefined: not read yet
  @state() private asking = false;
  @state() private confirmingWithdraw = false;

  private loadedFor = '';

  // Read for this child when it is first shown, and again if the section is given another child.
  protected willUpdate(): void {
    if (!this.child || this.child.id === this.loadedFor) return;
    this.loadedFor = this.child.id;
    this.fieldPrefix = `choices-${this.child.id}`;
    this.consent = null;
    this.request = undefined;
    this.asking = this.confirmingWithdraw = false;
    void Promise.resolve().then(() => this.run(() => this.load()));
  }

  private async load(): Promise<void> {
    const id = this.child.id;
    const [consent, request] = await Promise.all([
      api<{ consent: FamilyConsent }>('GET', `/children/${id}/consent`),
      api<{ request: FamilyRequest | null }>('GET', `/children/${id}/erasure-request`),
    ]);
    this.consent = consent.consent;
    this.request = request.request;
  }

  // Moves the focus once the section has redrawn; headings take it too (what changed is below them).
  private focusOn(selector: string): void {
    void this.updateComplete.then(() => {
      const target = this.querySelector<HTMLElement>(selector);
      if (!target) return;
      if (/^H\d$/.test(target.tagName)) target.tabIndex = -1;
      target.focus();
    });
  }

  private changed(): void {
    this.dispatchEvent(new CustomEvent('family-choice-changed', { detail: this.child.id, bubbles: true, composed: true }));
  }

  private async optOut(): Promise<void> {
    const name = this.child.first_name;
    const sure = await confirmAction({
      title: `Opt ${name} out of the online journal?`,
      consequence: `You will no longer see ${name}’s journal here, and nobody sees it online; the setting shares it with you `
        + 'another way. To opt back in later, you ask the setting.',
      confirmLabel: `Yes, opt ${name} out`,
    });
    if (!sure) {
      this.focusOn('.optout-button');
      return;
    }
    const done = await this.run(async () => {
      this.consent = (await api<{ consent: FamilyConsent }>('POST', `/children/${this.child.id}/opt-out`, {})).consent;
    });
    if (done) {
      this.notice = html`${bdi(this.child.first_name)} is opted out of the online journal.`;
      this.changed();
    }
    this.focusOn('.choices-optout h3');
  }

  private async ask(event: Event): Promise<void> {
    event.preventDefault();
    const field = this.querySelector<HTMLTextAreaElement>(`#${this.fieldPrefix}-note`);
    const note = field?.value.trim() ?? '';
    const done = await this.run(async () => {
      if (note.length > NOTE_MAX) this.fail('note', `Keep the note to ${NOTE_MAX} characters (it has ${note.length}).`);
      try {
        const { request } = await api<{ request: FamilyRequest }>('POST', `/children/${this.child.id}/erasure-request`,
          note ? { note } : {});
        this.request = request;
      } catch (error) {
        // Asked already (from another phone, say): show the request as it stands.
        if (error instanceof ApiError && error.code === 'already_requested') { await this.load(); this.asking = false; }
        throw error;
      }
    });
    if (done) {
      this.asking = false;
      this.notice = html`Your request is sent. A manager of the setting erases ${bdi(this.child.first_name)}’s data; you can
        withdraw the request until then.`;
      this.focusOn('.choices-erasure h3');
    }
  }

  private async withdraw(): Promise<void> {
    const done = await this.run(async () => {
      await api('DELETE', `/children/${this.child.id}/erasure-request`);
      this.request = null;
    });
    this.confirmingWithdraw = false;
    if (done) {
      this.notice = 'Your request to erase the data is withdrawn.';
      this.focusOn('.choices-erasure h3');
    }
  }

  private optOutPart(): TemplateResult {
    const n = bdi(this.child.first_name);
    const c = this.consent!;
    if (c.online_journal_opt_out) {
      return html`<p class="opted-out"><strong>You opted ${n} out of the online journal${c.recorded_at
        ? html` on ${humanMomentDay(c.recorded_at)}` : nothing}.</strong> Nobody sees ${n}’s journal online, you neither; the setting
        shares it with you another way.</p>
        <p class="meta">To opt back in, ask the setting: a manager records it in the consent register.</p>`;
    }
    return html`<p>You may opt ${n} out of the online journal at any time. It takes effect at once: ${n}’s journal is then shown
      to no one online, you included, and the setting shares it with you another way.</p>
      <div class="actions"><button type="button" class="optout-button" ?disabled=${this.busy}
        @click=${this.optOut}>Opt ${this.child.first_name} out of the online journal</button>
        ${this.busy ? html`<progress aria-label="Opting out"></progress>` : nothing}</div>`;
  }

  private erasurePart(): TemplateResult {
    const n = bdi(this.child.first_name);
    const r = this.request;
    if (r) {
      return html`<p class="erasure-asked">You asked on ${humanMomentDay(r.requested_at)} for ${n}’s data to be erased. A manager of
        the setting erases it; your account goes too if it has no other child.</p>
        ${this.confirmingWithdraw
          ? html`<div class="actions"><p role="alert">Withdraw your request? The setting then keeps ${n}’s data as before.</p>
              <button type="button" class="primary" ?disabled=${this.busy} @click=${this.withdraw}>Yes, withdraw it</button>
              <button type="button" ?disabled=${this.busy} @click=${() => { this.confirmingWithdraw = false; }}>Keep the request</button></div>`
          : html`<div class="actions"><button type="button" class="link" ?disabled=${this.busy}
              @click=${() => { this.confirmingWithdraw = true; }}>Withdraw the request</button></div>`}`;
    }
    if (!this.asking) {
      return html`<p>You may ask the setting to erase everything about ${n}: entries only about ${n}, comments, consent records and
        photos, and your account if it has no other child. Download ${n}’s journal first if you want to keep it.</p>
        <div class="actions"><button type="button" class="ask-button" ?disabled=${this.busy}
          @click=${() => { this.asking = true; this.focusOn(`#${this.fieldPrefix}-note`); }}>Ask the setting to erase ${this.child.first_name}’s data</button></div>`;
    }
    const id = `${this.fieldPrefix}-note`;
    const error = this.errors.note;
    return html`<form @submit=${this.ask} novalidate aria-label="Ask to erase ${this.child.first_name}’s data">
      <p>A manager of the setting erases ${n}’s data for good, and it cannot be brought back. Group photos keep ${n} only
        obscured. Until the manager does, you can withdraw the request.</p>
      <div class="field"><label for=${id}>A note for the manager <span class="optional">(optional)</span></label>
        <p class="hint" id="${id}-hint">At most ${NOTE_MAX} characters, e.g. when ${n} leaves.</p>
        <textarea id=${id} rows="3" maxlength=${NOTE_MAX} aria-describedby="${id}-hint${error ? ` ${id}-error` : ''}"
          aria-invalid=${error ? 'true' : 'false'}></textarea>
        ${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : nothing}</div>
      <div class="actions"><button type="submit" class="danger" ?disabled=${this.busy} aria-busy=${this.busy ? 'true' : 'false'}>
          ${this.busy ? 'Sending…' : 'Send the request'}</button>
        <button type="button" ?disabled=${this.busy} @click=${() => { this.asking = false; this.focusOn('.ask-button'); }}>Cancel</button>
        ${this.busy ? html`<progress aria-label="Sending the request"></progress>` : nothing}</div>
    </form>`;
  }

  render() {
    const c = this.child;
    const titleId = `${this.fieldPrefix}-title`;
    const loaded = this.consent !== null && this.request !== undefined;
    return html`<section class="panel family-choices" aria-labelledby=${titleId} data-child=${c.id}>
      <h2 id=${titleId}>Your choices for ${bdi(c.first_name)}</h2>
      ${this.formFeedback()}
      ${!loaded ? (this.formError ? nothing : html`<p role="status">Loading…</p>`) : html`
        <div class="choices-optout"><h3>The online journal</h3>${this.optOutPart()}</div>
        <div class="choices-erasure"><h3>Erasing ${bdi(c.first_name)}’s data</h3>${this.erasurePart()}</div>`}
    </section>`;
  }
}
