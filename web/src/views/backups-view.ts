// /manage/backups (issue 19): whether the setting's journals are safely backed up, in plain
// words — the last good backup, a failed run and why, the next one, the weekly check and the
// monthly test restore, the space left on the disk — with a warning when something needs
// doing. Managers set backups up here (a USB disk or a folder, a daily time, a recovery key
// printed once) and back up, test the disk, change disk or time and list the backups kept.
// The work itself is done by the box's backup agent; this page asks after it every second.

import { html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError, type Session } from '../api';
import { FormView, pageTitle } from '../base';
import {
  isConfigured, managerRequests, RUNNING, startRequest, waitForRequest,
  type BackupCheck, type BackupOverview, type BackupRequest, type BackupRun, type BackupTarget, type Disk, type Snapshot,
  type TargetTest, type Waiting,
} from '../backup-requests';
import { humanMoment, humanMomentInText, parseMoment } from '../dates';
import { clause, count, formatBytes, formatDuration } from '../format';
import type { BackupTargetPicker } from './backup-target';
import './backup-setup';
import './backup-target';

type Panel = null | 'setup' | 'target';

function targetWords(t: BackupTarget | null | undefined): string {
  return !t ? 'not chosen' : t.kind === 'usb' ? 'A Nestbox USB backup disk' : `The folder ${t.path}`;
}

@customElement('nb-backups-view')
export class BackupsView extends FormView {
  @property({ attribute: false }) session!: Session;
  @state() private o: BackupOverview | null = null;
  @state() private loadError = '';
  @state() private running = '';          // what the agent is doing, while it does it
  @state() private panel: Panel = null;
  @state() private snapshots: Snapshot[] | null = null;
  protected fieldPrefix = 'backups';
  private aborter = new AbortController();

  connectedCallback(): void {
    super.connectedCallback();
    if (this.aborter.signal.aborted) this.aborter = new AbortController();
    void this.load().then(() => this.followPending());
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.aborter.abort();
  }

  private get zone(): string | null {
    return this.o?.schedule?.time_zone ?? null;
  }

  // A moment in the setting's time zone, on its own ("Today, 02:00") or inside a sentence ("today, 02:00").
  private when(iso: string): string {
    return humanMoment(iso);
  }

  private whenInText(iso: string): string {
    return humanMomentInText(iso);
  }

  private waiting<T>(): Waiting<T> {
    return {
      poll: managerRequests,
      signal: this.aborter.signal,
      onUpdate: (r) => { if (this.running) this.running = RUNNING[r.op] ?? this.running; },
    };
  }

  private async load(): Promise<void> {
    try {
      this.o = (await api<{ backups: BackupOverview }>('GET', '/backups')).backups;
      this.loadError = '';
    } catch (e) {
      this.loadError = e instanceof Error ? e.message : String(e);
    }
  }

  // A request already running when the page opened (the nightly backup, another manager's):
  // the page says so and waits for it, with the buttons disabled meanwhile.
  private async followPending(): Promise<void> {
    const pending = this.o?.pending;
    if (!pending || pending.state === 'done' || pending.state === 'failed') return;
    this.busy = true;
    this.running = RUNNING[pending.op] ?? 'Working…';
    try {
      await waitForRequest(pending as BackupRequest<unknown>, this.waiting());
    } catch {
      // Its outcome shows in the status below once it ends.
    } finally {
      this.running = '';
      this.busy = false;
      await this.load();
    }
  }

  // Runs one agent request from a button: progress while it runs, its outcome after, and the
  // status read again either way.
  private async act<T>(path: string, body: unknown, label: string, outcome: (result: T) => string | TemplateResult,
    picker?: BackupTargetPicker): Promise<boolean> {
    let said: string | TemplateResult = '';
    const done = await this.run(async () => {
      this.running = label;
      try {
        said = outcome(await startRequest<T>(path, body, this.waiting()));
      } catch (error) {
        if (picker?.takeError(error)) throw new ApiError(422, 'target', 'Check the disk or folder chosen (above).');
        throw error;
      } finally {
        this.running = '';
        await this.load();
      }
    });
    if (done) this.notice = said;
    return done;
  }

  private findDisks = async (): Promise<Disk[]> =>
    (await startRequest<{ disks: Disk[] }>('/backups/disks', {}, this.waiting())).disks;

  private prepareDisk = async (disk: Disk, confirm: string): Promise<void> => {
    await startRequest('/backups/disks/prepare', { device: disk.device, confirm }, this.waiting());
  };

  private async backUpNow(): Promise<void> {
    const before = this.o?.last?.finished_at;
    const done = await this.act<BackupRun | { message?: string }>('/backups/run', {}, RUNNING.backup, (r) => {
      const run = r && 'bytes_total' in r ? r as BackupRun : null;
      return run
        ? `Backed up: ${formatBytes(run.bytes_added)} new, ${formatBytes(run.bytes_total)} in all, in ${formatDuration(run.duration_s)}. ${count(run.snapshots, 'snapshot', 'snapshots')} kept.`
        : 'Backed up.';
    });
    // The box takes in a run's outcome within a second or two of the agent finishing it.
    for (let tries = 0; done && tries < 5 && this.o?.last?.finished_at === before; ++tries) {
      await new Promise((r) => setTimeout(r, 1000));
      if (!this.isConnected) return;
      await this.load();
    }
  }

  private tested(t: TargetTest): string {
    const space = t.size_bytes ? ` ${formatBytes(t.free_bytes)} free of ${formatBytes(t.size_bytes)}.` : '';
    return `The backup target works: the recovery key opens it and it can be written to.${space} ${count(t.snapshots, 'snapshot', 'snapshots')} on it.`;
  }

  private testTarget(): Promise<boolean> {
    return this.act<TargetTest>('/backups/test', {}, RUNNING.test, (t) => this.tested(t));
  }

  private async showSnapshots(): Promise<void> {
    await this.run(async () => {
      this.running = RUNNING.snapshots;
      try {
        const { snapshots } = await startRequest<{ snapshots: Snapshot[] }>('/backups/snapshots', {}, this.waiting());
        this.snapshots = [...snapshots].sort((a, b) => parseMoment(b.time) - parseMoment(a.time));
      } finally {
        this.running = '';
      }
    });
  }

  private async changeTarget(event: Event): Promise<void> {
    event.preventDefault();
    const picker = this.querySelector<BackupTargetPicker>('nb-backup-target')!;
    const target = picker.chosen();
    if (!target) return;
    const done = await this.act<TargetTest>('/backups/target', { target }, RUNNING.target,
      (t) => `Backups now go to ${targetWords(target).replace(/^A /, 'a ').replace(/^The /, 'the ')}. ${this.tested(t)}`, picker);
    if (done) this.panel = null;
  }

  private async changeTime(event: Event): Promise<void> {
    event.preventDefault();
    const done = await this.run(async () => {
      const time = this.value('time');
      if (!/^\d{2}:\d{2}$/.test(time)) this.fail('time', 'Choose a time of day, for example 02:00.');
      this.o = (await api<{ backups: BackupOverview }>('PUT', '/backups/schedule', { time })).backups;
    });
    if (done && this.o) {
      this.notice = `Backups now run every day at ${this.o.schedule?.time ?? ''}.${this.o.next_at ? ` The next is ${this.whenInText(this.o.next_at)}.` : ''}`;
    }
  }

  private async setUpDone(event: CustomEvent<TargetTest>): Promise<void> {
    this.panel = null;
    await this.load();
    this.formError = '';
    this.notice = `Backups are set up. ${this.tested(event.detail)}`;
    this.updateComplete.then(() => this.querySelector('.notice')?.scrollIntoView({ block: 'nearest' }));
  }

  private open(panel: Panel): void {
    this.panel = panel;
    this.errors = {};
    this.formError = '';
    this.notice = '';
    this.updateComplete.then(() => this.querySelector<HTMLElement>('.step-title, #backups-target-title')?.focus());
  }

  // The warning at the top, when something needs doing.
  private banner(o: BackupOverview): TemplateResult | typeof nothing {
    const alert = (body: TemplateResult) => html`<div class="warning backup-banner" role="alert" data-state=${o.state}>${body}</div>`;
    switch (o.state) {
      case 'failed':
        return alert(html`<p><strong>The last backup failed</strong>${o.last ? ` (${this.whenInText(o.last.finished_at)})` : ''}:
          ${clause(o.last?.error || 'no reason was given')}.</p>
          <p>The journal carries on as normal. Check the backup disk is plugged in and press “Test the target”, then “Back up now”.</p>`);
      case 'check_failed': {
        const bad = [o.last_check, o.last_test_restore].filter((c): c is BackupCheck => Boolean(c && !c.ok))
          .sort((a, b) => parseMoment(b.finished_at) - parseMoment(a.finished_at))[0];
        return alert(html`<p><strong>The ${bad?.kind === 'test_restore' ? 'monthly test restore' : 'weekly check'} of the backups found a
          problem</strong>${bad ? html` (${this.whenInText(bad.finished_at)}): ${clause(bad.error || 'no detail was given')}` : nothing}.</p>
          <p>Older backups may not restore. Press “Back up now” for a fresh backup, and ask IT support to look at the backup disk today.</p>`);
      }
      case 'stale':
        return alert(html`<p><strong>There has been no good backup for more than 48 hours</strong>${o.last_good
          ? ` (the last: ${this.whenInText(o.last_good.finished_at)})` : ''}.</p>
          <p>Check the backup disk is plugged in and the box was on at the backup time, then press “Back up now”.</p>`);
      case 'disk_missing':
        return alert(html`<p><strong>The backup disk is not plugged in.</strong></p>
          <p>Plug one of the Nestbox backup disks into the box${o.next_at ? ` before the next backup (${this.whenInText(o.next_at)})` : ''}.
            If both are lost, prepare a new disk with “Use another disk or folder”.</p>`);
      case 'nearly_full':
        return alert(html`<p><strong>The backup disk is nearly full</strong>${o.disk
          ? `: ${formatBytes(o.disk.free_bytes)} free of ${formatBytes(o.disk.size_bytes)}` : ''}.</p>
          <p>Backups stop when it is full. Get a larger disk and choose “Use another disk or folder” to prepare it.</p>`);
      default:
        return nothing;
    }
  }

  private notSetUp(): TemplateResult {
    return html`<div class="empty backups-empty" data-testid="backups-not-set-up">
      <h2>Backups are not set up</h2>
      <p>Until they are, every journal, photo, consent record and the audit log exists only on this box’s card. If the card fails,
        or the box is lost, stolen or damaged, they are gone.</p>
      <p><strong>We recommend two USB disks, taken home in turn</strong> by two members of staff: a disk left beside the box is lost
        with it in a fire or a theft. The backups are locked with a recovery key you print and keep safe.</p>
      ${this.panel === 'setup' ? nothing
        : html`<div class="actions"><button type="button" class="primary" @click=${() => this.open('setup')}>Set up backups</button></div>`}
    </div>`;
  }

  private check(c: BackupCheck | null | undefined, none: string): TemplateResult | string {
    if (!c) return none;
    if (!c.ok) return html`<span class="warning-text">${this.when(c.finished_at)}: found a problem — ${c.error || 'no detail given'}</span>`;
    return c.kind === 'test_restore'
      ? `${this.when(c.finished_at)}: the database and ${count(c.sample, 'photo', 'photos')} came back as backed up`
      : `${this.when(c.finished_at)}: sound${c.subset_percent ? ` (${c.subset_percent}% of the data read back)` : ''}`;
  }

  private status(o: BackupOverview): TemplateResult {
    const good = o.last_good;
    const failed = o.last && !o.last.ok ? o.last : null;
    // The latest weekly check and monthly test restore (a summary that gives only the latest of
    // either has it in last_check).
    const check = o.last_check?.kind === 'test_restore' ? null : o.last_check;
    const restore = o.last_test_restore ?? (o.last_check?.kind === 'test_restore' ? o.last_check : null);
    return html`<section class="panel" aria-labelledby="backups-status-title">
      <h2 id="backups-status-title">Status</h2>
      <dl class="facts backup-facts">
        <dt>Last good backup</dt>
        <dd data-testid="last-good">${good
          ? html`${this.when(good.finished_at)}: ${formatBytes(good.bytes_total)}, took ${formatDuration(good.duration_s)};
              ${count(good.snapshots, 'snapshot', 'snapshots')} kept`
          : 'None yet'}</dd>
        ${failed ? html`<dt>Last backup</dt>
          <dd data-testid="last-failed"><span class="warning-text">Failed ${this.whenInText(failed.finished_at)}: ${failed.error || 'no reason given'}</span></dd>` : nothing}
        <dt>Next backup</dt>
        <dd data-testid="next-at">${o.next_at ? this.when(o.next_at) : 'Not scheduled'}</dd>
        <dt>Weekly check</dt>
        <dd data-testid="last-check">${this.check(check, 'Not yet')}</dd>
        <dt>Monthly test restore</dt>
        <dd data-testid="last-test-restore">${this.check(restore, 'Not yet')}</dd>
        <dt>Backups go to</dt>
        <dd data-testid="target">${targetWords(o.target)}</dd>
        <dt>Space there</dt>
        <dd data-testid="disk-space">${o.disk && o.disk.size_bytes
          ? `${formatBytes(o.disk.free_bytes)} free of ${formatBytes(o.disk.size_bytes)}`
          : 'Not known yet'}</dd>
      </dl>
      ${o.state === 'none' ? html`<p class="notice-plain">No backup has been made yet.${o.next_at
        ? ` The first is due ${this.whenInText(o.next_at)}, or press “Back up now”.` : ' Press “Back up now”.'}</p>` : nothing}
    </section>`;
  }

  private actions(o: BackupOverview): TemplateResult {
    const b = this.busy;
    return html`<section class="panel" aria-labelledby="backups-actions-title">
      <h2 id="backups-actions-title">Back up, test and change</h2>
      ${this.formFeedback()}
      ${this.running ? html`<p role="status" class="running">${this.running} <progress aria-label=${this.running}></progress></p>` : nothing}
      <div class="actions">
        <button type="button" class="primary" ?disabled=${b} @click=${() => this.backUpNow()}>Back up now</button>
        <button type="button" ?disabled=${b} @click=${() => this.testTarget()}>Test the target</button>
        <button type="button" ?disabled=${b} @click=${() => this.showSnapshots()}>Show snapshots</button>
      </div>
      ${this.snapshotList()}
      <form class="schedule" @submit=${this.changeTime} novalidate aria-label="Daily backup time">
        ${this.field('time', 'Back up every day at', { type: 'time', required: true, value: o.schedule?.time ?? '02:00',
          hint: `In the setting’s time zone${this.zone ? ` (${this.zone.replace(/_/g, ' ')})` : ''}.` })}
        <div class="actions"><button type="submit" ?disabled=${b}>Change the time</button></div>
      </form>
      <div class="actions more-actions">
        <button type="button" ?disabled=${b} @click=${() => this.open('target')}>Use another disk or folder</button>
        <button type="button" ?disabled=${b} @click=${() => this.open('setup')}>Make a new recovery key</button>
      </div>
    </section>`;
  }

  private snapshotList(): TemplateResult | typeof nothing {
    const list = this.snapshots;
    if (list === null) return nothing;
    return html`<section class="snapshots" aria-labelledby="backups-snapshots-title">
      <h3 id="backups-snapshots-title">Snapshots kept</h3>
      ${list.length
        ? html`<ul class="plain snapshot-list">${list.map((s) => html`<li>${this.when(s.time)}
            <span class="meta" translate="no">(${s.short_id})</span></li>`)}</ul>
          <p class="hint">Newest first. Older ones are thinned out: one a day for a week, one a week for a month, one a month for a year.</p>`
        : html`<p>No snapshots there yet: press “Back up now” to make the first.</p>`}
      <div class="actions"><button type="button" @click=${() => { this.snapshots = null; }}>Hide the list</button></div>
    </section>`;
  }

  private targetForm(o: BackupOverview): TemplateResult {
    return html`<form class="panel" @submit=${this.changeTarget} novalidate aria-labelledby="backups-target-title">
      <h2 id="backups-target-title" tabindex="-1">Use another disk or folder</h2>
      <p>The backups carry on with the same recovery key. For the second disk of the pair, prepare it here once; after that
        swapping disks needs nothing on this page.</p>
      ${this.formFeedback()}
      <nb-backup-target field-prefix="backups-target" .current=${o.target ?? null} .findDisks=${this.findDisks}
        .prepareDisk=${this.prepareDisk}></nb-backup-target>
      ${this.running ? html`<p role="status" class="running">${this.running} <progress aria-label=${this.running}></progress></p>` : nothing}
      <div class="actions">
        <button type="submit" class="primary" ?disabled=${this.busy}>Use this for backups</button>
        <button type="button" ?disabled=${this.busy} @click=${() => { this.panel = null; }}>Cancel</button>
      </div>
    </form>`;
  }

  private setupPanel(o: BackupOverview, configured: boolean): TemplateResult {
    return html`<nb-backup-setup ?renewing=${configured} .time=${o.schedule?.time ?? '02:00'} .timeZone=${this.zone}
      .settingName=${this.session?.setting?.name ?? ''} .current=${o.target ?? null} .findDisks=${this.findDisks}
      .prepareDisk=${this.prepareDisk} .signal=${this.aborter.signal}
      @backup-setup-done=${this.setUpDone} @backup-setup-cancel=${() => { this.panel = null; }}></nb-backup-setup>`;
  }

  render() {
    pageTitle('Backups');
    const o = this.o;
    const head = html`<h1>Backups</h1>
      <p class="lead">Every day the box copies every journal, photo, consent record and the audit log to a backup disk or folder,
        locked with a recovery key only your printed sheet holds.</p>`;
    if (!o) {
      return html`<section class="backups-page">${head}
        ${this.loadError ? html`<p class="form-error" role="alert">The backups could not be read: ${this.loadError}</p>`
          : html`<p role="status">Loading…</p>`}</section>`;
    }
    const configured = isConfigured(o);
    return html`<section class="backups-page">${head}
      ${this.loadError ? html`<p class="form-error" role="alert">The backups could not be read again: ${this.loadError}</p>` : nothing}
      ${configured ? this.banner(o) : nothing}
      ${configured ? this.status(o) : this.notSetUp()}
      ${!configured && this.panel !== 'setup' ? this.formFeedback() : nothing}
      ${!configured && this.running ? html`<p role="status" class="running">${this.running} <progress aria-label=${this.running}></progress></p>` : nothing}
      ${this.panel === 'setup' ? this.setupPanel(o, configured)
        : this.panel === 'target' && configured ? this.targetForm(o)
        : configured ? this.actions(o) : nothing}
    </section>`;
  }
}
