import { html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, type Session } from '../api';
import { FormView, pageTitle } from '../base';
import './box-address';

interface SetupInfo {
  frameworks: Array<{ id: string; name: string }>;
  code_hint: string;
}

// First start: the one-time setup code from the box's console creates the setting and its
// first manager. Nobody becomes a manager by arriving first.
@customElement('nb-setup-view')
export class SetupView extends FormView {
  @state() private info: SetupInfo | null = null;
  protected fieldPrefix = 'setup';

  connectedCallback(): void {
    super.connectedCallback();
    api<SetupInfo>('GET', '/setup').then((info) => { this.info = info; }).catch((e) => this.showError(e));
  }

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    await this.run(async () => {
      const password = this.rawValue('password');
      if (password !== this.rawValue('confirm')) this.fail('confirm', 'The two passwords are not the same.');
      const body: Record<string, string> = {
        code: this.value('code'),
        setting_name: this.value('setting_name'),
        framework: this.value('framework'),
        display_name: this.value('display_name'),
        username: this.value('username'),
        password,
      };
      if (!body.code) this.fail('code', 'Enter the setup code shown on the box.');
      const email = this.value('email');
      const pin = this.value('pin');
      if (email) body.email = email;
      if (pin) body.pin = pin;
      const session = await api<Session>('POST', '/setup', body);
      this.dispatchEvent(new CustomEvent('session-changed', { detail: session, bubbles: true, composed: true }));
    });
  }

  render() {
    pageTitle('Set up Nestbox');
    const frameworks = this.info?.frameworks ?? [{ id: 'eyfs', name: 'EYFS (England)' }, { id: 'cfe', name: 'Curriculum for Excellence (Scotland)' }];
    return html`<section class="panel narrow">
      <h1>Set up Nestbox</h1>
      <p class="lead">Create your setting and its first manager account. You need the one-time setup code from the box.</p>
      <form @submit=${this.submit} novalidate>
        ${this.formFeedback()}
        ${this.field('code', 'Setup code', { required: true, autocomplete: 'one-time-code',
          hint: 'Four groups of four letters and digits. A screen plugged into the box shows it when the box first starts; IT support can also read it from a file (see “Details for IT support” below).' })}
        <h2>Your setting</h2>
        ${this.field('setting_name', 'Setting name', { required: true, hint: 'As parents know it, e.g. Rainbow Nursery.' })}
        ${this.field('framework', 'Curriculum framework', { required: true, options: frameworks.map((f) => ({ value: f.id, label: f.name })), value: 'eyfs' })}
        <h2>First manager</h2>
        ${this.field('display_name', 'Your name', { required: true, autocomplete: 'name' })}
        ${this.field('username', 'Username', { required: true, autocomplete: 'username', hint: '3 to 64 letters, digits or . _ - @' })}
        ${this.field('email', 'Email', { type: 'email', autocomplete: 'email' })}
        ${this.field('password', 'Password', { type: 'password', required: true, autocomplete: 'new-password', hint: 'At least 10 characters, not a common password.' })}
        ${this.field('confirm', 'Password again', { type: 'password', required: true, autocomplete: 'new-password' })}
        ${this.field('pin', 'PIN for shared tablets', { inputmode: 'numeric', hint: '4 to 8 digits; no repeats or runs like 1234.' })}
        ${this.submitButton('Create setting', 'Creating…')}
      </form>
    </section>
    <div class="narrow">
      <nb-box-address></nb-box-address>
      <details class="panel it-details">
        <summary>Details for IT support</summary>
        ${this.info ? html`<h3>The setup code</h3><p>${this.info.code_hint}</p>` : ''}
        <nb-box-details></nb-box-details>
      </details>
    </div>`;
  }
}
