import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, type Session } from '../api';
import { humanMomentInText } from '../dates';
import { bdi, FormView, pageTitle } from '../base';
import './family-downloads';

interface SessionInfo {
  id: string;
  current: boolean;
  created_at: string;
  last_seen_at: string;
  address: string;
  user_agent: string;
  remembered: boolean;           // a family's phone kept signed in (issue 32)
  absolute_expires_at: string;   // for a remembered phone: its last day
}

function deviceName(userAgent: string): string {
  if (/iPad/.test(userAgent)) return 'iPad';
  if (/iPhone/.test(userAgent)) return 'iPhone';
  if (/Android/.test(userAgent)) return /Mobile/.test(userAgent) ? 'Android phone' : 'Android tablet';
  if (/Windows/.test(userAgent)) return 'Windows computer';
  if (/Macintosh/.test(userAgent)) return 'Mac';
  if (/Linux/.test(userAgent)) return 'Linux computer';
  return 'Unknown device';
}

// My account: who I am, where I am signed in, and ending sessions I do not recognise.
@customElement('nb-sessions-view')
export class SessionsView extends FormView {
  @property({ attribute: false }) session!: Session;
  @state() private sessions: SessionInfo[] | null = null;

  connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    await this.run(async () => {
      this.sessions = (await api<{ sessions: SessionInfo[] }>('GET', '/me/sessions')).sessions;
    });
  }

  private async end(info: SessionInfo): Promise<void> {
    const done = await this.run(async () => {
      await api('DELETE', `/me/sessions/${info.id}`);
      this.sessions = (await api<{ sessions: SessionInfo[] }>('GET', '/me/sessions')).sessions;
    });
    if (done) this.notice = `Signed out the ${deviceName(info.user_agent)} session.`;
  }

  private async everywhere(): Promise<void> {
    const done = await this.run(async () => {
      await api('POST', '/auth/sign-out-everywhere', {});
    });
    if (done) this.dispatchEvent(new CustomEvent('session-changed', { detail: null, bubbles: true, composed: true }));
  }

  render() {
    pageTitle('My account');
    const u = this.session.user;
    return html`<section>
      <h1>My account</h1>
      <div class="panel">
        <p><strong>${bdi(u.display_name)}</strong> · ${u.username} · ${u.role}</p>
        <p class="meta">Password last changed ${humanMomentInText(u.password_changed_at)}.
          <a href="/account/password">Change password</a></p>
      </div>
      <h2>Where you are signed in</h2>
      ${this.formFeedback()}
      ${this.sessions === null
        ? html`<p role="status">Loading…</p>`
        : html`<ul class="cards">${this.sessions.map((s) => html`<li>
            <div class="card-head">
              <span class="card-title">${deviceName(s.user_agent)}</span>
              ${s.current ? html`<span class="tag current">This device</span>` : html`<button type="button" class="danger"
                  ?disabled=${this.busy} @click=${() => this.end(s)}
                  aria-label="Sign out ${deviceName(s.user_agent)} session from ${s.address}">Sign out</button>`}
            </div>
            <p class="meta">From ${s.address} · signed in ${humanMomentInText(s.created_at)} · last active ${humanMomentInText(s.last_seen_at)}</p>
            ${s.remembered ? html`<p class="meta"><span class="tag">Remembered phone</span> stays signed in until ${humanMomentInText(s.absolute_expires_at)}</p>` : nothing}
          </li>`)}</ul>`}
      <div class="actions"><button type="button" class="danger" ?disabled=${this.busy} @click=${() => this.everywhere()}>
        Sign out everywhere</button></div>
      <p class="hint">Ends every session of yours, this one too: for a lost phone or a password someone saw.</p>
      ${u.role === 'parent' ? html`<nb-family-downloads></nb-family-downloads>` : nothing}
    </section>`;
  }
}
