import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError, type Session } from '../api';
import { bdi, FormView, pageTitle } from '../base';
import { deviceProof, forgetDevice, registeredDevice, type RegisteredDevice } from '../device';
import { newRememberKey } from '../remember';

interface PinPerson {
  id: string;
  display_name: string;
  pin_locked: boolean;
}

// Sign in with username and password — on a registered tablet with the tablet's proof, which
// staff need. On a registered tablet, staff can also pick their name and enter their PIN (the
// shared-tablet switch). Also used, compact, in the dialog shown when a session ends mid-task.
@customElement('nb-sign-in-view')
export class SignInView extends FormView {
  @property({ type: Boolean }) compact = false;
  @property() username = '';
  @state() private device: RegisteredDevice | null = null;
  @state() private people: PinPerson[] | null = null;
  @state() private picked: PinPerson | null = null;
  @state() private needsDevice = false;
  protected fieldPrefix = 'signin';

  connectedCallback(): void {
    super.connectedCallback();
    void this.loadDevice();
  }

  private async loadDevice(): Promise<void> {
    this.device = await registeredDevice();
    if (!this.device || this.compact) return;
    try {
      const proof = await deviceProof(this.device);
      if (!proof) {
        this.device = null;
        return;
      }
      const { challenge, signature } = proof;
      this.people = (await api<{ people: PinPerson[] }>('POST', `/devices/${this.device.id}/people`, { challenge, signature })).people;
    } catch {
      this.people = [];  // the password form still works
    }
  }

  // Families' own phones, not the setting's tablets (staff switch there with a PIN).
  private offerRemember(): boolean {
    return !this.device && typeof indexedDB !== 'undefined' && Boolean(globalThis.crypto?.subtle);
  }

  private signedIn(session: Session): void {
    this.dispatchEvent(new CustomEvent('session-changed', { detail: session, bubbles: true, composed: true }));
  }

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    this.needsDevice = false;
    await this.run(async () => {
      const username = this.value('username');
      const password = this.rawValue('password');
      if (!username) this.fail('username', 'Enter your username.');
      if (!password) this.fail('password', 'Enter your password.');
      const proof = await deviceProof(this.device);
      // A family's own phone may stay signed in (issue 32): with a key only this browser holds.
      const rememberKey = !this.device && this.offerRemember() && this.checked('remember') ? await newRememberKey() : null;
      try {
        this.signedIn(await api<Session>('POST', '/auth/sign-in', {
          username, password, ...(proof ?? {}), ...(rememberKey ? { remember_key: rememberKey } : {}) }));
      } catch (error) {
        if (error instanceof ApiError && error.code === 'device_not_recognised') {
          await forgetDevice();
          this.device = null;
        }
        if (error instanceof ApiError && (error.code === 'device_required' || error.code === 'device_not_recognised')) {
          this.needsDevice = true;
        }
        throw error;
      }
    });
  }

  private async submitPin(event: Event): Promise<void> {
    event.preventDefault();
    const person = this.picked;
    if (!person) return;
    await this.run(async () => {
      const pin = this.rawValue('pin');
      if (!/^[0-9]{4,8}$/.test(pin)) this.fail('pin', 'Enter your PIN: 4 to 8 digits.');
      const proof = await deviceProof(this.device);
      if (!proof) throw new ApiError(403, 'device_not_recognised', 'This tablet is no longer registered. Ask a manager to enrol it again.');
      this.signedIn(await api<Session>('POST', '/auth/pin', { user_id: person.id, pin, ...proof }));
    });
  }

  private pinSwitch() {
    if (!this.device || !this.people || this.people.length === 0) return nothing;
    if (this.picked) {
      const p = this.picked;
      return html`<form class="pin-form" @submit=${this.submitPin} novalidate aria-labelledby="pin-title">
        <h2 id="pin-title" dir="auto">${p.display_name}</h2>
        ${this.formFeedback()}
        ${this.field('pin', 'PIN', { type: 'password', inputmode: 'numeric', autocomplete: 'off', required: true, maxlength: 8 })}
        ${this.submitButton('Switch to me', 'Checking…')}
        <button type="button" class="link" @click=${() => { this.picked = null; this.formError = ''; this.errors = {}; }}>
          Not ${bdi(p.display_name)}? Pick another name</button>
      </form>`;
    }
    return html`<section class="pin-picker" aria-labelledby="picker-title">
      <h2 id="picker-title">Who is using the tablet?</h2>
      <ul class="people">${this.people.map((p) => html`<li>
        <button type="button" class="person" ?disabled=${p.pin_locked} @click=${() => { this.picked = p; this.formError = ''; }}>
          ${bdi(p.display_name)}${p.pin_locked ? html`<span class="hint"> — PIN off: sign in with your password</span>` : nothing}
        </button></li>`)}</ul>
      <p class="hint">Or sign in with your username and password below.</p>
    </section>`;
  }

  render() {
    if (!this.compact) pageTitle('Sign in');
    const form = html`<form @submit=${this.submit} novalidate>
      ${this.picked ? nothing : this.formFeedback()}
      ${this.needsDevice
        ? html`<p class="notice">Staff sign in only on the setting’s registered tablets.
            <a href="/enrol">Register this tablet</a> with a code from a manager.</p>`
        : nothing}
      ${this.field('username', 'Username', { autocomplete: 'username', required: true, value: this.username })}
      ${this.field('password', 'Password', { type: 'password', autocomplete: 'current-password', required: true })}
      ${this.offerRemember() ? this.field('remember', 'Keep me signed in on this phone', { type: 'checkbox',
        hint: 'Only on your own phone. For your data, erasure or opting out you give your password again.' }) : nothing}
      ${this.submitButton('Sign in', 'Signing in…')}
    </form>`;
    if (this.compact) return form;
    return html`<section class="panel narrow">
      <h1>Sign in</h1>
      ${this.device ? html`<p class="meta">This tablet: <strong>${bdi(this.device.name)}</strong></p>` : nothing}
      ${this.pinSwitch()}
      ${this.picked ? nothing : form}
      <p>New here, or a manager gave you a one-time code? <a href="/set-password">Set your password</a>.</p>
      ${this.device ? nothing : html`<p>Setting up one of the setting’s tablets? <a href="/enrol">Register this tablet</a>.</p>`}
    </section>`;
  }
}
