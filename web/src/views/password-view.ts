import { html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { api, type Session } from '../api';
import { FormView, pageTitle } from '../base';

@customElement('nb-password-view')
export class PasswordView extends FormView {
  @property({ attribute: false }) session!: Session;
  protected fieldPrefix = 'password';

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    const done = await this.run(async () => {
      const current = this.rawValue('current_password');
      const next = this.rawValue('new_password');
      if (!current) this.fail('current_password', 'Enter your current password.');
      if (next !== this.rawValue('confirm')) this.fail('confirm', 'The two new passwords are not the same.');
      await api('POST', '/me/password', { current_password: current, new_password: next });
    });
    if (!done) return;
    (this.querySelector('form') as HTMLFormElement).reset();
    if (this.session.must_change_password) {
      const session = await api<Session>('GET', '/auth/session');
      this.dispatchEvent(new CustomEvent('session-changed', { detail: session, bubbles: true, composed: true }));
    } else {
      this.notice = 'Your password is changed. Your other sessions have been signed out.';
    }
  }

  render() {
    pageTitle('Change password');
    return html`<section class="panel narrow">
      <h1>Change password</h1>
      ${this.session.must_change_password
        ? html`<p class="form-error" role="alert">Your password has expired under your setting’s rules. Choose a new one to carry on.</p>`
        : nothing}
      <form @submit=${this.submit} novalidate>
        ${this.formFeedback()}
        ${this.field('current_password', 'Current password', { type: 'password', autocomplete: 'current-password', required: true })}
        ${this.field('new_password', 'New password', { type: 'password', autocomplete: 'new-password', required: true, hint: 'At least 10 characters, not a common password, not your name.' })}
        ${this.field('confirm', 'New password again', { type: 'password', autocomplete: 'new-password', required: true })}
        ${this.submitButton('Change password', 'Changing…')}
      </form>
    </section>`;
  }
}
