import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, type Session, type User } from '../api';
import { humanMomentInText } from '../dates';
import { bdi, FormView, pageTitle } from '../base';
import { codeHandOver, type OneTimeCode } from './accounts-view';

// Managers: one account — edit, deactivate or reactivate, issue a reset code, set a PIN.
@customElement('nb-account-view')
export class AccountView extends FormView {
  @property() userId = '';
  @property({ attribute: false }) session!: Session;
  @state() private user: User | null = null;
  @state() private code: OneTimeCode | null = null;
  @state() private confirming = false;
  protected fieldPrefix = 'edit';

  connectedCallback(): void {
    super.connectedCallback();
    api<{ user: User }>('GET', `/users/${this.userId}`).then((r) => { this.user = r.user; }).catch((e) => this.showError(e));
  }

  private async save(event: Event): Promise<void> {
    event.preventDefault();
    const done = await this.run(async () => {
      this.user = (await api<{ user: User }>('PATCH', `/users/${this.userId}`, {
        display_name: this.value('display_name'),
        username: this.value('username'),
        email: this.value('email'),
        role: this.value('role'),
      })).user;
    });
    if (done) this.notice = 'Saved.';
  }

  private async setActive(active: boolean): Promise<void> {
    this.confirming = false;
    const done = await this.run(async () => {
      this.user = (await api<{ user: User }>('POST', `/users/${this.userId}/${active ? 'reactivate' : 'deactivate'}`, {})).user;
    });
    if (done) this.notice = active ? 'The account is active again.' : 'The account is deactivated and signed out everywhere.';
  }

  private async reset(): Promise<void> {
    await this.run(async () => {
      this.code = (await api<{ one_time_code: OneTimeCode }>('POST', `/users/${this.userId}/reset-code`, {})).one_time_code;
    });
  }

  private async setPin(event: Event): Promise<void> {
    event.preventDefault();
    const done = await this.run(async () => {
      await api('PUT', `/users/${this.userId}/pin`, { pin: this.value('pin') });
      this.user = (await api<{ user: User }>('GET', `/users/${this.userId}`)).user;
    });
    if (done) {
      (this.querySelector('form.pin') as HTMLFormElement).reset();
      this.notice = 'The PIN is set.';
    }
  }

  render() {
    const u = this.user;
    pageTitle(u ? u.display_name : 'Account');
    if (!u) return html`<section><h1>Account</h1>${this.formFeedback()}<p role="status">${this.formError ? '' : 'Loading…'}</p>
      <p><a href="/manage/accounts">Back to accounts</a></p></section>`;
    const self = u.id === this.session.user.id;
    return html`<section>
      <p><a href="/manage/accounts">← All accounts</a></p>
      <h1><bdi>${u.display_name}</bdi> ${u.active ? nothing : html`<span class="tag inactive">Deactivated</span>`}</h1>
      <p class="lead">Created ${humanMomentInText(u.created_at)} · password changed ${humanMomentInText(u.password_changed_at)}</p>
      ${this.formFeedback()}
      ${this.code ? codeHandOver(u.display_name, this.code, 'Reset code issued.') : nothing}
      <form class="panel" @submit=${this.save} novalidate aria-label="Details">
        <h2>Details</h2>
        <div class="grid-2">
          ${this.field('display_name', 'Name', { required: true, value: u.display_name })}
          ${this.field('username', 'Username', { required: true, value: u.username })}
          ${this.field('email', 'Email', { type: 'email', value: u.email ?? '' })}
          ${this.field('role', 'Role', { required: true, value: u.role, options: [
            { value: 'manager', label: 'Manager' }, { value: 'staff', label: 'Staff' }, { value: 'parent', label: 'Parent or carer' }] })}
        </div>
        ${this.submitButton('Save changes', 'Saving…')}
      </form>

      ${u.role !== 'parent' ? html`<form class="panel pin" @submit=${this.setPin} novalidate aria-label="PIN">
        <h2>PIN for shared tablets</h2>
        <p>${u.has_pin ? 'A PIN is set. Setting a new one replaces it.' : 'No PIN yet.'}</p>
        ${this.field('pin', 'New PIN', { inputmode: 'numeric', required: true, hint: '4 to 8 digits; no repeats or runs like 1234.' })}
        <div class="actions"><button type="submit" ?disabled=${this.busy}>Set PIN</button></div>
      </form>` : nothing}

      <div class="panel">
        <h2>Access</h2>
        <div class="actions">
          ${u.active ? html`<button type="button" ?disabled=${this.busy} @click=${this.reset}>Issue password reset code</button>` : nothing}
          ${u.active
            ? (self ? html`<p class="meta">You cannot deactivate your own account.</p>`
                : this.confirming
                  ? html`<p role="alert">Deactivate ${bdi(u.display_name)}? They are signed out everywhere at once.</p>
                      <button type="button" class="danger" @click=${() => this.setActive(false)}>Yes, deactivate</button>
                      <button type="button" @click=${() => { this.confirming = false; }}>Cancel</button>`
                  : html`<button type="button" class="danger" ?disabled=${this.busy} @click=${() => { this.confirming = true; }}>Deactivate account</button>`)
            : html`<button type="button" ?disabled=${this.busy} @click=${() => this.setActive(true)}>Reactivate account</button>`}
        </div>
      </div>
    </section>`;
  }
}
