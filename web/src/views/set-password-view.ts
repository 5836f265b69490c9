import { html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { api } from '../api';
import { FormView, pageTitle } from '../base';

// The words every screen where a person chooses a password or types a one-time code uses
// (here, and the join page of an invitation letter).
export const NEW_PASSWORD_HINT = 'At least 10 characters. A short sentence is easy to remember and hard to guess.';
export const PASSWORDS_DIFFER = 'The two passwords are not the same.';
export const CODE_HINT = 'Like ABCD-EFGH-JKMN-PQRS. Capitals and dashes do not matter.';

// A person sets their own password with the one-time code a manager gave them (new
// accounts and password resets alike).
@customElement('nb-set-password-view')
export class SetPasswordView extends FormView {
  protected fieldPrefix = 'redeem';

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    const done = await this.run(async () => {
      const username = this.value('username');
      const code = this.value('code');
      const password = this.rawValue('new_password');
      if (!username) this.fail('username', 'Enter your username.');
      if (!code) this.fail('code', 'Enter the code your manager gave you.');
      if (password !== this.rawValue('confirm')) this.fail('confirm', PASSWORDS_DIFFER);
      await api('POST', '/auth/redeem-code', { username, code, new_password: password });
    });
    if (done) this.notice = 'Your password is set. You can sign in with it now.';
  }

  render() {
    pageTitle('Set your password');
    return html`<section class="panel narrow">
      <h1>Set your password</h1>
      <p class="lead">Use the one-time code a manager gave you. It works once.</p>
      <form @submit=${this.submit} novalidate>
        ${this.formFeedback()}
        ${this.field('username', 'Username', { autocomplete: 'username', required: true })}
        ${this.field('code', 'One-time code', { required: true, hint: CODE_HINT, autocomplete: 'one-time-code' })}
        ${this.field('new_password', 'New password', { type: 'password', autocomplete: 'new-password', required: true, hint: NEW_PASSWORD_HINT })}
        ${this.field('confirm', 'New password again', { type: 'password', autocomplete: 'new-password', required: true })}
        ${this.submitButton('Set password', 'Setting password…')}
      </form>
      <p><a href="/sign-in">Back to sign in</a></p>
    </section>`;
  }
}
