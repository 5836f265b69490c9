import { html, nothing, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { api, type Session } from '../api';
import { humanMomentInText } from '../dates';
import { bdi, FormView, LightElement, pageTitle } from '../base';
import { enrolDevice, registeredDevice, type RegisteredDevice } from '../device';
import type { Child } from '../journal';
import '../lightbox';
import type { Lightbox, LightboxItem } from '../lightbox';
import { describeMedia, lightboxItems, mediaSize, mediaUrl, viewableMedia, type MediaItem } from '../media';
import { qrCode } from '../qr';
import './box-address';
import '../copy-code';
import '../media';

interface Device {
  id: string;
  name: string;
  room_id: string | null;
  state: 'pending' | 'active' | 'revoked';
  enrolled_at: string | null;
  enrolment_expires_at: string | null;
  revoked_at: string | null;
  revoked_reason: string;
  revoked_note: string;
  alert: boolean;
  last_seen_at: string | null;
  last_user_name: string | null;
  last_address: string | null;
  has_certificate: boolean;
}

interface Certificate {
  device: Device;
  certificate: { pkcs12_base64: string; password: string; expires_at: string };
}

interface Enrolment {
  device: Device;
  enrolment: { code: string; expires_at: string };
}

// /enrol: a manager's code (typed, or from the QR code) registers this tablet.
@customElement('nb-enrol-view')
export class EnrolView extends FormView {
  @state() private device: RegisteredDevice | null = null;
  @state() private done = false;
  protected fieldPrefix = 'enrol';

  connectedCallback(): void {
    super.connectedCallback();
    void registeredDevice().then((d) => { this.device = d; });
  }

  private codeFromAddress(): string {
    return new URLSearchParams(window.location.hash.slice(1)).get('code') ?? '';
  }

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    await this.run(async () => {
      const code = this.value('code');
      if (!/^[A-Za-z0-9 -]{16,24}$/.test(code)) this.fail('code', 'Type the code as the manager’s screen shows it, e.g. ABCD-EFGH-JKMN-PQRS.');
      this.device = await enrolDevice(code);
      this.done = true;
      history.replaceState(null, '', '/enrol');  // the code is used up; keep it out of history
    });
  }

  render() {
    pageTitle('Register this tablet');
    const homeScreen = html`<p class="warning"><strong>Add Nestbox to the Home Screen</strong> (Share, then “Add to Home
      Screen” on an iPad). Safari forgets a site’s key after seven days without use unless the app is on the Home
      Screen; then a manager has to register the tablet again.</p>`;
    if (this.done && this.device) {
      return html`<section class="panel narrow"><h1>Tablet registered</h1>
        <p role="status">This tablet is registered as <strong>${bdi(this.device.name)}</strong>. Staff can now sign in here.</p>
        ${homeScreen}
        <p><a class="button primary" href="/sign-in">Sign in</a></p></section>`;
    }
    return html`<section class="panel narrow"><h1>Register this tablet</h1>
      <p>Staff record only on the setting’s own tablets. A manager registers a tablet under “Devices” and gives you a
        one-time code (it lasts 10 minutes). The tablet keeps a key that cannot be copied off it.</p>
      ${this.device ? html`<p class="meta">This browser is already registered as <strong>${bdi(this.device.name)}</strong>.
        A new code registers it again with a new key.</p>` : nothing}
      <form @submit=${this.submit} novalidate>
        ${this.formFeedback()}
        ${this.field('code', 'Enrolment code', { required: true, value: this.codeFromAddress(), autocomplete: 'off',
          hint: 'Four groups of four letters and digits.' })}
        ${this.submitButton('Register this tablet', 'Registering…')}
      </form>
      ${homeScreen}</section>`;
  }
}

const WHAT = [
  { value: 'lost', label: 'Lost' },
  { value: 'stolen', label: 'Stolen' },
  { value: 'damaged', label: 'Damaged' },
];

function roomOptions(rooms: Map<string, string>) {
  return [{ value: '', label: 'No room' }, ...[...rooms].map(([value, label]) => ({ value, label }))];
}

// Renaming one tablet: its own form, so the box's answer about the name (a name another tablet
// has: 409 name_taken, field "name") lands beside this name field, not the register form's.
@customElement('nb-device-rename')
export class DeviceRename extends FormView {
  @property({ attribute: false }) device!: Device;
  @property({ attribute: false }) rooms = new Map<string, string>();
  protected fieldPrefix = 'rename';

  private async save(event: Event): Promise<void> {
    event.preventDefault();
    const done = await this.run(async () => {
      const name = this.value('name');
      if (!name) this.fail('name', 'Name the tablet so staff know which one it is.');
      await api('PATCH', `/devices/${this.device.id}`, { name, room_id: this.value('room_id') });
    });
    if (done) this.dispatchEvent(new CustomEvent('device-saved', { bubbles: true }));
  }

  render() {
    const d = this.device;
    return html`<form class="panel" @submit=${this.save} novalidate aria-label="Rename ${d.name}">
      ${this.formFeedback()}
      ${this.field('name', 'Name', { required: true, value: d.name, maxlength: 80, hint: 'Each tablet has its own name.' })}
      ${this.field('room_id', 'Room', { value: d.room_id ?? '', options: roomOptions(this.rooms) })}
      <div class="actions"><button type="submit" class="primary" ?disabled=${this.busy}>Save</button>
        <button type="button" @click=${() => this.dispatchEvent(new CustomEvent('device-cancel', { bubbles: true }))}>Cancel</button></div>
    </form>`;
  }
}

type Confirming = { device: Device; action: 're-enrol' | 'certificate' };

// /devices: the setting's tablets. Everyone on the staff can report one lost, stolen or
// damaged (it is revoked at once); managers register, rename, re-enrol and see alerts. What
// cannot be undone sits behind "More…" and asks first (issue 16); the network's details are on
// the IT details page.
@customElement('nb-devices-view')
export class DevicesView extends FormView {
  @property({ attribute: false }) session!: Session;
  @state() private devices: Device[] | null = null;
  @state() private rooms = new Map<string, string>();
  @state() private issued: Enrolment | null = null;
  @state() private reporting: Device | null = null;
  @state() private renaming: Device | null = null;
  @state() private confirming: Confirming | null = null;
  @state() private certificate: { name: string; url: string; file: string; password: string; expires: string } | null = null;
  // From the managers' to-do (issue 32): /devices?not_seen=true lists the tablets not seen for 7 days.
  @state() private notSeen = new URLSearchParams(window.location.search).get('not_seen') === 'true';
  protected fieldPrefix = 'devices';

  private get manager(): boolean {
    return this.session.user.role === 'manager';
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.run(async () => {
      this.rooms = new Map((await api<{ rooms: { id: string; name: string }[] }>('GET', '/rooms')).rooms.map((r) => [r.id, r.name]));
      await this.load();
    });
  }

  private async load(): Promise<void> {
    const filtered = this.notSeen && this.manager;
    this.devices = (await api<{ devices: Device[] }>('GET', filtered ? '/devices?not_seen=true' : '/devices')).devices;
  }

  private showAll(): void {
    this.notSeen = false;
    window.history.replaceState(window.history.state, '', window.location.pathname);
    void this.run(() => this.load());
  }

  // One open action at a time; the "More…" menu it came from closes.
  private open(event: Event, what: { reporting?: Device; renaming?: Device; confirming?: Confirming }): void {
    const menu = (event.target as Element).closest('details');
    if (menu) menu.open = false;
    this.errors = {};  // an earlier problem with another form is no longer the point
    this.formError = '';
    this.reporting = what.reporting ?? null;
    this.renaming = what.renaming ?? null;
    this.confirming = what.confirming ?? null;
    // After the form (a child element for renaming) has rendered.
    this.updateComplete.then(() => setTimeout(() =>
      this.querySelector<HTMLElement>('.card-action input, .card-action select, .card-action button')?.focus(), 0));
  }

  private async register(event: Event): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    await this.run(async () => {
      const name = this.value('name');
      if (!name) this.fail('name', 'Name the tablet so staff know which one it is, e.g. “Blue room iPad 2”.');
      const room = this.value('room_id');
      this.issued = await api<Enrolment>('POST', '/devices', { name, ...(room ? { room_id: room } : {}) });
      form.reset();
      await this.load();
    });
  }

  private async reEnrol(d: Device): Promise<void> {
    this.confirming = null;
    await this.run(async () => {
      this.issued = await api<Enrolment>('POST', `/devices/${d.id}/re-enrol`, {});
      await this.load();
    });
  }

  // The MDM tier: a client certificate bundle for the setting's device-management system.
  private async issueCertificate(d: Device): Promise<void> {
    this.confirming = null;
    await this.run(async () => {
      const issued = await api<Certificate>('POST', `/devices/${d.id}/certificate`, {});
      const bytes = Uint8Array.from(atob(issued.certificate.pkcs12_base64), (c) => c.charCodeAt(0));
      if (this.certificate) URL.revokeObjectURL(this.certificate.url);
      this.certificate = {
        name: d.name, url: URL.createObjectURL(new Blob([bytes], { type: 'application/x-pkcs12' })),
        file: `${d.name.replace(/[^A-Za-z0-9]+/g, '-')}.p12`, password: issued.certificate.password,
        expires: issued.certificate.expires_at,
      };
      await this.load();
    });
  }

  private certificatePanel(): TemplateResult | typeof nothing {
    const c = this.certificate;
    if (!c) return nothing;
    return html`<div class="panel enrolment" role="status">
      <h2>MDM certificate for ${bdi(c.name)}</h2>
      <p>Give this file to your device-management system to install on the tablet, with the password below. The tablet
        then counts as registered without the browser key. It lasts until ${humanMomentInText(c.expires)}; issuing another or
        reporting the tablet lost stops it working.</p>
      <p><a class="button" href=${c.url} download=${c.file}>Download ${c.file}</a></p>
      <p>Password (shown once):</p>
      <nb-copy-code .code=${c.password} label="certificate password" code-class="code"></nb-copy-code>
      <div class="actions"><button type="button" @click=${() => { URL.revokeObjectURL(c.url); this.certificate = null; }}>Done</button></div>
    </div>`;
  }

  private async acknowledge(d: Device): Promise<void> {
    const done = await this.run(async () => {
      await api('POST', `/devices/${d.id}/acknowledge`, {});
      await this.load();
    });
    if (done) this.notice = html`Alert for ${bdi(d.name)} acknowledged.`;
  }

  private async renamed(): Promise<void> {
    this.renaming = null;
    const done = await this.run(() => this.load());
    if (done) this.notice = 'Saved.';
  }

  private async report(event: Event): Promise<void> {
    event.preventDefault();
    const d = this.reporting!;
    const what = this.value('what');
    const done = await this.run(async () => {
      await api('POST', `/devices/${d.id}/report`, { what, note: this.value('note') });
      await this.load();
    });
    if (done) {
      this.reporting = null;
      this.notice = html`${bdi(d.name)} is revoked: it is signed out, its unfinished uploads are discarded, and managers are alerted.`;
    }
  }

  private enrolmentPanel(): TemplateResult | typeof nothing {
    const e = this.issued;
    if (!e) return nothing;
    const address = `${window.location.origin}/enrol#code=${e.enrolment.code}`;
    return html`<div class="panel enrolment" role="status">
      <h2>Enrolment code for ${bdi(e.device.name)}</h2>
      <p>On the tablet, open <strong class="address-inline">${window.location.origin}/enrol</strong> and type the code, or scan
        the QR code with the tablet’s camera. The code works once, until ${humanMomentInText(e.enrolment.expires_at)} (10 minutes).</p>
      <nb-copy-code .code=${e.enrolment.code} label="enrolment code" code-class="code" data-testid="enrolment-code"></nb-copy-code>
      ${qrCode(address, 'QR code for the enrolment address')}
      <p class="hint">Then add Nestbox to the tablet’s Home Screen, so the tablet keeps its key.</p>
      <button type="button" @click=${() => { this.issued = null; }}>Done</button>
    </div>`;
  }

  private confirmPanel(d: Device): TemplateResult | typeof nothing {
    const c = this.confirming;
    if (!c || c.device !== d) return nothing;
    const cancel = html`<button type="button" @click=${() => { this.confirming = null; }}>Cancel</button>`;
    if (c.action === 're-enrol') {
      return html`<div class="panel card-action confirm" role="group" aria-label="Re-enrol ${d.name}?">
        <p><strong>Re-enrol ${bdi(d.name)}?</strong> Its key stops working now: whoever is signed in on it is signed out.
          You get a new code to register it again (it lasts 10 minutes).</p>
        <div class="actions"><button type="button" class="danger" ?disabled=${this.busy} @click=${() => this.reEnrol(d)}>Yes, re-enrol</button>${cancel}</div>
      </div>`;
    }
    return html`<div class="panel card-action confirm" role="group" aria-label="New MDM certificate for ${d.name}?">
      <p><strong>Issue a new MDM certificate for ${bdi(d.name)}?</strong> The certificate it has now stops working.</p>
      <div class="actions"><button type="button" class="danger" ?disabled=${this.busy} @click=${() => this.issueCertificate(d)}>Yes, issue a new one</button>${cancel}</div>
    </div>`;
  }

  // "More…": what is rarely needed, or cannot be undone, folded away from the card.
  private moreMenu(d: Device): TemplateResult | typeof nothing {
    const items: TemplateResult[] = [];
    if (this.manager && d.state !== 'revoked') {
      items.push(html`<li><button type="button" @click=${(e: Event) => (d.has_certificate
        ? this.open(e, { confirming: { device: d, action: 'certificate' } })
        : (this.open(e, {}), this.issueCertificate(d)))}>MDM certificate…</button></li>`);
    }
    if (this.manager && d.state === 'active') {
      items.push(html`<li><button type="button" @click=${(e: Event) => this.open(e, { confirming: { device: d, action: 're-enrol' } })}>Re-enrol…</button></li>`);
    }
    if (d.state !== 'revoked') {
      items.push(html`<li><button type="button" class="danger" @click=${(e: Event) => this.open(e, { reporting: d })}>Report lost, stolen or damaged…</button></li>`);
    }
    if (!items.length) return nothing;
    return html`<details class="more">
      <summary>More…<span class="visually-hidden"> for ${d.name}</span></summary>
      <ul class="more-menu">${items}</ul>
    </details>`;
  }

  private card(d: Device): TemplateResult {
    const state = d.state === 'revoked' ? `Revoked (${d.revoked_reason})` : d.state === 'pending' ? 'Waiting for enrolment' : 'Active';
    return html`<li class=${d.alert ? 'alert' : ''}>
      <div class="card-head"><span class="card-title" dir="auto">${d.name}</span><span class="tag ${d.state}">${state}</span></div>
      <p class="meta">${d.room_id ? this.rooms.get(d.room_id) ?? '' : 'No room'}
        · last seen ${d.last_seen_at ? humanMomentInText(d.last_seen_at) : 'never'}
        ${d.last_user_name ? html` · last used by ${d.last_user_name}` : nothing}</p>
      ${d.state === 'revoked' && d.revoked_note ? html`<p>“${d.revoked_note}”</p>` : nothing}
      ${d.alert ? html`<p class="warning" role="alert">Reported ${d.revoked_reason} ${d.revoked_at ? humanMomentInText(d.revoked_at) : ''}.
        ${this.manager ? 'The report is in the audit log.' : 'Managers have been alerted.'}</p>` : nothing}
      <div class="actions">
        ${this.manager ? html`
          <button type="button" @click=${(e: Event) => this.open(e, { renaming: d })} aria-label="Rename ${d.name}">Rename</button>
          ${d.state !== 'active' ? html`<button type="button" @click=${() => this.reEnrol(d)}
            aria-label="${d.state === 'pending' ? 'New enrolment code' : 'Re-enrol'} for ${d.name}">${d.state === 'pending' ? 'New enrolment code' : 'Re-enrol'}</button>` : nothing}
          ${d.alert ? html`<button type="button" @click=${() => this.acknowledge(d)}>Acknowledge alert</button>` : nothing}` : nothing}
        ${this.moreMenu(d)}
      </div>
      ${this.confirmPanel(d)}
      ${this.reporting === d ? html`<form class="panel card-action" @submit=${this.report} novalidate aria-label="Report ${d.name}">
        <p><strong>${bdi(d.name)} will be revoked at once:</strong> whoever is signed in on it is signed out, uploads it has
          not finished are discarded, and it cannot sign in again until a manager re-enrols it.</p>
        ${this.field('what', 'What happened?', { options: WHAT, required: true })}
        ${this.field('note', 'Where and when (for the report)', { maxlength: 2000 })}
        <div class="actions"><button type="submit" class="danger" ?disabled=${this.busy}>Revoke ${d.name}</button>
          <button type="button" @click=${() => { this.reporting = null; }}>Cancel</button></div>
      </form>` : nothing}
      ${this.renaming === d ? html`<nb-device-rename class="card-action" .device=${d} .rooms=${this.rooms}
        @device-saved=${() => this.renamed()} @device-cancel=${() => { this.renaming = null; }}></nb-device-rename>` : nothing}
    </li>`;
  }

  render() {
    pageTitle('Devices');
    const alerts = this.devices?.filter((d) => d.alert).length ?? 0;
    return html`<section>
      <h1>Devices</h1>
      <p class="lead">Staff record only on these tablets, on the setting’s secure network. If one is lost, stolen or
        damaged, report it straight away: “More…” on the tablet, then “Report lost, stolen or damaged”.</p>
      ${alerts && this.manager ? html`<p class="warning" role="alert">${alerts} device report${alerts === 1 ? '' : 's'} to acknowledge.</p>` : nothing}
      ${this.formFeedback()}
      ${this.enrolmentPanel()}
      ${this.certificatePanel()}
      ${this.manager ? html`<form class="panel" @submit=${this.register} novalidate aria-labelledby="register-title">
        <h2 id="register-title">Register a tablet</h2>
        ${this.field('name', 'Name', { required: true, maxlength: 80, hint: 'What staff call it, e.g. “Blue room iPad 2”. Each tablet has its own name.' })}
        ${this.field('room_id', 'Room', { options: roomOptions(this.rooms) })}
        ${this.submitButton('Get an enrolment code', 'Creating…')}
      </form>` : nothing}
      ${this.notSeen && this.manager ? html`<div class="panel todo-filter" data-needs="not_seen">
        <p><strong>Tablets not seen for 7 days</strong>${this.devices ? ` (${this.devices.length})` : ''}: from your to-do list.
          Find each one; if it is lost, report it so it is revoked.</p>
        <div class="actions"><button type="button" @click=${this.showAll}>Show every device</button></div></div>` : nothing}
      ${this.devices === null ? html`<p role="status">Loading…</p>`
        : this.devices.length === 0 && this.notSeen && this.manager ? html`<div class="empty"><p>None left: every tablet was seen this week.</p></div>`
        : this.devices.length === 0 ? html`<div class="empty"><p>No tablets yet.${this.manager ? ' Register the first one above.' : ' A manager registers them.'}</p></div>`
        : html`<ul class="cards" aria-label="Devices">${this.devices.map((d) => this.card(d))}</ul>`}
      <nb-box-address ?it-link=${this.manager}></nb-box-address>
    </section>`;
  }
}

// Child view (policy 000): one child's journal on the tablet, read-only, with big touch
// targets; nothing else is reachable (the box refuses every other request) and leaving
// needs the PIN of the member of staff who opened it. Made for a four-year-old (issue 22):
// big pictures and few words — each entry a large photo with its short title; a tap opens
// the photo full screen, where a swipe goes through all of them.
@customElement('nb-child-view')
export class ChildView extends FormView {
  @state() private child: { id: string; first_name: string } | null = null;
  @state() private entries: Array<{ id: string; title: string; body: string; observed_on: string; media?: MediaItem[] }> = [];
  @state() private leaving = false;
  @query('nb-lightbox') private lightbox?: Lightbox;
  protected fieldPrefix = 'childview';

  connectedCallback(): void {
    super.connectedCallback();
    void this.run(async () => {
      const page = await api<{ child: { id: string; first_name: string }; entries: ChildView['entries'] }>('GET', '/child-view');
      this.child = page.child;
      this.entries = page.entries;
    });
  }

  private async leave(event: Event): Promise<void> {
    event.preventDefault();
    await this.run(async () => {
      const pin = this.rawValue('pin');
      if (!pin) this.fail('pin', 'A member of staff enters their PIN to leave child view.');
      await api('POST', '/child-view/leave', { pin });
      this.dispatchEvent(new CustomEvent('child-view-left', { bubbles: true, composed: true }));
    });
  }

  // One tile per entry: its first photo (or video poster) big, with how many more it has.
  private tile(e: ChildView['entries'][number], first: number, people: Map<string, Child>) {
    const shown = viewableMedia(e.media ?? []);
    const m = shown[0];
    const label = m ? describeMedia(m, people) : '';
    const size = m ? mediaSize(m, 1600) : null;
    return html`<li class="child-tile">
      ${m ? html`<div class="child-photo-box"><button type="button" class="child-photo" data-id=${m.id} aria-label="Open ${label}"
          @click=${(ev: Event) => this.lightbox?.show(first, ev.currentTarget as HTMLElement)}>
          <img src=${mediaUrl(m.id, 'thumbnail')} alt=${label} width=${size!.width} height=${size!.height} loading="lazy"
            srcset="${mediaUrl(m.id, 'thumbnail')} ${mediaSize(m, 400).width}w, ${mediaUrl(m.id, 'display')} ${size!.width}w"
            sizes="(min-width: 40rem) 50vw, 100vw">
          ${m.kind === 'video' ? html`<span class="play-badge" aria-hidden="true">▶ Video</span>` : nothing}
        </button>
        ${shown.length > 1 ? html`<span class="photo-count">${shown.length} photos</span>` : nothing}</div>`
        : html`<div class="child-photo no-photo" aria-hidden="true"></div>`}
      <h2 dir="auto">${e.title}</h2>
    </li>`;
  }

  render() {
    const name = this.child?.first_name ?? '';
    pageTitle(name ? `${name}’s journal` : 'Child view');
    const people = new Map<string, Child>(this.child ? [[this.child.id, this.child as Child]] : []);
    // Every photo of the journal, in order, for the full-screen viewer; each tile opens it at its own.
    const items: LightboxItem[] = [];
    const firsts = this.entries.map((e) => {
      const at = items.length;
      items.push(...lightboxItems(e.media ?? [], people, e.title));
      return at;
    });
    return html`<section class="child-view">
      <h1>${name ? html`${bdi(name)}’s journal` : 'Child view'}</h1>
      ${this.leaving ? nothing : this.formFeedback()}
      ${this.entries.length === 0 && this.child ? html`<div class="empty"><p>Nothing in ${bdi(name)}’s journal yet.</p></div>` : nothing}
      ${this.entries.length ? html`<ul class="child-tiles" aria-label="Pictures">${this.entries.map((e, i) => this.tile(e, firsts[i], people))}</ul>` : nothing}
      <nb-lightbox .items=${items}
        .focusTarget=${(item: LightboxItem) => this.querySelector<HTMLElement>(`.child-photo[data-id="${item.id}"]`)}></nb-lightbox>
      ${this.leaving
        ? html`<form class="panel narrow" @submit=${this.leave} novalidate aria-labelledby="leave-title">
            <h2 id="leave-title">Leave child view</h2>
            ${this.formFeedback()}
            ${this.field('pin', 'Staff PIN', { type: 'password', inputmode: 'numeric', required: true, maxlength: 8 })}
            <div class="actions"><button type="submit" class="primary" ?disabled=${this.busy}>Leave</button>
              <button type="button" @click=${() => { this.leaving = false; }}>Stay</button></div>
          </form>`
        : html`<div class="actions"><button type="button" class="leave-child-view" @click=${() => { this.leaving = true; }}>Staff: leave child view</button></div>`}
    </section>`;
  }
}

// A button on a staff screen that turns the tablet into one child's view.
@customElement('nb-child-view-button')
export class ChildViewButton extends LightElement {
  @property({ attribute: false }) child!: Child;

  private async open(): Promise<void> {
    await api('POST', '/child-view', { child_id: this.child.id });
    this.dispatchEvent(new CustomEvent('child-view-entered', { bubbles: true, composed: true }));
  }

  render() {
    return html`<button type="button" @click=${() => this.open()} aria-label="Open child view for ${this.child.first_name}">Child view</button>`;
  }
}
