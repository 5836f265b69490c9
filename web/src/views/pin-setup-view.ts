// Staff PINs from the first tablet sign-in (issue 32): a practitioner or manager signed in on
// one of the setting's registered tablets without a PIN chooses one before anything else, so
// the next switch on that tablet is the PIN pad, not a passphrase. The box checks the PIN
// (4 to 8 digits, no repeats or runs) and asks for the password once more: a session left
// open must not be enough to set someone's PIN.

import { html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { api, type Session } from '../api';
import { FormView, pageTitle } from '../base';

// Who is asked: someone who may switch with a PIN (not a family), on a registered tablet, with
// no PIN yet and not in a child's view.
export function needsPin(s: Session | null): boolean {
  return Boolean(s && s.device_id && s.user.role !== 'parent' && !s.user.has_pin && !s.child_view && !s.must_change_password);
}

@customElement('nb-pin-setup-view')
export class PinSetupView extends FormView {
  @property({ attribute: false }) session!: Session;
  protected fieldPrefix = 'pin-setup';

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    let session: Session | null = null;
    const done = await this.run(async () => {
      const pin = this.rawValue('pin');
      const password = this.rawValue('password');
      if (!/^[0-9]{4,8}$/.test(pin)) this.fail('pin', 'Choose 4 to 8 digits.');
      if (pin !== this.rawValue('pin_again')) this.fail('pin_again', 'The two PINs are not the same.');
      if (!password) this.fail('password', 'Enter your password, to show it is you.');
      await api('POST', '/me/pin', { password, pin });
      session = await api<Session>('GET', '/auth/session');
    });
    if (!done || !session) return;
    this.dispatchEvent(new CustomEvent('session-changed', { detail: session, bubbles: true, composed: true }));
  }

  render() {
    pageTitle('Choose your PIN');
    return html`<section class="panel narrow">
      <h1>Choose your PIN</h1>
      <p>On this tablet you will switch in with your PIN from now on: pick your name, type the PIN.
        It works only on the setting’s registered tablets.</p>
      <form @submit=${this.submit} novalidate>
        ${this.formFeedback()}
        ${this.field('pin', 'PIN', { type: 'password', inputmode: 'numeric', autocomplete: 'off', required: true, maxlength: 8,
          hint: '4 to 8 digits; no repeats or runs like 1234.' })}
        ${this.field('pin_again', 'PIN again', { type: 'password', inputmode: 'numeric', autocomplete: 'off', required: true, maxlength: 8 })}
        ${this.field('password', 'Your password', { type: 'password', autocomplete: 'current-password', required: true })}
        ${this.submitButton('Set my PIN', 'Setting…')}
      </form>
    </section>`;
  }
}
