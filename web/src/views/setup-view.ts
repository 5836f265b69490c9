import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, type Session } from '../api';
import { FormView, LightElement, pageTitle } from '../base';
import { fullMoment } from '../dates';
import './box-address';
import './restore-view';

interface SetupInfo {
  frameworks: Array<{ id: string; name: string }>;
  code_hint: string;
  // The box's clock (Unix seconds): until it has synced with a time server, the manager
  // confirms or corrects it here. `floor`: the earliest time the box accepts.
  clock?: { now: number; synchronised: boolean; floor: number };
}

// How far the box's clock and this device's may differ before the page points it out (the
// box's own tolerance for a confirmed time).
const CLOCK_TOLERANCE_MS = 2 * 60 * 1000;
// The latest time the box accepts, after its floor.
const CLOCK_HORIZON_MS = 20 * 366 * 24 * 3600 * 1000;

// "Tue 1 Dec 2026, 17:42" in this device's time zone (the box has no setting yet): the app's
// one date style, with the year, since a clock can be years out.
export function formatDateTime(ms: number): string {
  return fullMoment(ms / 1000);
}

// A time as a datetime-local input's value: this device's local time, to the minute.
function localInputValue(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

// A clock that ticks on the page: `now` gives the time to show (milliseconds).
@customElement('nb-ticking-time')
export class TickingTime extends LightElement {
  @property({ attribute: false }) now: () => number = Date.now;
  private timer = 0;

  connectedCallback(): void {
    super.connectedCallback();
    this.timer = window.setInterval(() => this.requestUpdate(), 1000);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearInterval(this.timer);
  }

  render() {
    const ms = this.now();
    return html`<time datetime=${new Date(Math.floor(ms / 1000) * 1000).toISOString()}>${formatDateTime(ms)}</time>`;
  }
}

// First start: the one-time setup code from the box's console creates the setting and its
// first manager. Nobody becomes a manager by arriving first.
@customElement('nb-setup-view')
export class SetupView extends FormView {
  @state() private info: SetupInfo | null = null;
  // The box's clock less this device's, in milliseconds, as of the last GET /setup.
  @state() private clockSkew = 0;
  // The manager's answer about the box's clock: it is right, or set it to the time entered.
  @state() private clockChoice: 'right' | 'set' = 'right';
  // This device's time when the page loaded, offered as the time to set.
  private clockSuggestion = '';
  // Restoring the setting from a backup instead of creating it (issue 19).
  @state() private restoring = false;
  protected fieldPrefix = 'setup';

  connectedCallback(): void {
    super.connectedCallback();
    this.loadInfo().then((info) => {
      this.info = info;
      // The device's time is offered, and chosen, when the two clocks differ.
      this.clockSuggestion = localInputValue(Date.now());
      this.clockChoice = this.clocksDiffer() ? 'set' : 'right';
    }).catch((e) => this.showError(e));
    document.addEventListener('visibilitychange', this.visibilityChanged);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.visibilityChanged);
  }

  // Reads the setup facts, and how far the box's clock is from this device's: the box's
  // whole second is taken at the middle of the request.
  private async loadInfo(): Promise<SetupInfo> {
    const sent = Date.now();
    const info = await api<SetupInfo>('GET', '/setup');
    if (info.clock) this.clockSkew = info.clock.now * 1000 + 500 - (sent + Date.now()) / 2;
    return info;
  }

  // A phone that slept with the page open: the box's time is read again when the page is seen
  // again, so a change to this device's clock meanwhile does not move the box's time shown.
  private visibilityChanged = (): void => {
    if (document.visibilityState === 'visible' && this.needsClock()) this.loadInfo().catch(() => {});
  };

  private needsClock(): boolean {
    return this.info?.clock?.synchronised === false;
  }

  private boxNow = (): number => Date.now() + this.clockSkew;

  private clocksDiffer(): boolean {
    return Math.abs(this.clockSkew) > CLOCK_TOLERANCE_MS;
  }

  // What the manager says the time is now, in Unix seconds.
  private confirmedNow(): number {
    if (this.clockChoice === 'right') return Math.round(this.boxNow() / 1000);
    const entered = this.rawValue('clock-value');
    // This device's time as offered and left as it was: its time now, not when the page opened.
    if (entered === this.clockSuggestion) return Math.round(Date.now() / 1000);
    const ms = entered ? new Date(entered).getTime() : NaN;
    if (Number.isNaN(ms)) this.fail('clock', 'Enter the date and time, or choose “This is right”.');
    return Math.floor(ms / 1000);
  }

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    await this.run(async () => {
      const password = this.rawValue('password');
      if (password !== this.rawValue('confirm')) this.fail('confirm', 'The two passwords are not the same.');
      const body: Record<string, unknown> = {
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
      if (this.needsClock()) body.clock = { confirmed_now: this.confirmedNow() };
      const session = await api<Session>('POST', '/setup', body);
      this.dispatchEvent(new CustomEvent('session-changed', { detail: session, bubbles: true, composed: true }));
    });
  }

  // Shown until the box's clock has synced: the box's time, ticking, and this device's when
  // they differ; the manager says it is right or sets it. Errors about it (field "clock") show
  // here, on the control chosen.
  private clockFieldset() {
    const clock = this.info!.clock!;
    const error = this.errors.clock;
    const errorId = error ? 'setup-clock-error' : '';
    const setting = this.clockChoice === 'set';
    const choose = (choice: 'right' | 'set') => () => { this.clockChoice = choice; };
    return html`<fieldset id="setup-clock" class="clock" aria-describedby=${['setup-clock-intro', errorId].filter(Boolean).join(' ')}>
      <legend><h2>The box’s date and time</h2></legend>
      <p class="hint" id="setup-clock-intro">The box has not been able to check its clock over the internet yet. Photos and records are dated by it.</p>
      <div class="clock-readings">
        <p>The box says: <strong><nb-ticking-time data-testid="box-time" .now=${this.boxNow}></nb-ticking-time></strong></p>
        ${this.clocksDiffer() ? html`<p>This phone, tablet or computer says:
          <strong><nb-ticking-time data-testid="device-time"></nb-ticking-time></strong></p>` : nothing}
      </div>
      <div class="field-check">
        <input type="radio" name="clock" id="setup-clock-right" value="right" .checked=${!setting} @change=${choose('right')}
          aria-invalid=${error && !setting ? 'true' : 'false'} aria-describedby=${!setting && errorId ? errorId : nothing}>
        <label for="setup-clock-right">This is right</label>
      </div>
      <div class="field-check">
        <input type="radio" name="clock" id="setup-clock-set" value="set" .checked=${setting} @change=${choose('set')}>
        <label for="setup-clock-set">Set it to:</label>
        <div class="field clock-set">
          <label class="visually-hidden" for="setup-clock-value">The right date and time</label>
          <input type="datetime-local" id="setup-clock-value" .defaultValue=${this.clockSuggestion}
            min=${localInputValue(clock.floor * 1000)} max=${localInputValue(clock.floor * 1000 + CLOCK_HORIZON_MS)}
            @input=${choose('set')} aria-invalid=${error && setting ? 'true' : 'false'}
            aria-describedby=${setting && errorId ? errorId : nothing}>
        </div>
      </div>
      ${error ? html`<p class="field-error" id="setup-clock-error">${error}</p>` : nothing}
    </fieldset>`;
  }

  private switchTo(restoring: boolean): void {
    this.restoring = restoring;
    this.updateComplete.then(() => this.querySelector<HTMLElement>('h1')?.focus());
  }

  render() {
    const details = html`<div class="narrow">
      <nb-box-address></nb-box-address>
      <details class="panel it-details">
        <summary>Details for IT support</summary>
        ${this.info ? html`<h3>The setup code</h3><p>${this.info.code_hint}</p>` : ''}
        <nb-box-details></nb-box-details>
      </details>
    </div>`;
    if (this.restoring) {
      return html`<nb-restore-view @restore-cancel=${() => this.switchTo(false)}></nb-restore-view>${details}`;
    }
    pageTitle('Set up Nestbox');
    const frameworks = this.info?.frameworks ?? [{ id: 'eyfs', name: 'EYFS (England)' }, { id: 'cfe', name: 'Curriculum for Excellence (Scotland)' }];
    return html`<section class="panel narrow">
      <h1 tabindex="-1">Set up Nestbox</h1>
      <p class="lead">Create your setting and its first manager account. You need the one-time setup code from the box.</p>
      <p class="restore-offer">Replacing a box that was lost, stolen or broken?
        <button type="button" class="link" @click=${() => this.switchTo(true)}>Restore from a backup</button></p>
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
        ${this.needsClock() ? this.clockFieldset() : nothing}
        ${this.submitButton('Create setting', 'Creating…')}
      </form>
    </section>
    ${details}`;
  }
}
