import { html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, ApiError } from '../api';
import { humanMoment, humanMomentInText } from '../dates';
import { FormView, LightElement, pageTitle } from '../base';
import { confirmAction } from './confirm-dialog';

interface Notice {
  since: string;
  updates: Array<{ at: string; message: string }>;
  lifted_at?: string;
  fault?: string;
  rectification?: string;
}

interface LockdownState {
  engaged: boolean;
  notice?: Notice;
  last?: Notice | null;
}

function textArea(id: string, label: string, hint: string, error?: string): TemplateResult {
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <p class="hint" id="${id}-hint">${hint}</p>
    <textarea id=${id} rows="3" maxlength="2000" required aria-describedby="${id}-hint${error ? ` ${id}-error` : ''}"
      aria-invalid=${error ? 'true' : 'false'}></textarea>
    ${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : nothing}
  </div>`;
}

// The notice everyone sees while the box is locked down (policy 001): no journal data, only
// when it started and the managers' updates. Managers post updates and lift it here with
// their username, password and PIN — every session ended when it engaged.
@customElement('nb-lockdown-view')
export class LockdownView extends FormView {
  @state() private state: LockdownState | null = null;
  @state() private outside = false;  // opened from home: nothing more to see until it is lifted
  protected fieldPrefix = 'lockdown';

  connectedCallback(): void {
    super.connectedCallback();
    void this.run(() => this.load());
  }

  private async load(): Promise<void> {
    try {
      this.state = await api<LockdownState>('GET', '/lockdown');
    } catch (error) {
      // From home (issue 31) a lockdown closes everything, the notice included.
      if (error instanceof ApiError && error.code === 'lockdown_outside') {
        this.outside = true;
        return;
      }
      throw error;
    }
    if (!this.state.engaged) window.location.assign('/sign-in');
  }

  private credentials(): Record<string, string> {
    return { username: this.value('username'), password: this.rawValue('password'), pin: this.rawValue('pin') };
  }

  private async postUpdate(event: Event): Promise<void> {
    event.preventDefault();
    const done = await this.run(async () => {
      const message = this.value('message');
      if (!message) this.fail('message', 'Write the update for staff and families.');
      await api('POST', '/lockdown/updates', { ...this.credentials(), message });
      await this.load();
    });
    if (done) { (this.querySelector('#lockdown-message') as HTMLTextAreaElement).value = ''; this.notice = 'Update posted.'; }
  }

  private async lift(event: Event): Promise<void> {
    event.preventDefault();
    await this.run(async () => {
      const fault = this.value('fault');
      const rectification = this.value('rectification');
      if (!fault) this.fail('fault', 'Say what the fault was.');
      if (!rectification) this.fail('rectification', 'Say how it was put right.');
      await api('POST', '/lockdown/lift', { ...this.credentials(), fault, rectification });
      window.location.assign('/sign-in');
    });
  }

  render() {
    pageTitle('Locked down');
    if (this.outside) {
      return html`<section class="narrow"><div class="panel lockdown" role="status">
        <h1>Nestbox is locked down</h1>
        <p class="lead">The journal is closed while a possible fault is checked, to keep children’s information safe.
          It cannot be opened from home until a manager says it is safe again.</p>
        <p>Try again later; the setting will tell you when it is open.</p>
        <div class="actions"><button type="button" @click=${() => window.location.assign('/')}>Try again</button></div>
      </div></section>`;
    }
    const n = this.state?.notice;
    return html`<section class="narrow">
      <div class="panel lockdown">
        <h1>Nestbox is locked down</h1>
        <p class="lead">The journal is closed while a possible fault is checked, to keep children’s information safe.
          Everyone has been signed out. Nothing can be seen or sent until a manager says it is safe again.</p>
        ${n ? html`<p class="meta">Since ${humanMomentInText(n.since)}.</p>` : html`<p role="status">Loading…</p>`}
        ${n?.updates.length ? html`<h2>Updates from the setting</h2>
          <ul class="updates">${n.updates.map((u) => html`<li><p class="meta">${humanMoment(u.at)}</p><p dir="auto">${u.message}</p></li>`)}</ul>` : nothing}
      </div>
      <details class="panel">
        <summary>Managers: post an update or lift the lockdown</summary>
        <p class="hint">From the setting’s own network, with your username, password and PIN.</p>
        ${this.formFeedback()}
        ${this.field('username', 'Manager username', { required: true, autocomplete: 'username' })}
        ${this.field('password', 'Password', { type: 'password', required: true, autocomplete: 'current-password' })}
        ${this.field('pin', 'PIN', { type: 'password', inputmode: 'numeric', required: true, maxlength: 8 })}
        <form @submit=${this.postUpdate} novalidate aria-labelledby="update-title">
          <h2 id="update-title">Post an update</h2>
          ${textArea('lockdown-message', 'Update', 'Everyone sees this on this page, parents included.', this.errors.message)}
          <div class="actions"><button type="submit" ?disabled=${this.busy}>Post update</button></div>
        </form>
        <form @submit=${this.lift} novalidate aria-labelledby="lift-title">
          <h2 id="lift-title">Lift the lockdown</h2>
          ${textArea('lockdown-fault', 'What was the fault?', 'Families read this afterwards.', this.errors.fault)}
          ${textArea('lockdown-rectification', 'How was it put right?', 'Families read this afterwards.', this.errors.rectification)}
          <div class="actions"><button type="submit" class="danger" ?disabled=${this.busy}>Lift the lockdown</button></div>
        </form>
      </details>
    </section>`;
  }
}

// A manager's switch (on the setting screen): a reason, a confirmation, then everyone is out.
@customElement('nb-lockdown-switch')
export class LockdownSwitch extends FormView {
  protected fieldPrefix = 'engage';

  private async engage(event: Event): Promise<void> {
    event.preventDefault();
    let reason = '';
    const checked = await this.run(async () => {
      reason = this.value('reason');
      if (!reason) this.fail('reason', 'Say why, for the incident record (families do not see it).');
    });
    if (!checked) return;
    // Issue 32: never by accident. The consequence, named, before anything happens.
    const sure = await confirmAction({
      title: 'Lock the box down now?',
      consequence: 'Everyone, you too, is signed out at once, and the journal closes for staff and families until a manager '
        + 'lifts the lockdown with their password and PIN.',
      confirmLabel: 'Lock down now',
    });
    if (!sure) return;
    await this.run(async () => {
      await api('POST', '/lockdown', { reason, confirm: true });
      window.location.assign('/lockdown');
    });
  }

  render() {
    return html`<form class="panel lockdown-switch" @submit=${this.engage} novalidate aria-labelledby="engage-title">
      <h2 id="engage-title">Lock the box down</h2>
      <p>If a fault may put children’s privacy at risk (a lost tablet signed in, a photo shared wrongly, a stranger on the
        network): everyone is signed out and the journal closes until a manager lifts it with their password and PIN.</p>
      ${this.formFeedback()}
      ${textArea('engage-reason', 'Why?', 'For the incident record and IT support; families do not see it.', this.errors.reason)}
      <div class="actions"><button type="submit" class="danger" ?disabled=${this.busy}>Lock down…</button></div>
      <p><a href="/api/v1/lockdown/incidents" download="nestbox-incidents.json">Download the incident timeline</a>
        (every lockdown: when, by whom, why, updates, how it was lifted) for IT support.</p>
    </form>`;
  }
}

// After a lockdown: what happened and what was done, for everyone at their next visit.
@customElement('nb-lockdown-banner')
export class LockdownBanner extends LightElement {
  @state() private last: Notice | null = null;

  connectedCallback(): void {
    super.connectedCallback();
    api<LockdownState>('GET', '/lockdown').then((s) => { this.last = s.last ?? null; }).catch(() => { /* not essential */ });
  }

  render() {
    const l = this.last;
    if (!l?.lifted_at) return nothing;
    return html`<div class="panel notice lockdown-after" role="status">
      <h2>The journal was closed for a while</h2>
      <p class="meta">From ${humanMomentInText(l.since)} to ${humanMomentInText(l.lifted_at)}.</p>
      <p><strong>What happened:</strong> ${l.fault}</p>
      <p><strong>What was done:</strong> ${l.rectification}</p>
    </div>`;
  }
}
