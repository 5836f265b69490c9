// New observation, photo first (issue 22): built for one hand between nappy changes, at phone
// and tablet size. One page in four short steps — photos and videos (the camera or the
// library), who is in it (nb-child-picker), the words (a template can start them), curriculum
// links (nb-curriculum-chips) — and a save bar always in reach. The draft is kept on the box as
// staff go (DraftKeeper), never on the tablet; opening "New observation" with a draft waiting
// offers to carry on with it. Other kinds of entry keep the full form (/staff/entries/new/form).
import { html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { api, ApiError, type Session } from '../api';
import { bdi, FormView, pageTitle } from '../base';
import { humanDay, humanMoment, loadTimeZone, today } from '../dates';
import { DraftKeeper, type DraftFields, type DraftState } from '../draft';
import { listOf, loadFramework, type Entry, type Framework } from '../journal';
import '../media';
import type { Consent, MediaItem, MediaUploader } from '../media';
import { loadTemplates, type EntryTemplate } from '../templates';
import './child-picker';
import type { ChildPicker, PickerChild, PickerRoom } from './child-picker';
import './curriculum-chips';
import './who-sees';

type Phase = 'loading' | 'offer' | 'recording' | 'saved';
type Finish = 'journal' | 'staff_only';
type DraftEntry = Entry & { updated_at?: string; author_id?: string };

// Waits until every file has uploaded, been processed and had its children ticked.
function settled(uploader: MediaUploader): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (uploader.busy && uploader.isConnected ? window.setTimeout(check, 250) : resolve());
    check();
  });
}

// A photo the box refused to save as tagged (no_photo_consent) is marked beside it.
function placeMediaError(uploader: MediaUploader | null, error: unknown): never {
  if (uploader?.placeError(error)) {
    throw new ApiError(422, 'no_photo_consent', `${(error as Error).message} See the photo marked above.`);
  }
  throw error;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

// "2 photos", "1 video", "2 photos and 1 video".
function mediaWords(media: MediaItem[]): string {
  const videos = media.filter((m) => m.kind === 'video').length;
  const photos = media.length - videos;
  return [photos ? count(photos, 'photo', 'photos') : '', videos ? count(videos, 'video', 'videos') : ''].filter(Boolean).join(' and ');
}

@customElement('nb-observation-view')
export class ObservationView extends FormView {
  @property({ attribute: false }) session!: Session;
  @state() private phase: Phase = 'loading';
  @state() private offer: DraftEntry | null = null;
  @state() private kids: PickerChild[] = [];
  @state() private rooms: PickerRoom[] = [];
  @state() private framework: Framework | null = null;
  @state() private templates: EntryTemplate[] | null = null;
  @state() private templatesError = '';
  @state() private templateNotice: TemplateResult | string = '';
  @state() private recent: string[] = [];
  @state() private chosen: string[] = [];
  @state() private aspects: string[] = [];
  @state() private heading = '';   // the entry's title (not the element's)
  @state() private body = '';
  @state() private nextSteps = '';
  @state() private nextOpen = false;
  @state() private existing: MediaItem[] = [];
  @state() private observedOn = '';
  @state() private draft: DraftState = { kind: 'empty' };
  @state() private waiting = '';
  @state() private saved: { entry: Entry; status: Finish } | null = null;
  @state() private round = 0;   // a new uploader for each observation
  protected fieldPrefix = 'obs';
  private keeper: DraftKeeper | null = null;

  connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.onVisibility);
    window.addEventListener('pagehide', this.leaving);
    void this.run(() => this.load());
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.onVisibility);
    window.removeEventListener('pagehide', this.leaving);
    // Leaving the screen inside the app: what changed last goes to the box.
    const keeper = this.keeper;
    if (keeper) void keeper.flush().then(() => keeper.dispose());
  }

  private readonly onVisibility = (): void => {
    if (document.visibilityState === 'hidden') void this.keeper?.flush();
  };

  private readonly leaving = (): void => {
    this.keeper?.leaving();
  };

  private async load(): Promise<void> {
    await loadTimeZone();
    const me = this.session.user.id;
    const [children, rooms, framework] = await Promise.all([
      api<{ children: PickerChild[] }>('GET', '/children'),
      api<{ rooms: PickerRoom[] }>('GET', '/rooms'),
      loadFramework(),
    ]);
    this.kids = children.children;
    this.rooms = rooms.rooms;
    this.framework = framework;
    // Templates and the recently tagged row help; without them recording still works.
    loadTemplates().then((t) => { this.templates = t.filter((x) => x.kind === 'observation'); })
      .catch((e) => { this.templates = []; this.templatesError = e instanceof Error ? e.message : String(e); });
    this.loadRecent();
    // A draft of mine waiting on the box is offered first; if the box cannot say, start afresh.
    const q = new URLSearchParams({ status: 'draft', author: me, kind: 'observation', limit: '1' });
    const { entries } = await api<{ entries: DraftEntry[] }>('GET', `/entries?${q}`).catch(() => ({ entries: [] as DraftEntry[] }));
    const mine = entries.find((e) => e.status === 'draft' && e.kind === 'observation' && (!e.author_id || e.author_id === me));
    if (mine) {
      this.offer = mine;
      this.phase = 'offer';
    } else {
      this.startNew();
    }
    // The loading screen's heading had the focus (a new screen): its successor takes it.
    if (document.activeElement === document.body) this.focusHeading();
  }

  private loadRecent(): void {
    api<{ child_ids: string[] }>('GET', '/me/recent-children').then((r) => { this.recent = r.child_ids; }).catch(() => { /* no row */ });
  }

  private newKeeper(): DraftKeeper {
    this.keeper?.dispose();
    return new DraftKeeper(() => this.fields(), () => this.uploader()?.busy ?? false,
      (s) => { this.draft = s; }, () => this.observedOn);
  }

  private startNew(): void {
    if (this.phase === 'saved') this.loadRecent();   // the children just tagged lead the row
    this.chosen = [];
    this.aspects = [];
    this.heading = this.body = this.nextSteps = '';
    this.nextOpen = false;
    this.existing = [];
    this.observedOn = today();
    this.errors = {};
    this.formError = '';
    this.templateNotice = '';
    this.saved = null;
    this.offer = null;
    this.round += 1;
    this.keeper = this.newKeeper();
    this.draft = { kind: 'empty' };
    this.phase = 'recording';
  }

  private async carryOn(): Promise<void> {
    const id = this.offer!.id;
    await this.run(async () => {
      const { entry } = await api<{ entry: DraftEntry }>('GET', `/entries/${id}`);
      this.startNew();
      this.keeper!.entryId = entry.id;   // any change from here on goes to this draft
      this.heading = entry.title;
      this.body = entry.body;
      this.nextSteps = entry.next_steps;
      this.nextOpen = !!entry.next_steps;
      this.chosen = entry.child_ids;
      this.aspects = entry.aspect_ids;
      this.existing = entry.media ?? [];
      this.observedOn = entry.observed_on;
      await this.updateComplete;
      await this.uploader()?.updateComplete;
      this.keeper!.adopt(entry);
    });
    this.focusHeading();
  }

  private uploader(): MediaUploader | null {
    return this.querySelector<MediaUploader>('nb-media-uploader');
  }

  // What the draft holds now.
  private fields(): DraftFields {
    const uploader = this.uploader();
    return {
      title: this.heading.trim(),
      body: this.body,
      next_steps: this.nextSteps,
      child_ids: this.chosen,
      aspect_ids: this.aspects,
      media: uploader ? uploader.attachments : this.existing.map((m) => ({ id: m.id, child_ids: m.child_ids })),
    };
  }

  private changed(): void {
    this.keeper?.changed();
  }

  private chosenChildren(): PickerChild[] {
    return this.chosen.map((id) => this.kids.find((c) => c.id === id)).filter((c): c is PickerChild => !!c);
  }

  // Consent as recorded, for the note beside each child's tick on a photo (the box decides).
  private consents(people: PickerChild[]): Map<string, Consent> {
    const out = new Map<string, Consent>();
    for (const c of people) {
      if (!c.consent) continue;
      out.set(c.id, {
        own_journal_photos: c.consent.recorded && c.consent.own_journal_photos,
        other_journals: c.consent.recorded && c.consent.other_journals,
        online_journal_opt_out: false,
      });
    }
    return out;
  }

  private setChildren(ids: string[]): void {
    this.chosen = ids;
    if (ids.length && this.errors.child_ids) {
      const { child_ids: _gone, ...rest } = this.errors;
      this.errors = rest;
    }
    this.changed();
  }

  private setTitle(value: string): void {
    this.heading = value;
    if (value.trim() && this.errors.title) {
      const { title: _gone, ...rest } = this.errors;
      this.errors = rest;
    }
    this.changed();
  }

  private useTemplate(t: EntryTemplate): void {
    const join = (mine: string, theirs: string) => (!theirs.trim() ? mine : !mine.trim() ? theirs : `${mine.trimEnd()}\n\n${theirs}`);
    if (!this.heading.trim()) this.setTitle(t.title);
    this.body = join(this.body, t.body);
    this.nextSteps = join(this.nextSteps, t.next_steps);
    if (this.nextSteps.trim()) this.nextOpen = true;
    this.aspects = [...new Set([...this.aspects, ...t.aspect_ids])];
    this.templateNotice = html`Started from “${bdi(t.name)}”: change anything you need.`;
    const menu = this.querySelector<HTMLDetailsElement>('details.template-menu');
    if (menu) menu.open = false;
    this.changed();
    void this.updateComplete.then(() => this.querySelector<HTMLElement>('#obs-body')?.focus());
  }

  private async finish(status: Finish): Promise<void> {
    if (this.busy) return;
    const problems: Record<string, string> = {};
    if (!this.chosen.length) problems.child_ids = 'Choose at least one child.';
    if (!this.heading.trim()) problems.title = 'Give it a title: a few words families see first.';
    if (Object.keys(problems).length) {
      this.errors = problems;
      this.formError = '';
      await this.updateComplete;
      if (problems.child_ids) this.querySelector<ChildPicker>('nb-child-picker')?.focusSearch();
      else this.querySelector<HTMLElement>('#obs-title')?.focus();
      return;
    }
    const uploader = this.uploader();
    let entry: Entry | null = null;
    await this.run(async () => {
      if (uploader?.busy) {
        this.waiting = 'Saving as soon as the photos have uploaded and been made safe to share…';
        await settled(uploader);
      }
      this.waiting = '';
      entry = await this.keeper!.finish(status).catch((e) => placeMediaError(uploader, e));
    });
    this.waiting = '';
    if (!entry) return;
    this.keeper?.dispose();
    this.keeper = null;
    this.saved = { entry, status };
    this.phase = 'saved';
    this.focusHeading();
  }

  private focusHeading(): void {
    void this.updateComplete.then(() => {
      const h = this.querySelector<HTMLElement>('h1');
      if (h) { h.tabIndex = -1; h.focus(); }
    });
  }

  private draftText(): string {
    const d = this.draft;
    switch (d.kind) {
      case 'saved': return `Draft saved on the box ✓ ${humanMoment(d.at)}`;
      case 'failed': return `Draft not saved on the box: ${d.message}`;
      case 'saving': return this.keeper?.entryId ? 'Saving the draft on the box…' : 'Keeping a draft on the box…';
      default: return 'Kept on the box as you go, never on this tablet.';
    }
  }

  // The waiting draft is deleted on the box (with its photos), then a fresh one starts.
  private async discard(): Promise<void> {
    const id = this.offer!.id;
    const done = await this.run(async () => { await api('DELETE', `/entries/${id}`); });
    if (done) {
      this.startNew();
      this.focusHeading();
    }
  }

  private offerScreen(): TemplateResult {
    const d = this.offer!;
    const names = this.kids.filter((c) => d.child_ids.includes(c.id)).map((c) => bdi(c.first_name));
    const photos = mediaWords(d.media ?? []);
    const when = humanMoment(d.updated_at ?? d.created_at);
    return html`<section class="panel narrow draft-offer">
      <h1>New observation</h1>
      ${this.formFeedback()}
      <p>You have a draft kept on the box, last saved ${when}:</p>
      <p class="draft-summary"><strong>${d.title ? html`“${bdi(d.title)}”` : 'No title yet'}</strong>${names.length
        ? html`, with ${listOf(names)}` : nothing}${photos ? `, ${photos}` : nothing}.</p>
      <div class="offer-actions">
        <button type="button" class="primary" ?disabled=${this.busy} @click=${this.carryOn}>Carry on with your draft from ${when}</button>
        <button type="button" ?disabled=${this.busy} @click=${() => { this.startNew(); this.focusHeading(); }}>Start a new one</button>
        <button type="button" class="danger" ?disabled=${this.busy} @click=${this.discard}>Discard the draft and start a new one</button>
      </div>
      <p class="meta">Starting a new one keeps this draft: it stays in the journal with the status “Draft”. Discarding it
        deletes it from the box with its photos; families never saw it.</p>
    </section>`;
  }

  private savedScreen(): TemplateResult {
    const { entry, status } = this.saved!;
    const names = this.kids.filter((c) => entry.child_ids.includes(c.id)).map((c) => bdi(c.first_name));
    const photos = mediaWords(entry.media ?? []);
    return html`<section class="panel narrow rec-done">
      <h1>${status === 'journal' ? 'Saved to the journal ✓' : 'Saved for staff only ✓'}</h1>
      <p>“${bdi(entry.title)}” about ${listOf(names)}${photos ? `, with ${photos}` : ''}.
        ${status === 'journal' ? nothing : 'Families do not see it.'}</p>
      ${status === 'journal' ? html`<nb-who-sees .entry=${entry} .kids=${new Map(this.kids.map((c) => [c.id, c]))}></nb-who-sees>` : nothing}
      <div class="offer-actions">
        <button type="button" class="primary" @click=${() => { this.startNew(); this.focusHeading(); }}>New observation</button>
        <a class="button" href="/staff/entries/${entry.id}">See the entry</a>
        <a class="button" href="/">Home</a>
      </div>
    </section>`;
  }

  private templateMenu(): TemplateResult | typeof nothing {
    const t = this.templates;
    if (t === null) return nothing;
    if (this.templatesError) return html`<p class="meta">Templates could not be loaded: ${this.templatesError}</p>`;
    if (!t.length) return html`<p class="meta">No templates yet: a manager can add them under “Templates”.</p>`;
    return html`<details class="more template-menu"><summary>Use a template</summary>
      <ul class="more-menu" aria-label="Templates">${t.map((x) => html`<li><button type="button" @click=${() => this.useTemplate(x)}>
        <span dir="auto">${x.name}</span></button></li>`)}</ul></details>
      ${this.templateNotice ? html`<p class="notice" role="status">${this.templateNotice}</p>` : nothing}`;
  }

  private textArea(name: 'body' | 'next_steps', label: string, value: string, rows: number, max: number,
    set: (v: string) => void): TemplateResult {
    const id = `obs-${name}`;
    const error = this.errors[name];
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <textarea id=${id} rows=${rows} maxlength=${max} autocapitalize="sentences" .value=${value}
        aria-invalid=${error ? 'true' : 'false'} aria-describedby=${error ? `${id}-error` : nothing}
        @input=${(e: Event) => { set((e.target as HTMLTextAreaElement).value); this.changed(); }}></textarea>
      ${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : nothing}
    </div>`;
  }

  private recording(): TemplateResult {
    const people = this.chosenChildren();
    const titleError = this.errors.title;
    const childError = this.errors.child_ids;
    const step = (n: number) => html`<span class="step-number" aria-hidden="true">${n}</span>`;
    return html`<section class="recorder" @focusout=${(e: FocusEvent) => {
        if ((e.target as Element).matches?.('input, textarea')) void this.keeper?.flush();
      }}>
      <h1>New observation</h1>
      <p class="lead">Photos first, then who is in it and a few words.</p>
      <p class="more-kinds"><a href="/staff/entries/new/form">More kinds: daily snapshot, room post or newsletter</a></p>
      ${this.formFeedback()}

      <section class="rec-step" aria-labelledby="obs-step-photos">
        <h2 id="obs-step-photos">${step(1)}Photos and videos <span class="optional">(optional)</span></h2>
        ${keyed(this.round, html`<nb-media-uploader .photoFirst=${true} .untaggedFollow=${true} label="Photos and videos"
          hint="Several in a row is fine. They go straight to the box; nothing is kept on the tablet."
          .people=${people} .consents=${this.consents(people)} .existing=${this.existing}
          @change=${() => this.changed()} @tags-change=${() => this.changed()}></nb-media-uploader>`)}
        ${this.errors.media ? html`<p class="field-error">${this.errors.media}</p>` : nothing}
        <input type="hidden" id="obs-media">
      </section>

      <section class="rec-step" aria-labelledby="obs-step-who">
        <h2 id="obs-step-who">${step(2)}Who is in it?</h2>
        <div id="obs-child_ids" tabindex="-1">
          <nb-child-picker .pool=${this.kids} .rooms=${this.rooms} .selected=${this.chosen} .recent=${this.recent}
            .myId=${this.session.user.id} .describedBy=${childError ? 'obs-child_ids-error' : ''}
            @children-change=${(e: CustomEvent<string[]>) => this.setChildren(e.detail)}></nb-child-picker>
        </div>
        ${childError ? html`<p class="field-error" id="obs-child_ids-error" role="alert">${childError}</p>` : nothing}
      </section>

      <section class="rec-step" aria-labelledby="obs-step-words">
        <h2 id="obs-step-words">${step(3)}In words</h2>
        ${this.templateMenu()}
        <div class="field">
          <label for="obs-title">Title</label>
          <input id="obs-title" type="text" maxlength="200" autocomplete="off" autocapitalize="sentences" enterkeyhint="next"
            .value=${this.heading} aria-invalid=${titleError ? 'true' : 'false'} aria-describedby=${titleError ? 'obs-title-error' : nothing}
            @input=${(e: Event) => this.setTitle((e.target as HTMLInputElement).value)}>
          ${titleError ? html`<p class="field-error" id="obs-title-error">${titleError}</p>` : nothing}
        </div>
        ${this.textArea('body', 'What happened', this.body, 4, 20000, (v) => { this.body = v; })}
        <details class="next-steps" ?open=${this.nextOpen} @toggle=${(e: Event) => { this.nextOpen = (e.target as HTMLDetailsElement).open; }}>
          <summary>Next steps <span class="optional">(optional)</span></summary>
          ${this.textArea('next_steps', 'Next steps', this.nextSteps, 2, 5000, (v) => { this.nextSteps = v; })}
        </details>
        ${this.observedOn && this.observedOn !== today() ? html`<p class="meta">Observed on ${humanDay(this.observedOn)}.</p>` : nothing}
      </section>

      <section class="rec-step" aria-labelledby="obs-step-curriculum">
        <h2 id="obs-step-curriculum">${step(4)}Curriculum <span class="optional">(optional)</span></h2>
        <nb-curriculum-chips .framework=${this.framework} .selected=${this.aspects} .people=${people} today=${today()}
          @aspects-change=${(e: CustomEvent<string[]>) => { this.aspects = e.detail; this.changed(); }}></nb-curriculum-chips>
        <input type="hidden" id="obs-aspect_ids">
        ${this.errors.aspect_ids ? html`<p class="field-error">${this.errors.aspect_ids}</p>` : nothing}
      </section>

      <div class="save-bar">
        <p class="draft-status draft-${this.draft.kind}" aria-live="polite">${this.waiting || this.draftText()}</p>
        ${this.draft.kind === 'failed' && !this.busy
          ? html`<button type="button" class="link draft-retry" @click=${() => this.keeper?.flush()}>Try saving the draft again</button>` : nothing}
        <div class="save-actions">
          <button type="button" class="save-staff" ?disabled=${this.busy} @click=${() => this.finish('staff_only')}>
            <span class="visually-hidden">Save as </span>Staff only</button>
          <button type="button" class="primary save-journal" ?disabled=${this.busy} aria-busy=${this.busy ? 'true' : 'false'}
            @click=${() => this.finish('journal')}>${this.busy ? 'Saving…' : 'Save to journal'}</button>
        </div>
      </div>
    </section>`;
  }

  render() {
    pageTitle(this.phase === 'saved' ? 'Saved' : 'New observation');
    switch (this.phase) {
      case 'loading': return html`<section><h1>New observation</h1>${this.formFeedback()}
        ${this.formError ? nothing : html`<p role="status">Getting the children and your drafts from the box…</p>`}</section>`;
      case 'offer': return this.offerScreen();
      case 'saved': return this.savedScreen();
      default: return this.recording();
    }
  }
}

declare global {
  interface HTMLElementTagNameMap { 'nb-observation-view': ObservationView }
}
