// "Enter your password again": a remembered phone (issue 32) is asked before what matters to
// a family — their data leaving the box, opting out, asking for erasure. The box answers
// 403 password_needed; api() calls askForPassword() and, once it is given, sends the request
// again, so the screen that asked carries on as if nothing happened.

import { html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { request } from '../api';
import { FormView } from '../base';

@customElement('nb-password-confirm')
export class PasswordConfirm extends FormView {
  protected fieldPrefix = 'confirm';
  done: (given: boolean) => void = () => {};

  protected firstUpdated(): void {
    this.querySelector('dialog')?.showModal();
  }

  private close(given: boolean): void {
    this.querySelector('dialog')?.close();
    this.remove();
    this.done(given);
  }

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    const ok = await this.run(async () => {
      const password = this.rawValue('password');
      if (!password) this.fail('password', 'Enter your password.');
      await request('POST', '/auth/confirm-password', { password });
    });
    if (ok) this.close(true);
  }

  render() {
    return html`<dialog class="reauth" aria-labelledby="confirm-title" @cancel=${(e: Event) => { e.preventDefault(); this.close(false); }}>
      <h2 id="confirm-title">Is it you?</h2>
      <p>This phone stays signed in, so for this the box asks for your password again.</p>
      <form @submit=${this.submit} novalidate>
        ${this.formFeedback()}
        ${this.field('password', 'Your password', { type: 'password', autocomplete: 'current-password', required: true })}
        <div class="actions">
          <button type="submit" class="primary" ?disabled=${this.busy}>Carry on</button>
          <button type="button" @click=${() => this.close(false)}>Cancel</button>
        </div>
      </form>
    </dialog>`;
  }
}

let asking: Promise<boolean> | null = null;

// One question at a time, however many requests asked.
export function askForPassword(): Promise<boolean> {
  asking ??= new Promise<boolean>((resolve) => {
    const dialog = document.createElement('nb-password-confirm') as PasswordConfirm;
    dialog.done = (given) => {
      asking = null;
      resolve(given);
    };
    document.body.append(dialog);
  });
  return asking;
}
