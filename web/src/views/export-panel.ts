// Journal exports (issue 20): a family downloads their child's whole journal to keep, a
// manager exports one child's journal or every leaver of a room in one zip. The box prepares
// the zip in the background (POST /exports); this panel asks after it every second, shows its
// progress in words, and then a download link with its size and how long it is kept. The same
// panel, with different buttons, serves the family view, a child's page and the rooms page.

import { html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError } from '../api';
import { bdi, FormView } from '../base';
import { humanMomentDay, humanMomentInText } from '../dates';
import { formatBytes } from '../format';
import { listOf } from '../journal';

export type ExportState = 'queued' | 'running' | 'ready' | 'failed' | 'cancelled' | 'expired';

export interface JournalExport {
  id: string;
  state: ExportState;
  children: Array<{ id: string; name: string }>;
  room: { id: string; name: string } | null;
  progress: { done: number; total: number; step: 'gathering' | 'pdf' | 'zip' | null };
  bytes: number | null;
  created_at: string;
  finished_at: string | null;
  expires_at: string | null;
  error: { code: string; message: string } | null;
  download: string | null;
}

// What one button exports: one child's journal, or every leaver of a room.
export interface ExportTarget {
  label: string;                 // the button, e.g. "Download Amara’s journal"
  note?: string | TemplateResult;  // under the button, e.g. how many leavers
  childId?: string;
  roomId?: string;
  disabled?: string | TemplateResult;  // why the button cannot be used now (shown instead of it)
}

const ACTIVE: ReadonlySet<ExportState> = new Set(['queued', 'running']);

const STATE_WORDS: Record<ExportState, string> = {
  queued: 'Waiting to start',
  running: 'Being prepared',
  ready: 'Ready to download',
  failed: 'Failed',
  cancelled: 'Cancelled',
  expired: 'No longer available',
};

const STEP_WORDS: Record<string, string> = {
  gathering: 'Gathering the entries, photos and videos',
  pdf: 'Making the PDF',
  zip: 'Packing the zip file',
};

// "Amara’s journal", "Amara and Tobi’s journals", "the journals of Nursery’s leavers"; with a
// capital first letter at the start of a sentence.
function exportName(e: JournalExport, start = false): TemplateResult {
  if (e.room) return html`${start ? 'The' : 'the'} journals of ${bdi(e.room.name)}’s leavers`;
  if (e.children.length === 1) return html`${bdi(e.children[0].name)}’s journal`;
  return html`${listOf(e.children.map((c) => bdi(c.name)))}’s journals`;
}

function exportNameText(e: JournalExport): string {
  if (e.room) return `the journals of ${e.room.name}’s leavers`;
  return `${e.children.map((c) => c.name).join(' and ')}’s journal`;
}

function matches(target: ExportTarget, e: JournalExport): boolean {
  if (target.roomId) return e.room?.id === target.roomId;
  return !e.room && e.children.length === 1 && e.children[0].id === target.childId;
}

@customElement('nb-export-panel')
export class ExportPanel extends FormView {
  // One button per target; the list below shows this person's exports for these targets.
  @property({ attribute: false }) targets: ExportTarget[] = [];
  @property() heading = 'Download the journal';
  @property({ attribute: 'heading-id' }) headingId = 'export-title';
  @property({ attribute: false }) listHeading = 'Recent downloads';
  // What the zip holds, in words for whoever downloads it (a family or a manager).
  @property({ attribute: false }) explanation: string | TemplateResult = '';
  @state() private exports: JournalExport[] | null = null;
  protected fieldPrefix = 'export';
  private timer: number | undefined;
  private polling = false;

  connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private relevant(e: JournalExport): boolean {
    return this.targets.some((t) => matches(t, e));
  }

  private async load(): Promise<void> {
    try {
      const { exports } = await api<{ exports: JournalExport[] }>('GET', '/exports');
      this.exports = exports;
      this.schedule();
    } catch (error) {
      // Said in the panel, without taking the focus from wherever the person is on the page.
      this.exports ??= [];
      this.formError = `Your downloads could not be read: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  private schedule(): void {
    if (this.timer !== undefined || !this.isConnected) return;
    if (!(this.exports ?? []).some((e) => ACTIVE.has(e.state) && this.relevant(e))) return;
    this.timer = window.setTimeout(() => { this.timer = undefined; void this.poll(); }, 1000);
  }

  // Asks after every export still being prepared; says when one is ready or has failed.
  private async poll(): Promise<void> {
    if (this.polling || !this.isConnected) return;
    this.polling = true;
    try {
      for (const e of (this.exports ?? []).filter((x) => ACTIVE.has(x.state) && this.relevant(x))) {
        let fresh: JournalExport | null;
        try {
          fresh = (await api<{ export: JournalExport }>('GET', `/exports/${e.id}`)).export;
        } catch (error) {
          if (error instanceof ApiError && error.status === 404) fresh = null;
          else continue;  // the network dropped for a moment: ask again next second
        }
        this.exports = fresh
          ? (this.exports ?? []).map((x) => (x.id === e.id ? fresh! : x))
          : (this.exports ?? []).filter((x) => x.id !== e.id);
        if (fresh && fresh.state === 'ready') {
          this.notice = html`${exportName(fresh, true)} ${fresh.room ? 'are' : 'is'} ready to download.`;
        } else if (fresh && fresh.state === 'failed') {
          this.formError = `The export of ${exportNameText(fresh)} failed: ${fresh.error?.message ?? 'no reason was given.'}`;
        }
      }
    } finally {
      this.polling = false;
      this.schedule();
    }
  }

  private async start(target: ExportTarget): Promise<void> {
    if (this.busy || this.active(target)) return;
    const body = target.roomId ? { room_id: target.roomId, leavers: true } : { child_id: target.childId };
    const done = await this.run(async () => {
      try {
        const { export: made } = await api<{ export: JournalExport }>('POST', '/exports', body);
        this.exports = [made, ...(this.exports ?? []).filter((x) => x.id !== made.id)];
        if (made.state === 'ready') this.notice = html`${exportName(made, true)} ${made.room ? 'are' : 'is'} ready to download.`;
      } catch (error) {
        // One is already being prepared: show it (the message says so).
        if (error instanceof ApiError && error.code === 'export_running') await this.load();
        throw error;
      } finally {
        this.schedule();
      }
    });
    const made = this.exports?.[0];
    if (done && made && ACTIVE.has(made.state)) {
      this.notice = html`Preparing ${exportName(made)}: the download link appears below when it is ready.`;
    }
  }

  private async discard(e: JournalExport): Promise<void> {
    const running = ACTIVE.has(e.state);
    const done = await this.run(async () => {
      await api('DELETE', `/exports/${e.id}`);
      const { exports } = await api<{ exports: JournalExport[] }>('GET', '/exports');
      this.exports = exports;
    });
    if (done) this.notice = running ? html`Stopped preparing ${exportName(e)}.` : html`Deleted the download of ${exportName(e)}.`;
  }

  private active(target: ExportTarget): JournalExport | undefined {
    return (this.exports ?? []).find((e) => ACTIVE.has(e.state) && matches(target, e));
  }

  private downloaded(e: JournalExport): void {
    this.dispatchEvent(new CustomEvent('export-downloaded', { detail: e, bubbles: true, composed: true }));
  }

  private progress(e: JournalExport): TemplateResult {
    const p = e.progress;
    const label = `Preparing ${exportNameText(e)}`;
    if (e.state === 'queued' || !p || p.total <= 0) {
      return html`<p class="export-progress"><progress aria-label=${label}></progress>
        <span>${e.state === 'queued' ? 'Waiting to start…' : `${STEP_WORDS[p?.step ?? ''] ?? 'Starting'}…`}</span></p>`;
    }
    const done = Math.min(p.done, p.total);
    return html`<p class="export-progress"><progress max=${p.total} .value=${done} aria-label=${label}
        aria-valuetext="${STEP_WORDS[p.step ?? ''] ?? 'Working'}: ${done} of ${p.total}"></progress>
      <span>${STEP_WORDS[p.step ?? ''] ?? 'Working'}: ${done} of ${p.total}</span></p>`;
  }

  private item(e: JournalExport): TemplateResult {
    const name = exportName(e);
    let body: TemplateResult | typeof nothing = nothing;
    if (ACTIVE.has(e.state)) {
      body = html`${this.progress(e)}
        <p class="meta">You may leave this page: the box carries on, and the download waits here for you.</p>
        <div class="actions"><button type="button" class="danger" ?disabled=${this.busy} @click=${() => this.discard(e)}
          aria-label="Stop preparing ${exportNameText(e)}">Stop</button></div>`;
    } else if (e.state === 'ready' && e.download) {
      body = html`<div class="actions">
          <a class="button primary" href=${e.download} download @click=${() => this.downloaded(e)}><span>Download
            ${name}${e.bytes !== null ? html` <span class="export-size">(zip, ${formatBytes(e.bytes)})</span>` : nothing}</span></a>
        </div>
        <p class="meta">${e.expires_at ? html`Available until ${humanMomentDay(e.expires_at)}. ` : nothing}Save it on your phone or
          computer: the box keeps it for 7 days.</p>
        <div class="actions"><button type="button" class="link" ?disabled=${this.busy} @click=${() => this.discard(e)}
          aria-label="Delete it now (${exportNameText(e)})">Delete it now</button></div>`;
    } else if (e.state === 'failed') {
      body = html`<p class="warning-text">${e.error?.message ?? 'It could not be prepared.'}</p>`;
    } else if (e.state === 'expired') {
      body = html`<p class="meta">Kept for 7 days${e.expires_at ? html`, until ${humanMomentDay(e.expires_at)}` : nothing}.
        Prepare a new one whenever you like.</p>`;
    }
    return html`<li class="export-item" data-state=${e.state} data-export=${e.id}>
      <div class="card-head"><span class="card-title">${exportName(e, true)}</span>
        <span class="tag ${e.state}">${STATE_WORDS[e.state] ?? e.state}</span></div>
      ${e.room ? html`<p class="meta">${e.children.length === 1 ? '1 child' : `${e.children.length} children`}:
        ${listOf(e.children.map((c) => bdi(c.name)))}</p>` : nothing}
      <p class="meta">Started ${humanMomentInText(e.created_at)}</p>
      ${body}
    </li>`;
  }

  render() {
    const mine = (this.exports ?? []).filter((e) => this.relevant(e));
    return html`<section class="panel export-panel" aria-labelledby=${this.headingId}>
      <h2 id=${this.headingId}>${this.heading}</h2>
      ${this.explanation ? html`<div class="export-explanation">${this.explanation}</div>` : nothing}
      ${this.targets.length === 0 ? nothing : html`<ul class="export-targets plain">${this.targets.map((t) => {
        const running = this.active(t);
        return html`<li>
          ${t.disabled ? html`<p class="meta">${t.disabled}</p>` : html`<button type="button" class="primary"
            aria-disabled=${running || this.busy ? 'true' : 'false'} @click=${() => this.start(t)}>${t.label}</button>`}
          ${t.note ? html`<p class="meta">${t.note}</p>` : nothing}
          ${running ? html`<p class="meta">Being prepared: see below.</p>` : nothing}
        </li>`;
      })}</ul>`}
      ${this.formFeedback()}
      <h3>${this.listHeading}</h3>
      ${this.exports === null ? html`<p role="status">Loading…</p>`
        : mine.length === 0 ? html`<div class="empty"><p>Nothing prepared yet. Press the button above: the box gathers every
            entry, photo and video into one zip file, and a download link appears here. It stays for 7 days.</p></div>`
        : html`<ul class="cards export-list" aria-label=${this.listHeading}>${mine.map((e) => this.item(e))}</ul>`}
    </section>`;
  }
}
