// Managers: erasing a child's data for good (issue 21; policies 000 and 001). The dialog says
// plainly what goes and what stays, asks for the child's name typed as shown, and for the
// manager's password and PIN. The box checks all three; its errors are shown beside the field
// they name. On success it reports `erased` (the counts the box gave) and the page moves on.

import { html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { api, ApiError } from '../api';
import { bdi, FormView } from '../base';
import type { Child } from '../journal';

export interface Erasure {
  id: string;
  entries_removed: number;
  media_removed: number;
  media_marked: number;
  accounts_erased: number;
  reviews: number;
}

@customElement('nb-erasure-dialog')
export class ErasureDialog extends FormView {
  @property({ attribute: false }) child!: Child;
  // The manager has no PIN: the box says so; the page links to where one is set.
  @state() private pinMissing = false;
  @query('dialog') private dialog!: HTMLDialogElement;
  protected fieldPrefix = 'erase';

  firstUpdated(): void {
    this.dialog.showModal();
    this.querySelector<HTMLElement>('#erase-confirm')?.focus();
  }

  private fullName(): string {
    return `${this.child.first_name} ${this.child.last_name}`;
  }

  private close(): void {
    if (this.busy) return;
    if (this.dialog.open) this.dialog.close();
    this.dispatchEvent(new CustomEvent('close'));
  }

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    this.pinMissing = false;
    let erasure: Erasure | null = null;
    const done = await this.run(async () => {
      const confirm = this.value('confirm');
      const password = this.rawValue('password');
      const pin = this.value('pin');
      if (!confirm) this.fail('confirm', `Type ${this.fullName()} to confirm.`);
      if (!password) this.fail('password', 'Enter your password.');
      if (!/^\d{4,8}$/.test(pin)) this.fail('pin', 'Enter your PIN: 4 to 8 digits.');
      try {
        erasure = (await api<{ erasure: Erasure }>('POST', `/children/${this.child.id}/erase`, { password, pin, confirm })).erasure;
      } catch (error) {
        if (error instanceof ApiError && error.code === 'pin_required') this.pinMissing = true;
        throw error;
      }
    });
    if (!done || !erasure) return;
    if (this.dialog.open) this.dialog.close();
    this.dispatchEvent(new CustomEvent<Erasure>('erased', { detail: erasure }));
  }

  render() {
    const c = this.child;
    const name = bdi(this.fullName());
    const first = bdi(c.first_name);
    return html`<dialog class="erasure-dialog" aria-labelledby="erase-title" aria-describedby="erase-what"
        @cancel=${(e: Event) => { e.preventDefault(); this.close(); }}>
      <h2 id="erase-title">Erase ${name}’s data</h2>
      <div id="erase-what" class="erase-what">
        <p><strong>Everything about ${name} is removed for good:</strong> entries only about ${first}, comments, consent
          records, photos that show no other child; parent accounts with no other child are removed.</p>
        <p>Photos shared with other children keep an anonymous marker and are shown to other families only redacted.</p>
        <p class="warning"><strong>This cannot be undone;</strong> backups keep the data until their retention runs out.</p>
      </div>
      <form @submit=${this.submit} novalidate aria-label="Erase ${this.fullName()}’s data">
        ${this.formFeedback()}
        ${this.pinMissing ? html`<p class="meta">Set your own PIN under <a href="/manage/accounts">Accounts</a> (open your account,
          then “PIN for shared tablets”), then come back here.</p>` : nothing}
        <p class="meta" id="erase-name-label">Type the child’s name exactly as shown:</p>
        <p class="confirm-text" translate="no" data-testid="erase-name">${this.fullName()}</p>
        ${this.field('confirm', html`Type ${name} to confirm`, { required: true, autocomplete: 'off', spellcheck: false, autocapitalize: 'off' })}
        <div class="grid-2">
          ${this.field('password', 'Your password', { type: 'password', required: true, autocomplete: 'current-password' })}
          ${this.field('pin', 'Your PIN', { type: 'password', required: true, inputmode: 'numeric', autocomplete: 'off', maxlength: 8 })}
        </div>
        <div class="actions">
          <button type="submit" class="danger" ?disabled=${this.busy} aria-busy=${this.busy ? 'true' : 'false'}>
            ${this.busy ? 'Erasing…' : `Erase ${c.first_name}’s data for good`}</button>
          <button type="button" ?disabled=${this.busy} @click=${this.close}>Cancel</button>
          ${this.busy ? html`<progress aria-label="Erasing"></progress>` : nothing}
        </div>
        ${this.busy ? html`<p class="meta" role="status">Erasing: photos and videos are removed from the disk too. This can take a
          minute.</p>` : nothing}
      </form>
    </dialog>`;
  }
}
