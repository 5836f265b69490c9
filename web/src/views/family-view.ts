import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError, type Session } from '../api';
import { bdi, FormView, pageTitle } from '../base';
import { humanDay, humanMoment, humanMonth, loadTimeZone, parseMoment, recentMonths, today } from '../dates';
import '../entry-photos';
import '../media';
import type { MediaUploader } from '../media';
import { childNames, loadChildren, loadFramework, type Child, type Entry, type Framework } from '../journal';
import { areasInWords, kindInWords } from '../plain-words';
import './feed-card';
import type { FeedEntry } from './feed-card';
import { leaverNotice } from './family-choices';
import './heart-button';

interface Agreement { version: number; text: string; accepted: boolean }
// The year-end reminder (issue 20): from the managers' date each year until the family downloads.
interface ExportReminder { due: boolean; since: string | null }
// What the setting recorded for one of the family's children (the parent's view of it).
interface FamilyConsent { own_journal_photos: boolean; other_journals: boolean; online_journal_opt_out: boolean; recorded_at: string | null }

// The consent the setting recorded for a child, in plain words for the family.
function consentInWords(name: string, c: FamilyConsent) {
  const n = bdi(name);
  if (!c.recorded_at) {
    return html`<p>The setting has not recorded a consent form for ${n} yet. Until it does, ${n} is not shown in photos
      or videos to any family, yours included.</p>`;
  }
  return html`<ul class="consent-words">
    ${c.online_journal_opt_out ? html`<li><strong>You opted out of the online journal for ${n}.</strong> Your account
      does not show ${n}’s journal; the setting shares it with you another way.</li>` : nothing}
    <li>${c.own_journal_photos
      ? html`Photos and videos of ${n} may be in ${n}’s own journal.`
      : html`Photos and videos of ${n} are not shown in ${n}’s own journal.`}</li>
    <li>${c.other_journals
      ? html`${n} may appear in photos in other children’s journals, for example a group photo.`
      : html`${n} does not appear in other children’s journals: other families see a group photo only with ${n}’s face
        obscured, or not at all.`}</li>
  </ul>
  <p class="meta">Recorded ${humanMoment(c.recorded_at)}.</p>`;
}

// The family's visit, recorded once per page load (POST /feed/visit): when they came before,
// so entries shared since show as new. A box that cannot say (an older one) shows none as new.
let visit: { user: string; previous: Promise<string | null> } | null = null;
function recordVisit(user: string): Promise<string | null> {
  if (visit?.user !== user) {
    visit = { user, previous: api<{ previous_visit_at: string | null }>('POST', '/feed/visit', {})
      .then((r) => r.previous_visit_at ?? null).catch(() => null) };
  }
  return visit.previous;
}

// Parents: the setting's agreement first, with the consent the setting recorded for each of
// their children, then their own children's released journal, newest first and photo first
// (issue 22): one child or all, one month or all, what is new since the last visit marked,
// with "show older" paging.
@customElement('nb-family-view')
export class FamilyView extends FormView {
  @property({ attribute: false }) session!: Session;
  @state() private agreement: Agreement | null = null;
  @state() private kids = new Map<string, Child>();
  @state() private consents = new Map<string, FamilyConsent>();
  @state() private framework: Framework | null = null;
  @state() private entries: FeedEntry[] | null = null;
  @state() private next: string | null = null;
  @state() private childFilter = '';
  @state() private month = '';
  // The months with something shared (newest first), for the child chosen: the month filter
  // offers only those (issue 32). Null until the box has said.
  @state() private months: string[] | null = null;
  @state() private previousVisit: string | null = null;
  @state() private reminder: ExportReminder | null = null;
  protected fieldPrefix = 'family';
  private asked = 0;   // the latest feed request: answers to earlier ones are dropped

  connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    await this.run(async () => {
      this.agreement = await api<Agreement>('GET', '/agreement');
      if (!this.agreement.accepted) {
        this.kids = await loadChildren();
        this.consents = new Map(await Promise.all([...this.kids.keys()].map(async (id) =>
          [id, (await api<{ consent: FamilyConsent }>('GET', `/children/${id}/consent`)).consent] as const)));
        return;
      }
      [this.kids, this.framework, this.previousVisit] = await Promise.all([loadChildren(), loadFramework(),
        recordVisit(this.session.user.id), loadTimeZone()]);
      void this.loadReminder();
      void this.loadMonths();
      await this.page();
    });
  }

  private async loadReminder(): Promise<void> {
    try {
      this.reminder = (await api<{ reminder: ExportReminder }>('GET', '/exports/reminder')).reminder;
    } catch {
      // Not essential: the download section is there either way.
    }
  }

  private reminderBanner() {
    if (!this.reminder?.due || this.kids.size === 0) return nothing;
    return html`<div class="warning export-reminder" data-testid="export-reminder">
      <p><strong>It’s the end of the year: download this year’s journal.</strong></p>
      <p>${this.reminder.since ? `Since ${humanDay(this.reminder.since)}, the setting has asked` : 'The setting asks'} every family
        to keep a copy of the year’s journal at home. <a href="/account/sessions#downloads">Download the journal</a></p>
    </div>`;
  }

  private async loadMonths(): Promise<void> {
    const child = this.childFilter;
    try {
      const r = await api<{ months: string[] }>('GET', `/feed/months${child ? `?child=${child}` : ''}`);
      if (child === this.childFilter) this.months = r.months;
    } catch {
      // Not essential: the filter offers the last two years meanwhile.
    }
  }

  private async page(cursor?: string): Promise<void> {
    const q = new URLSearchParams({ limit: '20' });
    if (this.childFilter) q.set('child', this.childFilter);
    if (this.month) q.set('month', this.month);
    if (cursor) q.set('cursor', cursor);
    const asked = ++this.asked;
    const r = await api<{ entries: FeedEntry[]; next_cursor: string | null }>('GET', `/feed?${q}`);
    if (asked !== this.asked) return;  // the filters changed meanwhile
    this.entries = cursor ? [...(this.entries ?? []), ...r.entries] : r.entries;
    this.next = r.next_cursor;
  }

  private async filter(change: { child?: string; month?: string }): Promise<void> {
    if (change.child !== undefined && change.child !== this.childFilter) {
      this.childFilter = change.child;
      void this.loadMonths();
    }
    if (change.month !== undefined) this.month = change.month;
    this.entries = null;
    this.next = null;
    await this.run(() => this.page());
  }

  private isNew(e: Entry): boolean {
    return !!this.previousVisit && !!e.journal_at && parseMoment(e.journal_at) > parseMoment(this.previousVisit);
  }

  // "3 new since your last visit", from the entries shown (all of a page new: maybe more).
  private newSince() {
    if (!this.entries?.length || !this.previousVisit) return nothing;
    const fresh = this.entries.filter((e) => this.isNew(e)).length;
    if (!fresh) return nothing;
    const more = fresh === this.entries.length && this.next;
    return html`<p class="new-since" role="status"><span class="new-badge">New</span>
      ${more ? `${fresh} or more` : fresh} new since your last visit</p>`;
  }

  // Siblings: one child's entries or everyone's, as big buttons with first names.
  private childSwitch() {
    if (this.kids.size < 2) return nothing;
    const choice = (id: string, label: unknown) => html`<button type="button" aria-pressed=${this.childFilter === id ? 'true' : 'false'}
      @click=${() => { if (this.childFilter !== id) void this.filter({ child: id }); }}>${label}</button>`;
    return html`<div class="child-switch" role="group" aria-label="Whose journal">
      ${choice('', 'All')}${[...this.kids.values()].map((c) => choice(c.id, html`<span dir="auto">${c.first_name}</span>`))}</div>`;
  }

  // The months with entries, and the month chosen (even if the child chosen since has none then).
  private monthChoices(): string[] {
    const months = this.months ?? recentMonths(24);
    return this.month && !months.includes(this.month) ? [...months, this.month].sort().reverse() : months;
  }

  private monthPicker() {
    return html`<div class="field feed-month"><label for="family-month">Month</label>
      <select id="family-month" @change=${(e: Event) => this.filter({ month: (e.target as HTMLSelectElement).value })}>
        <option value="" ?selected=${!this.month}>All months</option>
        ${this.monthChoices().map((m) => html`<option value=${m} ?selected=${this.month === m}>${humanMonth(m)}</option>`)}
      </select></div>`;
  }

  // Nothing to show: says which choice left it empty, and how to see more.
  private emptyState() {
    const child = this.childFilter ? this.kids.get(this.childFilter)?.first_name : undefined;
    const month = this.month ? humanMonth(this.month) : '';
    let text;
    if (child && month) {
      text = html`Nothing about ${bdi(child)} was shared in ${month}. Choose another month, or “All months”.`;
    } else if (month) {
      text = html`Nothing was shared in ${month}. Choose another month, or “All months”.`;
    } else if (child) {
      text = html`Nothing about ${bdi(child)} has been shared yet. Choose “All” to see everything.`;
    } else {
      text = html`Nothing has been shared yet. Entries appear here when staff add them to the journal
        ${this.kids.size ? '' : html`— and once a manager has attached your child to your account`}.`;
    }
    return html`<div class="empty feed-empty"><p>${text}</p></div>`;
  }

  private async accept(): Promise<void> {
    const done = await this.run(async () => {
      try {
        await api('POST', '/agreement/accept', { version: this.agreement!.version });
      } catch (e) {
        if (e instanceof ApiError && e.code === 'agreement_changed') this.agreement = await api<Agreement>('GET', '/agreement');
        throw e;
      }
    });
    if (done) await this.load();
  }

  render() {
    pageTitle('Journal');
    if (this.agreement && !this.agreement.accepted) {
      const kids = [...this.kids.values()];
      return html`<section class="panel narrow">
        <h1>Before you start</h1>
        <p class="lead">Please read your setting's agreement for families (version ${this.agreement.version}), and check
          what the setting recorded about photos of your ${kids.length > 1 ? 'children' : 'child'}.</p>
        <h2>The agreement</h2>
        <div class="agreement">${this.agreement.text.split('\n').map((line) => html`<p dir="auto">${line}</p>`)}</div>
        <h2>Photos: what the setting recorded</h2>
        ${kids.length === 0
          ? html`<p>No child is linked to your account yet. If you used an invitation code with an account you already
              had, a manager of the setting confirms the link first.</p>`
          : kids.map((c) => html`<h3 dir="auto">${c.first_name}</h3>
              ${this.consents.has(c.id) ? consentInWords(c.first_name, this.consents.get(c.id)!) : nothing}`)}
        ${kids.length ? html`<p>If this is not what you agreed with the setting, tell a member of staff: a manager corrects it,
          and the change applies to photos already in the journal too.</p>` : nothing}
        ${this.formFeedback()}
        <div class="actions"><button class="primary" type="button" ?disabled=${this.busy} @click=${this.accept}>I agree</button></div>
      </section>`;
    }
    const names = [...this.kids.values()].map((c) => bdi(c.first_name));
    return html`<section class="family-journal">
      <h1>${names.length ? html`${names.map((n, i) => (i ? html` and ${n}` : n))}’s journal` : 'Journal'}</h1>
      ${this.reminderBanner()}
      <nb-lockdown-banner></nb-lockdown-banner>
      <div class="feed">
      ${this.newSince()}
      <div class="actions feed-home"><a class="button" href="/journal/home">Add something from home</a>
        <a class="button" href="/journal/contributions">What I have sent</a></div>
      <div class="feed-filters">${this.childSwitch()}${this.monthPicker()}</div>
      ${this.formFeedback()}
      ${this.entries === null ? html`<p role="status">Loading…</p>`
        : this.entries.length === 0 ? this.emptyState()
          : html`<ul class="feed-list" aria-label="Journal entries">${this.entries.map((e, i) => html`<li>
              <nb-feed-card .entry=${e} .kids=${this.kids} .framework=${this.framework} ?fresh=${this.isNew(e)} ?eager=${i === 0}></nb-feed-card>
            </li>`)}</ul>
            ${this.next ? html`<div class="actions"><button type="button" ?disabled=${this.busy} @click=${() => this.run(() => this.page(this.next!))}>Show older entries</button></div>` : nothing}`}
      </div>
      ${this.entries === null ? nothing : html`${[...this.kids.values()].map(leaverNotice)}
        <p class="meta feed-foot">To download the journal, or for your choices about your child’s data, see
          <a href="/account/sessions#downloads">Downloads and privacy</a> under My account.</p>`}
    </section>`;
  }
}

// One entry, as a parent sees it, with their own child's private conversation.
@customElement('nb-family-entry-view')
export class FamilyEntryView extends FormView {
  @property() entryId = '';
  @property({ attribute: false }) session!: Session;
  @state() private entry: Entry | null = null;
  @state() private kids = new Map<string, Child>();
  @state() private framework: Framework | null = null;
  @state() private threads = new Map<string, Array<{ id: string; author_name: string; body: string; created_at: string }>>();
  protected fieldPrefix = 'comment';

  connectedCallback(): void {
    super.connectedCallback();
    void this.run(async () => {
      [this.kids, this.framework] = await Promise.all([loadChildren(), loadFramework(), loadTimeZone()]);
      this.entry = (await api<{ entry: Entry }>('GET', `/entries/${this.entryId}`)).entry;
      await this.loadThreads();
    }).then(() => this.toComments());
  }

  // From a card's "2 comments" (/journal/entries/…#comments): straight to the conversation.
  private async toComments(): Promise<void> {
    if (window.location.hash !== '#comments') return;
    await this.updateComplete;
    const heading = this.querySelector<HTMLElement>('#comments h2');
    if (!heading) return;
    heading.tabIndex = -1;
    heading.scrollIntoView({ block: 'start' });
    heading.focus({ preventScroll: true });
  }

  // One conversation per child of mine this entry concerns (for room posts: my children in that room).
  // The box says which of our children receive the entry (a room post: those in the room
  // when it was posted), each with their own thread.
  private threadChildren(): string[] {
    return this.entry!.recipient_child_ids;
  }

  private async loadThreads(): Promise<void> {
    if (!this.entry || this.entry.status !== 'journal') return;
    const threads = new Map();
    for (const childId of this.threadChildren()) {
      threads.set(childId, (await api<{ comments: [] }>('GET', `/entries/${this.entryId}/threads/${childId}`)).comments);
    }
    this.threads = threads;
  }

  private async send(event: Event, childId: string): Promise<void> {
    event.preventDefault();
    const field = this.querySelector<HTMLTextAreaElement>(`#comment-body-${childId}`)!;
    const done = await this.run(async () => {
      if (!field.value.trim()) this.fail(`body-${childId}`, 'Write your comment first.');
      await api('POST', `/entries/${this.entryId}/threads/${childId}`, { body: field.value.trim() });
      await this.loadThreads();
    });
    if (done) field.value = '';
  }

  render() {
    const e = this.entry;
    pageTitle(e?.title ?? 'Entry');
    if (!e) return html`<section><h1>Entry</h1>${this.formFeedback()}<p><a href="/journal">Back to the journal</a></p></section>`;
    const names = e.child_ids.map((id) => this.kids.get(id)?.first_name).filter((n): n is string => !!n);
    const areas = areasInWords(this.framework, e.aspect_ids);
    return html`<article class="family-entry">
      <p><a href="/journal">← Journal</a></p>
      <p class="feed-kind">${kindInWords(e.kind, names)}</p>
      <h1 dir="auto" id="family-entry-title">${e.title}</h1>
      <p class="lead">${humanDay(e.observed_on)} · by ${bdi(e.author_name)}
        ${e.child_ids.length ? html` · ${childNames(this.kids, e.child_ids)}` : nothing}</p>
      ${e.status === 'pending' ? html`<p class="notice">Waiting for staff to approve it.</p>` : nothing}
      ${e.status === 'returned' ? html`<p class="form-error">Staff returned this: ${bdi(e.returned_reason)}</p>` : nothing}
      <div class="panel entry-panel">
        <nb-entry-photos .media=${e.media ?? []} .people=${this.kids} caption=${e.title} eager></nb-entry-photos>
        ${e.body.split('\n').map((line) => html`<p dir="auto">${line}</p>`)}
        ${e.next_steps ? html`<h2>Next steps</h2><p dir="auto">${e.next_steps}</p>` : nothing}
        ${areas.length ? html`<ul class="area-chips" aria-label="Learning">${areas.map((a) => html`<li>${a}</li>`)}</ul>` : nothing}
        ${e.status === 'journal' ? html`<div class="feed-actions"><nb-heart-button .entryId=${e.id}
          .childIds=${e.recipient_child_ids} .hearted=${(e as Entry & { hearted_child_ids?: string[] }).hearted_child_ids ?? []}
          described-by="family-entry-title"></nb-heart-button></div>` : nothing}
      </div>
      ${this.formFeedback()}
      <div id="comments">
      ${[...this.threads.entries()].map(([childId, comments]) => html`<section class="panel" aria-labelledby="thread-${childId}">
        <h2 id="thread-${childId}">Comments about ${this.kids.get(childId) ? bdi(this.kids.get(childId)!.first_name) : 'your child'}</h2>
        <p class="meta">Only your family and the staff see these.</p>
        ${comments.length === 0 ? html`<p class="meta">No comments yet.</p>` : html`<ul class="comments">${comments.map((c) => html`<li>
          <p><strong>${bdi(c.author_name)}</strong> <span class="meta">${humanMoment(c.created_at)}</span></p><p dir="auto">${c.body}</p></li>`)}</ul>`}
        <form @submit=${(ev: Event) => this.send(ev, childId)} novalidate>
          <div class="field"><label for="comment-body-${childId}">Your comment</label>
            <textarea id="comment-body-${childId}" rows="3" maxlength="4000"
              aria-invalid=${this.errors[`body-${childId}`] ? 'true' : 'false'}></textarea>
            ${this.errors[`body-${childId}`] ? html`<p class="field-error">${this.errors[`body-${childId}`]}</p>` : nothing}</div>
          <div class="actions"><button type="submit" class="primary" ?disabled=${this.busy}>Send comment</button></div>
        </form>
      </section>`)}
      </div>
    </article>`;
  }
}

// Parents: a home observation about one of their children, for staff to approve. Checked in
// the browser first, in plain words; once sent, the confirmation takes the form's place and the
// focus, scrolled into view wherever the phone was (issue 32).
@customElement('nb-home-observation-view')
export class HomeObservationView extends FormView {
  @state() private kids: Child[] = [];
  @state() private sent: Entry | null = null;
  protected fieldPrefix = 'home';
  protected rules = {
    child_id: (v: string) => (v ? null : 'Choose which child it is about.'),
    title: (v: string) => (v ? null : 'Give it a short title, for example “Planting seeds”.'),
    observed_on: (v: string) => (!v ? 'Choose the day it happened.'
      : v > today() ? 'Choose today or a day before: this is about something that happened.' : null),
  };

  connectedCallback(): void {
    super.connectedCallback();
    loadChildren().then((m) => { this.kids = [...m.values()]; }).catch((e) => this.showError(e));
  }

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    const uploader = this.querySelector<MediaUploader>('nb-media-uploader')!;
    const done = await this.run(async () => {
      this.checkFields();
      if (uploader.busy) throw new ApiError(400, 'uploading', 'Wait until the photos and videos have finished uploading, then send.');
      this.sent = (await api<{ contribution: Entry }>('POST', '/contributions', {
        child_id: this.value('child_id'),
        title: this.value('title'),
        body: this.rawValue('body'),
        observed_on: this.value('observed_on'),
        media_ids: uploader.attachments.map((a) => a.id),
      })).contribution;
    });
    if (done) {
      (this.querySelector('form') as HTMLFormElement).reset();
      uploader.clear();
      await this.updateComplete;
      const confirmation = this.querySelector<HTMLElement>('#home-sent-title');
      confirmation?.scrollIntoView({ block: 'center' });
      confirmation?.focus({ preventScroll: true });
    }
  }

  private another(): void {
    this.sent = null;
    void this.updateComplete.then(() => this.querySelector<HTMLElement>('#home-child_id')?.focus());
  }

  render() {
    pageTitle('Add something from home');
    return html`<section class="panel narrow">
      <p><a href="/journal">← Journal</a></p>
      <h1>Add something from home</h1>
      <p class="lead">Tell staff what your child did at home. It joins the journal once a member of staff approves it.</p>
      ${this.sent ? html`<div class="notice home-sent" role="status">
          <h2 id="home-sent-title" tabindex="-1">Sent to staff</h2>
          <p>Thank you — “${bdi(this.sent.title)}” is waiting for staff to approve it. It joins the journal once they do.</p>
          <div class="actions"><a class="button primary" href="/journal/contributions">See what I have sent</a>
            <button type="button" @click=${this.another}>Add something else</button></div>
        </div>` : nothing}
      <form @submit=${this.submit} novalidate ?hidden=${!!this.sent}>
        ${this.formFeedback()}
        ${this.field('child_id', 'Child', { required: true, options: this.kids.map((c) => ({ value: c.id, label: c.first_name })) })}
        ${this.field('title', 'What happened', { required: true, hint: 'A short title, e.g. “Planting seeds”.' })}
        <div class="field"><label for="home-body">Tell us more <span class="optional">(optional)</span></label>
          <textarea id="home-body" rows="5" maxlength="20000" aria-invalid=${this.errors.body ? 'true' : 'false'}
            aria-describedby=${this.errors.body ? 'home-body-error' : nothing} @input=${(e: Event) => this.corrected('body', e.target)}></textarea>
          ${this.errors.body ? html`<p class="field-error" id="home-body-error">${this.errors.body}</p>` : nothing}</div>
        ${this.field('observed_on', 'When', { type: 'date', required: true, value: today() })}
        <nb-media-uploader .tagging=${false} accept="image/*,video/*" label="Photos or videos"
          hint="Take a photo or video, or choose from your library. Staff see them before they join the journal."></nb-media-uploader>
        ${this.submitButton('Send to staff', 'Sending…')}
      </form>
    </section>`;
  }
}

// Parents: what they have sent, and where each is.
@customElement('nb-my-contributions-view')
export class MyContributionsView extends FormView {
  @state() private items: Entry[] | null = null;

  connectedCallback(): void {
    super.connectedCallback();
    api<{ contributions: Entry[] }>('GET', '/contributions').then((r) => { this.items = r.contributions; }).catch((e) => this.showError(e));
  }

  render() {
    pageTitle('What I have sent');
    const label: Record<string, string> = { pending: 'Waiting for approval', journal: 'In the journal', returned: 'Returned' };
    return html`<section>
      <p><a href="/journal">← Journal</a></p>
      <h1>What I have sent</h1>
      ${this.formFeedback()}
      ${this.items === null ? html`<p role="status">Loading…</p>`
        : this.items.length === 0 ? html`<div class="empty"><p>You have not sent anything yet. <a href="/journal/home">Add something from home</a>.</p></div>`
        : html`<ul class="cards">${this.items.map((e) => html`<li>
            <div class="card-head"><a class="card-title" href="/journal/entries/${e.id}" dir="auto">${e.title}</a><span class="tag">${label[e.status] ?? e.status}</span></div>
            ${e.status === 'returned' ? html`<p class="meta">Staff said: ${bdi(e.returned_reason)}</p>` : ''}
          </li>`)}</ul>`}
    </section>`;
  }
}
