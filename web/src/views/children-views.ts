import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, type Session, type User } from '../api';
import { humanDay, humanMoment, humanMomentDay, humanMomentInText } from '../dates';
import { bdi, FormView, pageTitle } from '../base';
import { takeFlash } from '../flash';
import { listOf, type Child } from '../journal';
import { leavingTag } from '../leaving';
import { afterErasure, erasurePanel, erasureRequestBanner, erasureRequests, type ErasureRequest } from './child-erasure';
import type { Erasure } from './erasure-dialog';
import type { ExportTarget } from './export-panel';
import './export-panel';
import './leaving-panel';
import { INVITATION_STATE, invitationLetter, type Invitation } from './invitation-views';
import { confirmAction } from './confirm-dialog';

interface Room { id: string; name: string; release_mode: string }
interface Release { at: string; at_unix: number; kind: string }
interface Consent { own_journal_photos: boolean; other_journals: boolean; online_journal_opt_out: boolean; note: string; recorded_at: string | null }

// A release date as its day ("Tue 12 Feb 2027"): a date set ahead opens at the start of that
// day in the setting's zone; an early release says its time too.
function releaseWhen(at: string): string {
  const moment = humanMomentInText(at);
  return moment.endsWith(', 00:00') ? humanMomentDay(at) : moment;
}

// Staff: every child, or only my key children.
@customElement('nb-staff-children-view')
export class StaffChildrenView extends FormView {
  @property({ attribute: false }) session!: Session;
  @state() private kids: Child[] | null = null;
  @state() private rooms = new Map<string, string>();
  @state() private mine = false;

  connectedCallback(): void {
    super.connectedCallback();
    void this.run(async () => {
      this.rooms = new Map((await api<{ rooms: Room[] }>('GET', '/rooms')).rooms.map((r) => [r.id, r.name]));
      await this.load();
    });
  }

  private async load(): Promise<void> {
    this.kids = (await api<{ children: Child[] }>('GET', `/children${this.mine ? '?mine=true' : ''}`)).children;
  }

  render() {
    pageTitle('Children');
    return html`<section>
      <h1>Children</h1>
      <p class="lead">All staff may record for any child.</p>
      <div class="field field-check"><input type="checkbox" id="children-mine" ?checked=${this.mine}
        @change=${(e: Event) => { this.mine = (e.target as HTMLInputElement).checked; void this.run(() => this.load()); }}>
        <label for="children-mine">Only my key children</label></div>
      ${this.formFeedback()}
      ${this.kids === null ? html`<p role="status">Loading…</p>`
        : this.kids.length === 0 ? html`<div class="empty"><p>${this.mine ? 'You are not anyone’s key person yet. A manager sets key people.' : 'No children yet. A manager adds them.'}</p></div>`
        : html`<ul class="cards" aria-label="Children">${this.kids.map((c) => html`<li>
            <div class="card-head"><a class="card-title" href="/staff/journal?child=${c.id}" dir="auto">${c.first_name} ${c.last_name}</a>${leavingTag(c)}<span dir="auto">${this.rooms.get(c.room_id) ?? ''}</span></div>
            <p class="meta">Born ${humanDay(c.date_of_birth)}${c.left_on ? ` · left ${humanDay(c.left_on)}` : ''}</p>
            ${this.session.device_id ? html`<nb-child-view-button .child=${c}></nb-child-view-button>` : nothing}</li>`)}</ul>`}
    </section>`;
  }
}

// The to-do's filtered lists of children (issue 32), filtered by the box (GET /children?needs=…).
const NEEDS_LABEL: Record<string, string> = {
  consent: 'Children without consent recorded',
  parent: 'Children with no parent attached or invited',
  observation: 'Children not observed for 14 days',
};

// Managers: rooms with their release schedules, and the children.
@customElement('nb-manage-children-view')
export class ManageChildrenView extends FormView {
  @state() private rooms: Room[] = [];
  @state() private releases = new Map<string, Release[]>();
  @state() private kids: Child[] | null = null;
  @state() private staff: User[] = [];
  // From the home's to-do: /manage/children?needs=consent, or ?needs=observation&key_person=…
  @state() private needs = new URLSearchParams(window.location.search).get('needs') ?? '';
  @state() private keyPerson = new URLSearchParams(window.location.search).get('key_person') ?? '';
  protected fieldPrefix = 'manage';

  connectedCallback(): void {
    super.connectedCallback();
    // After an erasure the manager lands here, with a message that names no one.
    const flash = takeFlash();
    void this.run(() => this.load()).then(() => { if (flash) this.notice = flash; });
  }

  private async load(): Promise<void> {
    this.rooms = (await api<{ rooms: Room[] }>('GET', '/rooms')).rooms;
    const releases = new Map<string, Release[]>();
    for (const r of this.rooms) {
      if (r.release_mode === 'scheduled') releases.set(r.id, (await api<{ releases: Release[] }>('GET', `/rooms/${r.id}/releases`)).releases);
    }
    this.releases = releases;
    this.kids = (await api<{ children: Child[] }>('GET', `/children?${this.childQuery()}`)).children;
    this.staff = (await api<{ users: User[] }>('GET', '/users?active=true')).users.filter((u) => u.role !== 'parent');
  }

  private childQuery(): URLSearchParams {
    if (!(this.needs in NEEDS_LABEL)) return new URLSearchParams({ include_left: 'true' });
    const q = new URLSearchParams({ needs: this.needs });
    if (this.keyPerson) q.set('key_person', this.keyPerson);
    return q;
  }

  private filtered(): boolean { return this.needs in NEEDS_LABEL; }

  private filterPanel() {
    if (!this.filtered()) return nothing;
    const who = this.keyPerson === 'none' ? ' without a key person'
      : this.keyPerson ? html` whose key person is ${bdi(this.staff.find((u) => u.id === this.keyPerson)?.display_name ?? 'someone who has left')}` : '';
    return html`<div class="panel todo-filter" data-needs=${this.needs}>
      <p><strong>${NEEDS_LABEL[this.needs]}</strong>${who}${this.kids ? ` (${this.kids.length})` : ''}: from your to-do list.</p>
      <div class="actions"><button type="button" @click=${this.showAll}>Show every child</button></div></div>`;
  }

  private showAll(): void {
    this.needs = '';
    this.keyPerson = '';
    window.history.replaceState(window.history.state, '', window.location.pathname);
    void this.run(() => this.load());
  }

  private async addRoom(event: Event): Promise<void> {
    event.preventDefault();
    const done = await this.run(async () => {
      await api('POST', '/rooms', { name: this.value('name'), release_mode: this.value('release_mode') });
      await this.load();
    });
    if (done) { (event.target as HTMLFormElement).reset(); this.notice = 'Room added.'; }
  }

  private async schedule(room: Room): Promise<void> {
    const done = await this.run(async () => {
      const date = this.value(`release-${room.id}`);
      if (!date) this.fail(`release-${room.id}`, 'Choose a date.');
      await api('POST', `/rooms/${room.id}/releases`, { at: `${date}T15:00:00Z` });
      await this.load();
    });
    if (done) this.notice = html`Release date added for ${bdi(room.name)}.`;
  }

  private async releaseNow(room: Room): Promise<void> {
    // Issue 32: never by accident. What it does, named, before it is done.
    const sure = await confirmAction({
      title: `Release ${room.name} now?`,
      consequence: `Every entry in ${room.name}’s journal that is waiting for the next release date becomes visible to the room’s families at once. This cannot be undone.`,
      confirmLabel: `Release ${room.name} now`,
    });
    if (!sure) return;
    const done = await this.run(async () => { await api('POST', `/rooms/${room.id}/release-now`, {}); await this.load(); });
    if (done) this.notice = html`${bdi(room.name)}: everything in the journal is now visible to its families.`;
  }

  private async addChild(event: Event): Promise<void> {
    event.preventDefault();
    const done = await this.run(async () => {
      const body: Record<string, string> = {
        first_name: this.value('first_name'), last_name: this.value('last_name'), date_of_birth: this.value('date_of_birth'),
        room_id: this.value('room_id'), started_on: this.value('started_on'),
      };
      if (this.value('key_person_id')) body.key_person_id = this.value('key_person_id');
      await api('POST', '/children', body);
      await this.load();
    });
    if (done) { (event.target as HTMLFormElement).reset(); this.notice = 'Child added. Now invite their family and record the consent form.'; }
  }

  // Every leaver of a room in one zip (issue 20): a folder per child with a leaving date.
  private leaversPanel() {
    const targets: ExportTarget[] = this.rooms.map((r) => {
      const leavers = (this.kids ?? []).filter((c) => c.room_id === r.id && c.left_on);
      return leavers.length
        ? { label: `Export all leavers of ${r.name}`, roomId: r.id,
            note: html`${leavers.length === 1 ? '1 child' : `${leavers.length} children`} with a leaving date:
              ${listOf(leavers.map((c) => bdi(`${c.first_name} ${c.last_name}`)))}.` }
        : { label: `Export all leavers of ${r.name}`, roomId: r.id,
            disabled: html`${bdi(r.name)}: no child has a leaving date yet.` };
    });
    return html`<nb-export-panel heading="Leavers’ journals" heading-id="leavers-export-title" .targets=${targets}
      .listHeading=${'Leavers’ exports'}
      .explanation=${html`<p>Each child who leaves takes their journal with them. One zip holds a folder for every child of the
        room with a leaving date: an offline web page of the journal, a PDF and the original photos and videos. It opens without
        Nestbox, so a family can keep their child’s folder on a USB stick or a computer.</p>
        <p class="meta">Set a child’s leaving date on their page. Only you can download the zip, for 7 days.</p>`}></nb-export-panel>`;
  }

  render() {
    pageTitle('Rooms and children');
    const roomName = new Map(this.rooms.map((r) => [r.id, r.name]));
    return html`<section>
      <h1>Rooms and children</h1>
      ${this.formFeedback()}
      <h2>Rooms</h2>
      ${this.rooms.length === 0 ? html`<div class="empty"><p>No rooms yet. Add your first room below, e.g. Nursery.</p></div>` : html`<ul class="cards" aria-label="Rooms">${this.rooms.map((r) => html`<li>
        <div class="card-head"><span class="card-title" dir="auto">${r.name}</span><span>${r.release_mode === 'live' ? 'Live: families see entries at once' : 'Released on set dates'}</span></div>
        ${r.release_mode === 'scheduled' ? html`<p class="meta">Release dates: ${(this.releases.get(r.id) ?? []).map((p) => `${releaseWhen(p.at)}${p.kind === 'early' ? ' (early)' : ''}`).join(', ') || 'none yet'}</p>
          <div class="inline-hide">${this.field(`release-${r.id}`, html`Add a release date for ${bdi(r.name)}`, { type: 'date' })}
            <button type="button" @click=${() => this.schedule(r)}>Add date</button></div>
          <details class="release-now"><summary>Release early</summary>
            <p class="meta">Families of ${bdi(r.name)} see everything waiting for the next release date at once.</p>
            <div class="actions"><button type="button" class="danger" ?disabled=${this.busy} @click=${() => this.releaseNow(r)}>Release ${r.name} now…</button></div>
          </details>` : nothing}
      </li>`)}</ul>`}
      <form class="panel" @submit=${this.addRoom} novalidate aria-label="Add a room">
        <div class="grid-2">${this.field('name', 'Room name', { required: true })}
        ${this.field('release_mode', 'Families see entries', { required: true, value: 'live', options: [{ value: 'live', label: 'At once (live)' }, { value: 'scheduled', label: 'On release dates (e.g. each half term)' }] })}</div>
        <div class="actions"><button type="submit" ?disabled=${this.busy}>Add room</button></div>
      </form>
      <h2 id="children-title">Children</h2>
      ${this.filterPanel()}
      ${this.kids === null ? html`<p role="status">Loading…</p>` : this.kids.length === 0 ? html`<div class="empty"><p>${this.filtered()
          ? 'None left: this is done.' : 'No children yet. Add a room first, then the children.'}</p></div>`
        : html`<ul class="cards" aria-label="Children">${this.kids.map((c) => html`<li><div class="card-head">
            <a class="card-title" href="/manage/children/${c.id}" dir="auto">${c.first_name} ${c.last_name}</a>${leavingTag(c)}<span dir="auto">${roomName.get(c.room_id) ?? ''}</span></div>
            ${c.left_on ? html`<p class="meta">Leaving date: ${humanDay(c.left_on)}</p>` : nothing}</li>`)}</ul>`}
      ${this.rooms.length ? html`<form class="panel" @submit=${this.addChild} novalidate aria-label="Add a child">
        <h3>Add a child</h3>
        <div class="grid-2">
          ${this.field('first_name', 'First name', { required: true })}
          ${this.field('last_name', 'Last name', { required: true })}
          ${this.field('date_of_birth', 'Date of birth', { type: 'date', required: true })}
          ${this.field('room_id', 'Room', { required: true, options: this.rooms.map((r) => ({ value: r.id, label: r.name })) })}
          ${this.field('started_on', 'Start date', { type: 'date', required: true })}
          ${this.field('key_person_id', 'Key person', { options: [{ value: '', label: 'Not yet chosen' }, ...this.staff.map((u) => ({ value: u.id, label: u.display_name }))] })}
        </div>
        ${this.submitButton('Add child', 'Adding…')}
      </form>` : nothing}
      ${this.rooms.length && this.kids?.length && !this.filtered() ? this.leaversPanel() : nothing}
    </section>`;
  }
}

// Managers: one child — who may see their journal, and the consent register with its history.
// A parent account is never chosen from a list: the family is invited with a printed letter
// whose one-time code is bound to this child (see invitation-views.ts).
@customElement('nb-manage-child-view')
export class ManageChildView extends FormView {
  @property() childId = '';
  @state() private child: Child | null = null;
  @state() private carers: User[] = [];
  @state() private invitations: Invitation[] = [];
  @state() private letter: { invitation: Invitation; settingName: string } | null = null;
  @state() private detaching: string | null = null;
  @state() private cancelling: string | null = null;
  @state() private consent: Consent | null = null;
  @state() private history: Consent[] = [];
  @state() private requests: ErasureRequest[] = [];
  @state() private erasing = false;
  protected fieldPrefix = 'child';

  connectedCallback(): void {
    super.connectedCallback();
    void this.run(() => this.load());
  }

  private async load(): Promise<void> {
    this.child = (await api<{ child: Child }>('GET', `/children/${this.childId}`)).child;
    this.carers = (await api<{ carers: User[] }>('GET', `/children/${this.childId}/carers`)).carers;
    this.invitations = (await api<{ invitations: Invitation[] }>('GET', `/children/${this.childId}/invitations`)).invitations;
    this.consent = (await api<{ consent: Consent }>('GET', `/children/${this.childId}/consent`)).consent;
    this.history = (await api<{ history: Consent[] }>('GET', `/children/${this.childId}/consent/history`)).history;
    this.requests = await erasureRequests().catch(() => []);  // the reviews screen lists them too
  }

  private openErasure = (): void => { this.erasing = true; };

  private closeErasure(): void {
    this.erasing = false;
    void this.updateComplete.then(() => this.querySelector<HTMLElement>('.erase-panel .erase-button')?.focus());
  }

  private async invite(): Promise<void> {
    await this.run(async () => {
      const settingName = (await api<{ setting: { name: string } }>('GET', '/settings')).setting.name;
      const { invitation } = await api<{ invitation: Invitation }>('POST', `/children/${this.childId}/invitations`, {});
      this.letter = { invitation, settingName };
    });
    if (this.letter) {
      await this.updateComplete;
      const heading = this.querySelector<HTMLElement>('#letter-title');
      if (heading) { heading.tabIndex = -1; heading.focus(); }
    }
  }

  private async closeLetter(): Promise<void> {
    const expires = this.letter?.invitation.expires_at;
    this.letter = null;
    const done = await this.run(() => this.load());
    if (done && expires) this.notice = `The invitation is open until ${humanMomentDay(expires)}. It is listed under “Invitations” below.`;
  }

  private async cancelInvitation(invitation: Invitation): Promise<void> {
    this.cancelling = null;
    const done = await this.run(async () => { await api('DELETE', `/invitations/${invitation.id}`); await this.load(); });
    if (done) this.notice = 'Invitation cancelled. Its code no longer works.';
  }

  private async detach(user: User): Promise<void> {
    this.detaching = null;
    const done = await this.run(async () => { await api('DELETE', `/children/${this.childId}/carers/${user.id}`); await this.load(); });
    if (done) this.notice = html`${bdi(user.display_name)} no longer sees this child’s journal.`;
  }

  private carersPanel(c: Child) {
    const name = bdi(c.first_name);
    const carer = (u: User) => html`<li>
      ${bdi(u.display_name)} (${bdi(u.username)})
      ${this.detaching === u.id
        ? html`<div class="actions"><p role="alert">Detach ${bdi(u.display_name)}? They stop seeing ${name}’s journal at once.</p>
            <button type="button" class="danger" @click=${() => this.detach(u)}>Yes, detach</button>
            <button type="button" @click=${() => { this.detaching = null; }}>Keep</button></div>`
        : html`<button type="button" class="danger" ?disabled=${this.busy} @click=${() => { this.detaching = u.id; this.cancelling = null; }}
            aria-label="Detach ${u.display_name}">Detach</button>`}</li>`;
    const invitation = (i: Invitation) => {
      const live = i.state === 'open' || i.state === 'waiting';
      return html`<li>
        <span class="tag ${i.state}">${INVITATION_STATE[i.state] ?? i.state}</span>
        Made ${humanMomentInText(i.created_at)}${i.state === 'open' ? html` · works until ${humanMomentInText(i.expires_at)}` : nothing}
        ${i.account ? html` · ${i.state === 'used' ? 'used by' : 'claimed by'} ${bdi(i.account.display_name)}` : nothing}
        ${i.used_at && i.state === 'used' ? html` (${humanMomentInText(i.used_at)})` : nothing}
        ${i.state === 'waiting' ? html` · <a href="/manage/invitations">Confirm or refuse the link</a>` : nothing}
        ${!live ? nothing : this.cancelling === i.id
          ? html`<div class="actions"><p role="alert">Cancel this invitation? Its code stops working at once, also on a printed letter.</p>
              <button type="button" class="danger" @click=${() => this.cancelInvitation(i)}>Yes, cancel it</button>
              <button type="button" @click=${() => { this.cancelling = null; }}>Keep it</button></div>`
          : html`<button type="button" class="danger" ?disabled=${this.busy} @click=${() => { this.cancelling = i.id; this.detaching = null; }}
              aria-label="Cancel the invitation made ${humanMomentInText(i.created_at)}">Cancel</button>`}
      </li>`;
    };
    return html`<div class="panel"><h2>Parents and carers</h2>
      <p class="meta">Only the accounts attached here see ${name}’s journal.</p>
      ${this.carers.length === 0 ? html`<p>No one yet.</p>` : html`<ul class="comments" aria-label="Attached accounts">${this.carers.map(carer)}</ul>`}
      <h3>Invite ${name}’s family</h3>
      <p>Print a letter with a one-time code for ${name} and hand it to the parent or carer in person. The code links
        their account to ${name} and to no other child. A parent who already has an account (for a brother or sister)
        can use it too; you then confirm the link under <a href="/manage/invitations">Links to confirm</a>.</p>
      <div class="actions"><button type="button" class="primary" ?disabled=${this.busy} @click=${this.invite}><span>Invite ${name}’s parent or carer</span></button></div>
      ${this.invitations.length ? html`<h3>Invitations</h3>
        <ul class="comments" aria-label="Invitations">${this.invitations.map(invitation)}</ul>` : nothing}
    </div>`;
  }

  private async saveConsent(event: Event): Promise<void> {
    event.preventDefault();
    const done = await this.run(async () => {
      await api('PUT', `/children/${this.childId}/consent`, {
        own_journal_photos: this.checked('own_journal_photos'), other_journals: this.checked('other_journals'),
        online_journal_opt_out: this.checked('online_journal_opt_out'), note: this.value('note'),
      });
      await this.load();
    });
    if (done) this.notice = 'Consent recorded.';
  }

  render() {
    const c = this.child;
    pageTitle(c ? `${c.first_name} ${c.last_name}` : 'Child');
    if (!c) return html`<section><h1>Child</h1>${this.formFeedback()}</section>`;
    if (this.letter) {
      pageTitle(`Invitation for ${c.first_name}’s family`);
      return invitationLetter(this.letter.settingName, c.first_name, this.letter.invitation, () => { void this.closeLetter(); });
    }
    const yesNo = (v: boolean) => (v ? 'yes' : 'no');
    return html`<section>
      <p><a href="/manage/children">← Rooms and children</a></p>
      <h1 dir="auto">${c.first_name} ${c.last_name}</h1>
      <p class="lead">Born ${humanDay(c.date_of_birth)}</p>
      ${erasureRequestBanner(this.requests, c, this.openErasure)}
      ${this.formFeedback()}
      ${this.carersPanel(c)}
      ${this.consent ? html`<form class="panel" @submit=${this.saveConsent} novalidate aria-label="Consent">
        <h2>Consent form</h2>
        ${this.field('own_journal_photos', html`Photos and videos of ${bdi(c.first_name)} in their own journal`, { type: 'checkbox', checked: this.consent.own_journal_photos })}
        ${this.field('other_journals', html`${bdi(c.first_name)} may appear in other children’s journals`, { type: 'checkbox', checked: this.consent.other_journals })}
        ${this.field('online_journal_opt_out', 'The family has opted out of the online journal', { type: 'checkbox', checked: this.consent.online_journal_opt_out, hint: 'Their account then sees nothing; offer them another way.' })}
        ${this.field('note', 'Note', { value: this.consent.note })}
        ${this.submitButton('Record consent', 'Recording…')}
        ${this.history.length ? html`<h3>History</h3><ul class="comments">${this.history.map((h) => html`<li>${h.recorded_at ? humanMoment(h.recorded_at) : ''}:
          own journal ${yesNo(h.own_journal_photos)}, other journals ${yesNo(h.other_journals)}, opted out ${yesNo(h.online_journal_opt_out)}${h.note ? html` — ${bdi(h.note)}` : ''}</li>`)}</ul>` : nothing}
      </form>` : nothing}
      <nb-leaving-panel .child=${c} @child-changed=${(e: CustomEvent<Child>) => { this.child = e.detail; }}></nb-leaving-panel>
      <nb-export-panel heading="Export the journal" heading-id="child-export-title" .listHeading=${'Exports of this journal'}
        .targets=${[{ label: 'Export journal', childId: c.id }]}
        .explanation=${html`<p>Everything in ${bdi(c.first_name)}’s journal in one zip file: an offline web page, a PDF and the
          original photos and videos. It opens without Nestbox: for a family without an account, or for the records when
          ${bdi(c.first_name)} leaves.</p>
          <p class="meta">Only you can download it, for 7 days.</p>`}></nb-export-panel>
      ${erasurePanel(c, this.openErasure)}
      ${this.erasing ? html`<nb-erasure-dialog .child=${c} @close=${this.closeErasure}
        @erased=${(e: CustomEvent<Erasure>) => { this.erasing = false; void afterErasure(e.detail); }}></nb-erasure-dialog>` : nothing}
    </section>`;
  }
}
