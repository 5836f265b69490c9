import { html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { api, type Session } from '../api';
import { FormView, pageTitle } from '../base';

// Sign in with username and password. Also used, compact, in the dialog shown when a
// session ends mid-task.
@customElement('nb-sign-in-view')
export class SignInView extends FormView {
  @property({ type: Boolean }) compact = false;
  @property() username = '';
  protected fieldPrefix = 'signin';

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    await this.run(async () => {
      const username = this.value('username');
      const password = this.rawValue('password');
      if (!username) this.fail('username', 'Enter your username.');
      if (!password) this.fail('password', 'Enter your password.');
      const session = await api<Session>('POST', '/auth/sign-in', { username, password });
      this.dispatchEvent(new CustomEvent('session-changed', { detail: session, bubbles: true, composed: true }));
    });
  }

  render() {
    if (!this.compact) pageTitle('Sign in');
    const form = html`<form @submit=${this.submit} novalidate>
      ${this.formFeedback()}
      ${this.field('username', 'Username', { autocomplete: 'username', required: true, value: this.username })}
      ${this.field('password', 'Password', { type: 'password', autocomplete: 'current-password', required: true })}
      ${this.submitButton('Sign in', 'Signing in…')}
    </form>`;
    if (this.compact) return form;
    return html`<section class="panel narrow">
      <h1>Sign in</h1>
      ${form}
      <p>New here, or a manager gave you a one-time code? <a href="/set-password">Set your password</a>.</p>
      ${nothing}
    </section>`;
  }
}
