import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, type Session } from '../api';
import { bdi, LightElement, pageTitle } from '../base';

interface Storage {
  total_bytes: number;
  free_bytes: number;
  reserve_bytes: number;
  unfinished_upload_bytes: number;
  media_bytes: number;
  state: 'ok' | 'low' | 'full';
}

function gib(bytes: number): string {
  return bytes >= 1 << 30 ? `${(bytes / (1 << 30)).toFixed(1)} GB` : `${Math.round(bytes / (1 << 20))} MB`;
}

@customElement('nb-home-view')
export class HomeView extends LightElement {
  @property({ attribute: false }) session!: Session;
  // Device reports managers have not acknowledged (policy 004: a lost tablet is dealt with at once).
  @state() private alerts = 0;
  // The data disk (issue 14): how full, and whether uploads will soon stop.
  @state() private storage: Storage | null = null;

  connectedCallback(): void {
    super.connectedCallback();
    if (this.session.user.role !== 'manager') return;
    api<{ devices: Array<{ alert: boolean }> }>('GET', '/devices')
      .then(({ devices }) => { this.alerts = devices.filter((d) => d.alert).length; })
      .catch(() => { /* the devices screen shows it too */ });
    api<{ storage: Storage }>('GET', '/storage')
      .then(({ storage }) => { this.storage = storage; })
      .catch(() => { /* shown when the box can say */ });
  }

  private storagePanel() {
    const s = this.storage;
    if (!s) return nothing;
    const used = s.total_bytes - s.free_bytes;
    const percent = s.total_bytes ? Math.round((used / s.total_bytes) * 100) : 0;
    return html`<div class="panel storage" data-state=${s.state}>
      <h2>Storage</h2>
      <p><label for="storage-meter">Data disk: ${gib(used)} of ${gib(s.total_bytes)} used (${percent}%)</label>
        <meter id="storage-meter" min="0" max=${s.total_bytes} low=${s.total_bytes - 2 * s.reserve_bytes}
          high=${s.total_bytes - s.reserve_bytes} optimum="0" .value=${used}></meter></p>
      <p class="meta">Photos, videos and documents: ${gib(s.media_bytes)}. ${gib(s.reserve_bytes)} is kept free for the journal itself.</p>
      ${s.state === 'full'
        ? html`<p class="warning" role="alert">The box is full: it refuses new photos and videos until space is freed. Ask IT support to move the box to a larger card or disk.</p>`
        : s.state === 'low'
          ? html`<p class="warning">Space is running low: ${gib(Math.max(0, s.free_bytes - s.reserve_bytes))} left for photos and videos. Plan a larger card or disk with IT support.</p>`
          : nothing}
    </div>`;
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
      ${this.storagePanel()}
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
