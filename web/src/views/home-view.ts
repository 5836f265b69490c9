import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, type Session } from '../api';
import { bdi, LightElement, pageTitle } from '../base';

@customElement('nb-home-view')
export class HomeView extends LightElement {
  @property({ attribute: false }) session!: Session;
  // Device reports managers have not acknowledged (policy 004: a lost tablet is dealt with at once).
  @state() private alerts = 0;

  connectedCallback(): void {
    super.connectedCallback();
    if (this.session.user.role !== 'manager') return;
    api<{ devices: Array<{ alert: boolean }> }>('GET', '/devices')
      .then(({ devices }) => { this.alerts = devices.filter((d) => d.alert).length; })
      .catch(() => { /* the devices screen shows it too */ });
  }

  render() {
    pageTitle('Home');
    const { user } = this.session;
    const roleText = { manager: 'manager', staff: 'member of staff', parent: 'parent or carer' }[user.role];
    return html`<section>
      <h1>Hello, ${bdi(user.display_name)}</h1>
      <p class="lead">You are signed in as a ${roleText} of ${this.session.setting?.name ? bdi(this.session.setting.name) : 'your setting'}.</p>
      ${this.alerts ? html`<p class="warning" role="alert">A tablet has been reported lost, stolen or damaged.
        <a href="/devices">See the report${this.alerts === 1 ? '' : 's'} on the devices screen</a>.</p>` : nothing}
      <nb-lockdown-banner></nb-lockdown-banner>
      <h2>What you can do</h2>
      <ul class="home-links">
        <li><a href="/staff/journal">Journal<p class="meta">Record observations, snapshots and room posts; read and reply.</p></a></li>
        <li><a href="/staff/contributions">From families<p class="meta">Approve or return home observations.</p></a></li>
        <li><a href="/staff/children">Children<p class="meta">Everyone, or only your key children; child view on a tablet.</p></a></li>
        <li><a href="/devices">Devices<p class="meta">The setting’s tablets; report one lost, stolen or damaged.</p></a></li>
        ${user.role === 'manager'
          ? html`<li><a href="/manage/children">Rooms and children<p class="meta">Rooms, release dates, children, parents, consent.</p></a></li>
              <li><a href="/manage/accounts">Accounts<p class="meta">Add staff and parents, reset passwords, set PINs.</p></a></li>
              <li><a href="/manage/audit">Audit log<p class="meta">Sign-ins, changes and security events.</p></a></li>
              <li><a href="/manage/settings">Setting<p class="meta">Name, curriculum, password rules, timeouts.</p></a></li>`
          : nothing}
        <li><a href="/account/sessions">My account<p class="meta">Where you are signed in; sign out elsewhere.</p></a></li>
        <li><a href="/account/password">Change password<p class="meta">Choose a new password.</p></a></li>
      </ul>
    </section>`;
  }
}
