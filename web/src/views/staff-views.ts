import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError, type Session } from '../api';
import '../media';
import type { Consent, MediaUploader } from '../media';
import { bdi, FormView, pageTitle } from '../base';
import { navigate } from '../router';
import { humanDay, humanMoment, today } from '../dates';
import { asAFriend, aspectNames, childNames, KIND_LABEL, loadChildren, loadFramework, type Child, type Comment, type Entry, type Framework, type NamingWarning } from '../journal';
import './who-sees';

interface Room { id: string; name: string; release_mode: string }

// Staff read each child's consent to note it beside their name when tagging; which families
// will see a photo is the box's answer (GET /media/{id}/audience), not worked out here.
async function withConsents(known: Map<string, Consent>, children: Child[]): Promise<Map<string, Consent>> {
  const missing = children.filter((c) => !known.has(c.id));
  if (!missing.length) return known;
  const found = await Promise.all(missing.map((c) => api<{ consent: Consent }>('GET', `/children/${c.id}/consent`)));
  const next = new Map(known);
  missing.forEach((c, i) => next.set(c.id, found[i].consent));
  return next;
}

// A photo the box refused to save (no_photo_consent; its details name the item and children)
// is marked beside it; the form says where to look.
function placeMediaError(uploader: MediaUploader | null, error: unknown): never {
  if (uploader?.placeError(error)) {
    throw new ApiError(422, 'no_photo_consent', `${(error as Error).message} See the photo marked below.`);
  }
  throw error;
}
interface EntryVersion { version: number; edited_at: string; entry: { title: string } }

const STATUS_LABEL: Record<string, string> = { draft: 'Draft', staff_only: 'Staff only', journal: 'In the journal', pending: 'Waiting for approval', returned: 'Returned' };

// Staff and managers: every entry, filtered by child, status and kind; paged.
@customElement('nb-staff-journal-view')
export class StaffJournalView extends FormView {
  @property({ attribute: false }) session!: Session;
  @state() private kids = new Map<string, Child>();
  @state() private rooms: Room[] = [];
  @state() private framework: Framework | null = null;
  @state() private authors: Array<{ id: string; display_name: string }> = [];
  @state() private entries: Entry[] | null = null;
  @state() private next: string | null = null;
  // Managers reviewing (issue 32): the entries ticked to mark reviewed in one go.
  @state() private picked = new Set<string>();
  @state() private reviewing = false;  // the list shows entries awaiting review
  protected fieldPrefix = 'filter';

  connectedCallback(): void {
    super.connectedCallback();
    void this.run(async () => {
      [this.kids, this.framework] = await Promise.all([loadChildren(), loadFramework()]);
      this.rooms = (await api<{ rooms: Room[] }>('GET', '/rooms')).rooms;
      if (this.session.user.role === 'manager') {
        this.authors = (await api<{ users: Array<{ id: string; display_name: string; role: string }> }>('GET', '/users?active=true')).users
          .filter((u) => u.role !== 'parent');
      }
      await this.search();
    });
  }

  private query(cursor?: string): string {
    const q = new URLSearchParams({ limit: '20' });
    if (this.querySelector('form.filters')) {
      for (const name of ['child', 'room', 'area', 'author', 'status', 'kind', 'from', 'to']) {
        if (!this.querySelector(`#filter-${name}`)) continue;
        const v = this.value(name);
        if (v === 'review') q.set('review', 'pending');
        else if (v) q.set(name, v);
      }
    }
    if (cursor) q.set('cursor', cursor);
    return q.toString();
  }

  private async search(cursor?: string): Promise<void> {
    const query = this.query(cursor);
    const r = await api<{ entries: Entry[]; next_cursor: string | null }>('GET', `/entries?${query}`);
    this.entries = cursor ? [...(this.entries ?? []), ...r.entries] : r.entries;
    this.next = r.next_cursor;
    this.reviewing = new URLSearchParams(query).get('review') === 'pending';
    if (!cursor) this.picked = new Set();
  }

  private pick(id: string, on: boolean): void {
    const next = new Set(this.picked);
    if (on) next.add(id); else next.delete(id);
    this.picked = next;
  }

  // Every ticked entry marked reviewed, one after another; the list then shows what is left.
  private async markPicked(): Promise<void> {
    const ids = [...this.picked];
    let marked = 0;
    const done = await this.run(async () => {
      if (!ids.length) throw new ApiError(400, 'nothing_picked', 'Tick the entries to mark reviewed first.');
      try {
        for (const id of ids) {
          await api('POST', `/entries/${id}/review`, { action: 'reviewed', note: '' });
          marked += 1;
        }
      } finally {
        if (marked) await this.search();
      }
    });
    if (done) {
      this.notice = `${marked === 1 ? '1 entry' : `${marked} entries`} marked reviewed.`;
      void this.updateComplete.then(() => this.querySelector<HTMLElement>('.form-notice, [role="status"]')?.focus());
    }
  }

  private reviewBar() {
    if (!this.reviewing || this.session.user.role !== 'manager' || !this.entries?.length) return nothing;
    const all = this.entries.length > 0 && this.entries.every((e) => this.picked.has(e.id));
    return html`<div class="actions review-bar">
      <div class="field-check"><input type="checkbox" id="pick-all" .checked=${all}
        @change=${(ev: Event) => { this.picked = (ev.target as HTMLInputElement).checked ? new Set(this.entries!.map((e) => e.id)) : new Set(); }}>
        <label for="pick-all">Select all shown</label></div>
      <button type="button" class="primary" ?disabled=${this.busy || !this.picked.size} @click=${this.markPicked}>
        Mark ${this.picked.size === 1 ? '1 entry' : `${this.picked.size} entries`} reviewed</button></div>`;
  }

  render() {
    pageTitle('Journal');
    const kids = [...this.kids.values()];
    return html`<section>
      <h1>Journal</h1>
      <div class="actions">${this.session.device_id ? html`<a class="button" href="/staff/entries/new">New entry</a>` : nothing}
        <a class="button" href="/staff/contributions">From families</a></div>
      ${this.session.device_id ? nothing : html`<p class="hint">New observations are recorded on the setting’s registered tablets; from this computer you read, review and manage them.</p>`}
      <form class="filters panel" @change=${() => this.run(() => this.search())} @submit=${(e: Event) => { e.preventDefault(); void this.run(() => this.search()); }} aria-label="Filter entries">
        ${this.field('child', 'Child', { value: new URLSearchParams(window.location.search).get('child') ?? '', options: [{ value: '', label: 'All children' }, ...kids.map((c) => ({ value: c.id, label: `${c.first_name} ${c.last_name}` }))] })}
        ${this.field('status', 'Status', { value: new URLSearchParams(window.location.search).get('status') ?? '', options: [{ value: '', label: 'Any status' }, ...Object.entries(STATUS_LABEL).slice(0, 3).map(([value, label]) => ({ value, label })),
          ...(this.session.user.role === 'manager' ? [{ value: 'review', label: 'Awaiting my review' }] : [])] })}
        ${this.field('kind', 'Kind', { options: [{ value: '', label: 'Any kind' }, ...Object.entries(KIND_LABEL).map(([value, label]) => ({ value, label }))] })}
        ${this.field('room', 'Room', { options: [{ value: '', label: 'All rooms' }, ...this.rooms.map((r) => ({ value: r.id, label: r.name }))] })}
        ${this.field('area', 'Curriculum', { options: [{ value: '', label: 'Any area' }, ...(this.framework?.areas ?? []).flatMap((a) => a.aspects.map((x) => ({ value: x.id, label: `${a.name}: ${x.name}` })))] })}
        ${this.authors.length ? this.field('author', 'Author', { options: [{ value: '', label: 'Anyone' }, ...this.authors.map((u) => ({ value: u.id, label: u.display_name }))] }) : nothing}
        ${this.field('from', 'Observed from', { type: 'date' })}
        ${this.field('to', 'Observed to', { type: 'date' })}
      </form>
      ${this.formFeedback()}
      ${this.entries === null ? html`<p role="status">Loading…</p>`
        : this.entries.length === 0 ? html`<div class="empty"><p>No entries match. ${this.session.device_id ? html`<a href="/staff/entries/new">Record a new one</a> or change` : 'Change'} the filters.</p></div>`
        : html`${this.reviewBar()}<ul class="cards" aria-label="Entries">${this.entries.map((e) => html`<li>
            <div class="card-head">${this.reviewing && this.session.user.role === 'manager'
              ? html`<input type="checkbox" class="pick" id="pick-${e.id}" .checked=${this.picked.has(e.id)} aria-labelledby="pick-label-${e.id} title-${e.id}"
                  @change=${(ev: Event) => this.pick(e.id, (ev.target as HTMLInputElement).checked)}><span class="visually-hidden" id="pick-label-${e.id}">Select</span>` : nothing}
              <a class="card-title" id="title-${e.id}" href="/staff/entries/${e.id}" dir="auto">${e.title}</a><span class="tag">${STATUS_LABEL[e.status] ?? e.status}</span></div>
            <p class="meta">${KIND_LABEL[e.kind]} · ${humanDay(e.observed_on)} · ${childNames(this.kids, e.child_ids) ?? 'Whole room'} · by ${bdi(e.author_name)}</p>
          </li>`)}</ul>
          ${this.next ? html`<div class="actions"><button type="button" @click=${() => this.run(() => this.search(this.next!))}>Show older entries</button></div>` : nothing}`}
    </section>`;
  }
}

// Staff: record an entry. Children and curriculum links are chosen with checkboxes.
@customElement('nb-entry-editor-view')
export class EntryEditorView extends FormView {
  @state() private kids: Child[] = [];
  @state() private rooms: Room[] = [];
  @state() private framework: Framework | null = null;
  @state() private kind = 'observation';
  @state() private chosen: string[] = [];
  @state() private roomId = '';
  @state() private consents = new Map<string, Consent>();
  protected fieldPrefix = 'entry';
  // Checked in the browser first, in plain words (issue 32); a draft may wait for its title.
  protected rules = {
    title: (v: string) => (v || this.value('status') === 'draft' ? null : 'Give it a short title.'),
    observed_on: (v: string) => (v ? null : 'Choose the day it happened.'),
  };

  connectedCallback(): void {
    super.connectedCallback();
    void this.run(async () => {
      const [children, rooms, framework] = await Promise.all([loadChildren(), api<{ rooms: Room[] }>('GET', '/rooms'), loadFramework()]);
      this.kids = [...children.values()];
      this.rooms = rooms.rooms;
      this.roomId = this.rooms[0]?.id ?? '';
      this.framework = framework;
    });
  }

  // Children who can be tagged in this entry's media: the chosen ones, or a room post's room.
  private taggable(): Child[] {
    const roomWide = this.kind === 'room_post' || this.kind === 'newsletter';
    return this.kids.filter((c) => (roomWide ? c.room_id === this.roomId : this.chosen.includes(c.id)));
  }

  private async loadConsents(): Promise<void> {
    this.consents = await withConsents(this.consents, this.taggable());
  }

  protected updated(changed: Map<string, unknown>): void {
    if (changed.has('kind') || changed.has('roomId') || changed.has('chosen')) {
      void this.loadConsents().catch((e) => this.showError(e));
    }
  }

  private childrenChanged(): void {
    this.chosen = this.checkedValues('child');
  }

  private checkedValues(name: string): string[] {
    return [...this.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)].map((i) => i.value);
  }

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    let created: Entry | null = null;
    await this.run(async () => {
      this.checkFields();
      const roomWide = this.kind === 'room_post' || this.kind === 'newsletter';
      const body: Record<string, unknown> = {
        kind: this.kind,
        status: this.value('status'),
        title: this.value('title'),
        body: this.rawValue('body'),
        next_steps: this.kind === 'observation' ? this.rawValue('next_steps') : '',
        observed_on: this.value('observed_on'),
        child_ids: roomWide ? [] : this.checkedValues('child'),
        aspect_ids: this.kind === 'snapshot' ? [] : this.checkedValues('aspect'),
      };
      if (roomWide) body.room_id = this.value('room_id');
      const uploader = this.querySelector<MediaUploader>('nb-media-uploader');
      if (uploader?.busy) throw new ApiError(400, 'uploading', 'Wait until every file has finished uploading and processing, then save.');
      body.media = uploader?.attachments ?? [];
      created = (await api<{ entry: Entry }>('POST', '/entries', body).catch((e) => placeMediaError(uploader, e))).entry;
    });
    if (created) navigate(`/staff/entries/${(created as Entry).id}`);
  }

  render() {
    pageTitle('New entry');
    const roomWide = this.kind === 'room_post' || this.kind === 'newsletter';
    return html`<section>
      <p><a href="/staff/journal">← Journal</a></p>
      <h1>New entry</h1>
      <p class="lead">Every kind of entry in one form. For an observation, <a href="/staff/entries/new">New observation</a> starts
        with the photos and keeps a draft as you go.</p>
      <form class="panel" @submit=${this.submit} novalidate>
        ${this.formFeedback()}
        <div class="field"><label for="entry-kind">Kind</label>
          <select id="entry-kind" @change=${(e: Event) => { this.kind = (e.target as HTMLSelectElement).value; }}>
            ${['observation', 'snapshot', 'room_post', 'newsletter'].map((k) => html`<option value=${k} ?selected=${k === this.kind}>${KIND_LABEL[k]}</option>`)}
          </select>
          ${this.kind === 'snapshot' ? html`<p class="hint">A quick note of the day for families; not linked to the curriculum.</p>` : nothing}</div>
        ${this.field('title', 'Title', { required: true })}
        <div class="field"><label for="entry-body">What happened</label><textarea id="entry-body" rows="5" maxlength="20000"></textarea></div>
        ${this.kind === 'observation' ? html`<div class="field"><label for="entry-next_steps">Next steps <span class="optional">(optional)</span></label>
          <textarea id="entry-next_steps" rows="2" maxlength="5000"></textarea></div>` : nothing}
        ${this.field('observed_on', 'Date', { type: 'date', required: true, value: today() })}
        ${roomWide
          ? html`<div @change=${(e: Event) => { this.roomId = (e.target as HTMLSelectElement).value; }}>
              ${this.field('room_id', 'Room', { required: true, options: this.rooms.map((r) => ({ value: r.id, label: r.name })) })}</div>`
          : html`<fieldset class="checks" @change=${this.childrenChanged} aria-describedby=${this.errors.child_ids ? 'entry-child_ids-error' : nothing}><legend>Children in it</legend>
              ${this.kids.map((c) => html`<div class="field-check"><input type="checkbox" name="child" id="child-${c.id}" value=${c.id}>
                <label for="child-${c.id}" dir="auto">${c.first_name} ${c.last_name}</label></div>`)}
              ${this.errors.child_ids ? html`<p class="field-error" id="entry-child_ids-error">${this.errors.child_ids}</p>` : nothing}
              <input type="hidden" id="entry-child_ids"></fieldset>`}
        ${this.kind !== 'snapshot' && this.framework ? html`<fieldset class="checks"><legend>Curriculum (${this.framework.name})</legend>
          ${this.framework.areas.map((area) => html`<p class="meta"><strong>${area.name}</strong></p>
            ${area.aspects.map((a) => html`<div class="field-check"><input type="checkbox" name="aspect" id="aspect-${a.id}" value=${a.id}>
              <label for="aspect-${a.id}">${a.name}</label></div>`)}`)}
          <input type="hidden" id="entry-aspect_ids">
          ${this.errors.aspect_ids ? html`<p class="field-error">${this.errors.aspect_ids}</p>` : nothing}</fieldset>` : nothing}
        <nb-media-uploader .people=${this.taggable()} .consents=${this.consents}></nb-media-uploader>
        <input type="hidden" id="entry-media">
        ${this.errors.media ? html`<p class="field-error">${this.errors.media}</p>` : nothing}
        ${this.field('status', 'Save as', { required: true, value: 'journal', options: [
          { value: 'journal', label: 'In the journal (families see it once released)' }, { value: 'staff_only', label: 'Staff only' }, { value: 'draft', label: 'Draft' }] })}
        ${this.submitButton('Save entry', 'Saving…')}
      </form>
    </section>`;
  }
}

// Staff and managers: one entry with each child's private conversation; managers review.
@customElement('nb-staff-entry-view')
export class StaffEntryView extends FormView {
  @property() entryId = '';
  @property({ attribute: false }) session!: Session;
  @state() private entry: Entry | null = null;
  @state() private kids = new Map<string, Child>();
  @state() private framework: Framework | null = null;
  @state() private threads = new Map<string, Comment[]>();
  @state() private editing = false;
  @state() private versions: EntryVersion[] = [];
  @state() private consents = new Map<string, Consent>();
  @state() private returning = false;  // the return reason is asked for only when returning
  private nextNotice = '';  // shown once the next entry to review has loaded
  protected fieldPrefix = 'reply';

  connectedCallback(): void {
    super.connectedCallback();
    void this.run(async () => {
      [this.kids, this.framework] = await Promise.all([loadChildren(), loadFramework()]);
      await this.reload();
    });
  }

  private async reload(): Promise<void> {
    this.entry = (await api<{ entry: Entry }>('GET', `/entries/${this.entryId}`)).entry;
    this.versions = (await api<{ versions: EntryVersion[] }>('GET', `/entries/${this.entryId}/versions`)).versions;
    const threads = new Map<string, Comment[]>();
    if (this.entry.status === 'journal') {
      for (const childId of this.entry.child_ids) {
        threads.set(childId, (await api<{ comments: Comment[] }>('GET', `/entries/${this.entryId}/threads/${childId}`)).comments);
      }
    }
    this.threads = threads;
  }

  private async reply(event: Event, childId: string): Promise<void> {
    event.preventDefault();
    const field = this.querySelector<HTMLTextAreaElement>(`#reply-${childId}`)!;
    const done = await this.run(async () => {
      if (!field.value.trim()) this.fail(childId, 'Write your reply first.');
      await api('POST', `/entries/${this.entryId}/threads/${childId}`, { body: field.value.trim() });
      await this.reload();
    });
    if (done) field.value = '';
  }

  private async hide(comment: Comment): Promise<void> {
    const reason = this.querySelector<HTMLInputElement>(`#hide-${comment.id}`)?.value.trim() ?? '';
    const done = await this.run(async () => {
      if (!reason) this.fail(`hide-${comment.id}`, 'Say why, for the record.');
      await api('POST', `/comments/${comment.id}/hide`, { reason });
      await this.reload();
    });
    if (done) this.notice = 'The comment is hidden from the family.';
  }

  // Children who can be tagged in this entry's media: its children, or on a room post the
  // children who receive it (the room's when it was posted), as the box says.
  private taggable(): Child[] {
    const e = this.entry!;
    const roomWide = e.kind === 'room_post' || e.kind === 'newsletter';
    return [...this.kids.values()].filter((c) => (roomWide ? e.recipient_child_ids.includes(c.id) : e.child_ids.includes(c.id)));
  }

  private startEditing(): void {
    this.editing = true;
    void this.run(async () => { this.consents = await withConsents(this.consents, this.taggable()); });
  }

  private async amend(event: Event): Promise<void> {
    event.preventDefault();
    const uploader = this.querySelector<MediaUploader>('nb-media-uploader');
    const done = await this.run(async () => {
      if (uploader?.busy) throw new ApiError(400, 'uploading', 'Wait until every file has finished uploading and processing, then save.');
      const body: Record<string, unknown> = {
        title: this.value('title'), body: this.rawValue('body'), next_steps: this.rawValue('next_steps'), status: this.value('status'),
      };
      // The list replaces the entry's media: sent only when it changed.
      if (uploader?.dirty) body.media = uploader.attachments;
      await api('PATCH', `/entries/${this.entryId}`, body).catch((e) => placeMediaError(uploader, e));
      await this.reload();
    });
    if (done) { this.editing = false; this.notice = 'Saved. The previous version is kept.'; }
  }

  // Issue 32: the name written as "a friend" in the title, the words and the next steps, saved
  // as an amendment (the previous version is kept, as with any amendment).
  private async aFriend(w: NamingWarning): Promise<void> {
    const e = this.entry!;
    const done = await this.run(async () => {
      await api('PATCH', `/entries/${this.entryId}`, {
        title: asAFriend(e.title, w.name), body: asAFriend(e.body, w.name), next_steps: asAFriend(e.next_steps, w.name),
      });
      await this.reload();
    });
    if (done) {
      this.notice = `${w.name} is now “a friend” in this entry. The previous version is kept.`;
      void this.updateComplete.then(() => this.querySelector<HTMLElement>('article h1')?.focus());
    }
  }

  private warnings(e: Entry) {
    const list = e.warnings ?? [];
    if (!list.length) return nothing;
    return html`<div class="warning naming-warnings" data-testid="naming-warnings">${list.map((w) => html`<div class="naming-warning">
      <p>${w.message}</p>
      <div class="actions"><button type="button" ?disabled=${this.busy} @click=${() => this.aFriend(w)}>Write “a friend” instead of
        ${bdi(w.name)}</button></div></div>`)}</div>`;
  }

  private editForm() {
    const e = this.entry!;
    return html`<form class="panel" @submit=${this.amend} novalidate aria-label="Amend entry">
      <h2>Amend</h2>
      ${this.field('title', 'Title', { required: true, value: e.title })}
      <div class="field"><label for="reply-body">What happened</label><textarea id="reply-body" rows="5" maxlength="20000" .value=${e.body}></textarea></div>
      <div class="field"><label for="reply-next_steps">Next steps <span class="optional">(optional)</span></label>
        <textarea id="reply-next_steps" rows="2" maxlength="5000" .value=${e.next_steps}></textarea></div>
      <nb-media-uploader .existing=${e.media ?? []} .people=${this.taggable()} .consents=${this.consents}></nb-media-uploader>
      <input type="hidden" id="reply-media">
      ${this.errors.media ? html`<p class="field-error">${this.errors.media}</p>` : nothing}
      ${this.field('status', 'Status', { required: true, value: e.status, options: Object.entries(STATUS_LABEL).slice(0, 3).map(([value, label]) => ({ value, label })) })}
      <div class="actions"><button type="submit" class="primary" ?disabled=${this.busy}>Save amendment</button>
        <button type="button" @click=${() => { this.editing = false; }}>Cancel</button></div>
    </form>`;
  }

  protected updated(changed: Map<string, unknown>): void {
    // "Mark reviewed and next" opens the next entry in this same view.
    if (changed.has('entryId') && changed.get('entryId') !== undefined && changed.get('entryId') !== '') {
      this.returning = false;
      this.editing = false;
      const notice = this.nextNotice;
      this.nextNotice = '';
      void this.run(() => this.reload()).then((ok) => { if (ok && notice) this.notice = notice; });
    }
  }

  private async review(action: 'reviewed' | 'returned', andNext = false): Promise<void> {
    const note = action === 'returned' ? this.querySelector<HTMLTextAreaElement>('#reply-review-note')?.value.trim() ?? '' : '';
    let next: string | null = null;
    let none = false;
    const done = await this.run(async () => {
      if (action === 'returned' && !note) this.fail('review-note', 'Say what the author should change.');
      await api('POST', `/entries/${this.entryId}/review`, { action, note });
      if (andNext) {
        const waiting = (await api<{ entries: Entry[] }>('GET', '/entries?review=pending&limit=5')).entries;
        next = waiting.find((w) => w.id !== this.entryId)?.id ?? null;
        none = !next;
      }
      if (!next) await this.reload();
    });
    if (!done) return;
    this.returning = false;
    if (next) {
      this.nextNotice = 'Marked as reviewed. This is the next entry to review.';
      navigate(`/staff/entries/${next}`);
      return;
    }
    this.notice = action === 'returned' ? 'Returned to its author; it is out of the journal until amended.'
      : none ? 'Marked as reviewed. Nothing else waits for your review.' : 'Marked as reviewed.';
  }

  private reviewPanel() {
    return html`<div class="panel review-panel"><h2>Review</h2>
      ${this.returning
        ? html`<div class="field"><label for="reply-review-note">Why it goes back to its author</label>
            <p class="hint" id="reply-review-note-hint">They see this note. The entry is out of the journal until they amend it.</p>
            <textarea id="reply-review-note" rows="3" maxlength="2000" aria-describedby="reply-review-note-hint${this.errors['review-note'] ? ' reply-review-note-error' : ''}"
              aria-invalid=${this.errors['review-note'] ? 'true' : 'false'}
              @input=${() => { if (this.errors['review-note']) this.errors = {}; }}></textarea>
            ${this.errors['review-note'] ? html`<p class="field-error" id="reply-review-note-error">${this.errors['review-note']}</p>` : nothing}</div>
          <div class="actions"><button type="button" class="danger" ?disabled=${this.busy} @click=${() => this.review('returned')}>Return with this note</button>
            <button type="button" ?disabled=${this.busy} @click=${() => { this.returning = false; this.errors = {}; }}>Cancel</button></div>`
        : html`<div class="actions"><button type="button" class="primary" ?disabled=${this.busy} @click=${() => this.review('reviewed', true)}>Mark reviewed and next</button>
            <button type="button" ?disabled=${this.busy} @click=${() => this.review('reviewed')}>Mark reviewed</button>
            <button type="button" class="danger" ?disabled=${this.busy} @click=${() => {
              this.returning = true;
              void this.updateComplete.then(() => this.querySelector<HTMLElement>('#reply-review-note')?.focus());
            }}>Return to author…</button></div>`}</div>`;
  }

  render() {
    const e = this.entry;
    pageTitle(e?.title ?? 'Entry');
    if (!e) return html`<section><h1>Entry</h1>${this.formFeedback()}</section>`;
    return html`<article>
      <p><a href="/staff/journal">← Journal</a></p>
      <h1 dir="auto">${e.title}</h1>
      <p class="lead">${KIND_LABEL[e.kind]} · ${STATUS_LABEL[e.status] ?? e.status} · ${humanDay(e.observed_on)} · by ${bdi(e.author_name)} · version ${e.version}</p>
      ${this.warnings(e)}
      ${e.status === 'journal' ? html`<nb-who-sees .entry=${e} .kids=${this.kids}></nb-who-sees>` : nothing}
      <div class="panel"><p class="meta">${childNames(this.kids, e.child_ids) ?? 'Whole room'}</p>
        ${e.body.split('\n').map((line) => html`<p dir="auto">${line}</p>`)}
        <nb-media-gallery .media=${e.media ?? []} .people=${this.kids}></nb-media-gallery>
        ${e.next_steps ? html`<h2>Next steps</h2><p dir="auto">${e.next_steps}</p>` : nothing}
        ${e.aspect_ids.length ? html`<p class="meta">${aspectNames(this.framework, e.aspect_ids).join(' · ')}</p>` : nothing}</div>
      ${e.status === 'journal' ? html`<nb-entry-hearts .entryId=${e.id}></nb-entry-hearts>` : nothing}
      ${this.formFeedback()}
      ${e.kind !== 'home' ? (this.editing ? this.editForm()
        : html`<div class="actions"><button type="button" @click=${this.startEditing}>Amend this entry</button></div>`) : nothing}
      ${this.versions.length ? html`<details class="panel"><summary>Earlier versions (${this.versions.length})</summary><ul class="comments">
        ${this.versions.map((v) => html`<li>Version ${v.version}, replaced ${humanMoment(v.edited_at)}: “${bdi(v.entry.title)}”</li>`)}</ul></details>` : nothing}
      ${this.session.user.role === 'manager' && e.kind !== 'home' ? this.reviewPanel() : nothing}
      ${[...this.threads.entries()].map(([childId, comments]) => html`<section class="panel" aria-labelledby="t-${childId}">
        <h2 id="t-${childId}">${bdi(this.kids.get(childId)?.first_name)}’s family conversation</h2>
        ${comments.length === 0 ? html`<p class="meta">No comments yet.</p>` : html`<ul class="comments">${comments.map((c) => html`<li>
          <p><strong>${bdi(c.author_name)}</strong> <span class="meta">${humanMoment(c.created_at)}</span>
            ${c.hidden ? html`<span class="tag inactive">Hidden: ${bdi(c.hidden_reason)}</span>` : nothing}</p><p dir="auto">${c.body}</p>
          ${c.hidden ? nothing : html`<div class="inline-hide">${this.field(`hide-${c.id}`, 'Reason to hide')}
            <button type="button" class="danger" @click=${() => this.hide(c)}>Hide</button></div>`}</li>`)}</ul>`}
        <form @submit=${(ev: Event) => this.reply(ev, childId)} novalidate>
          <div class="field"><label for="reply-${childId}">Reply</label><textarea id="reply-${childId}" rows="2" maxlength="4000"></textarea>
          ${this.errors[childId] ? html`<p class="field-error">${this.errors[childId]}</p>` : nothing}</div>
          <div class="actions"><button type="submit" ?disabled=${this.busy}>Send reply</button></div></form>
      </section>`)}
    </article>`;
  }
}

// Staff: home observations from families, to approve into the journal or return with a reason.
@customElement('nb-contributions-view')
export class ContributionsView extends FormView {
  @state() private items: Entry[] | null = null;
  @state() private kids = new Map<string, Child>();
  protected fieldPrefix = 'contribution';

  connectedCallback(): void {
    super.connectedCallback();
    void this.run(() => this.load());
  }

  private async load(): Promise<void> {
    this.kids = await loadChildren();
    this.items = (await api<{ contributions: Entry[] }>('GET', '/contributions?status=pending')).contributions;
  }

  private async decide(e: Entry, approve: boolean): Promise<void> {
    const reason = this.querySelector<HTMLInputElement>(`#contribution-reason-${e.id}`)?.value.trim() ?? '';
    const done = await this.run(async () => {
      if (approve) await api('POST', `/contributions/${e.id}/approve`, {});
      else {
        if (!reason) this.fail(`reason-${e.id}`, 'Tell the family why, so they can change it.');
        await api('POST', `/contributions/${e.id}/return`, { reason });
      }
      await this.load();
    });
    if (done) this.notice = approve ? html`“${bdi(e.title)}” is now in the journal.` : html`“${bdi(e.title)}” went back to the family.`;
  }

  render() {
    pageTitle('From families');
    return html`<section>
      <p><a href="/staff/journal">← Journal</a></p>
      <h1>From families</h1>
      <p class="lead">Home observations join the journal only when a member of staff approves them.</p>
      ${this.formFeedback()}
      ${this.items === null ? html`<p role="status">Loading…</p>`
        : this.items.length === 0 ? html`<div class="empty"><p>Nothing is waiting. New home observations from families will appear here.</p></div>`
        : html`<ul class="cards" aria-label="Waiting for approval">${this.items.map((e) => html`<li>
            <div class="card-head"><span class="card-title" dir="auto">${e.title}</span><span class="meta">${humanDay(e.observed_on)} · ${childNames(this.kids, e.child_ids)}</span></div>
            <p class="meta">From ${bdi(e.author_name)}</p><p dir="auto">${e.body}</p>
            <nb-media-gallery .media=${e.media ?? []} .people=${this.kids}></nb-media-gallery>
            ${(e.media ?? []).length ? html`<p class="hint">Approving tags ${childNames(this.kids, e.child_ids)} in these; check no other child is in them.</p>` : nothing}
            ${this.field(`reason-${e.id}`, html`Reason, if you return “${bdi(e.title)}”`)}
            <div class="actions"><button type="button" class="primary" ?disabled=${this.busy} @click=${() => this.decide(e, true)}>Approve “${e.title}”</button>
              <button type="button" class="danger" ?disabled=${this.busy} @click=${() => this.decide(e, false)}>Return</button></div>
          </li>`)}</ul>`}
    </section>`;
  }
}
