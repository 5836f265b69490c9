// The setup page's "Restore from a backup" (issue 19): a new box (or one with a new card) is
// filled again from the setting's backups instead of being set up as new. With the setup code
// the box shows, the manager says where the backups are (the Nestbox backup disk, or a folder),
// types the recovery key from the printed sheet, chooses a snapshot and confirms; the box stops,
// restores and starts again, and everyone signs in with their usual account. These routes are
// open (no session yet): the setup code is the permission, as for setup itself.

import { html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, ApiError } from '../api';
import { humanMoment, humanMomentInText, parseMoment } from '../dates';
import { FormView, pageTitle } from '../base';
import {
  normaliseKey, RUNNING, setupRequests, startRequest,
  type BackupTarget, type Disk, type Snapshot, type Waiting,
} from '../backup-requests';
import type { BackupTargetPicker } from './backup-target';
import './backup-target';

// How long the page waits for the box to come back while it restores and restarts.
const RESTART_MS = 5 * 60 * 1000;

type Phase = 'choose' | 'confirm' | 'restoring' | 'restored';

// "restore-cancel" (bubbles): back to setting the box up as new.
@customElement('nb-restore-view')
export class RestoreView extends FormView {
  @state() private phase: Phase = 'choose';
  // The backups found, with what found them: the restore uses the same.
  @state() private found: { code: string; target: BackupTarget; key: string; snapshots: Snapshot[] } | null = null;
  @state() private chosen: Snapshot | null = null;
  @state() private running = '';
  @state() private restarting = false;
  // The backup was made during a lockdown: the restored box is locked down again.
  @state() private lockedDown = false;
  protected fieldPrefix = 'restore';
  private aborter = new AbortController();

  connectedCallback(): void {
    super.connectedCallback();
    if (this.aborter.signal.aborted) this.aborter = new AbortController();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.aborter.abort();
  }

  private waiting<T>(extra: Partial<Waiting<T>> = {}): Waiting<T> {
    return { poll: setupRequests, signal: this.aborter.signal, ...extra };
  }

  // The box's answers about the setup code belong beside its field.
  protected showError(error: unknown): void {
    if (error instanceof ApiError && error.code === 'invalid_setup_code' && !error.field) {
      error = new ApiError(error.status, error.code, error.message, 'code');
    } else if (error instanceof ApiError && error.code === 'setup_complete') {
      error = new ApiError(error.status, error.code, 'This box is already set up: a backup can only be restored onto a box that is not. Open the box’s address again to sign in.');
    }
    super.showError(error);
  }

  private code(): string {
    const code = this.value('code');
    if (!code) this.fail('code', 'Enter the setup code shown on the box.');
    return code;
  }

  // For the target picker: the box's USB disks, once the setup code is typed.
  private findDisks = async (): Promise<Disk[] | null> => {
    let code: string;
    try {
      code = this.code();
      return (await startRequest<{ disks: Disk[] }>('/setup/restore/disks', { code }, this.waiting())).disks;
    } catch (error) {
      if (error instanceof ApiError && (error.field === 'code' || error.code === 'invalid_setup_code')) {
        this.showError(error);
        return null;
      }
      throw error;
    }
  };

  // Anything changed after the snapshots were listed (but the choice among them): they are
  // listed again.
  private changed(event: Event): void {
    if ((event.target as Element | null)?.matches?.('[name="restore-snapshot"]')) return;
    if (this.found) {
      this.found = null;
      this.chosen = null;
    }
  }

  private async findSnapshots(event: Event): Promise<void> {
    event.preventDefault();
    const picker = this.querySelector<BackupTargetPicker>('nb-backup-target')!;
    this.found = null;
    const target = picker.chosen();
    if (!target) return;
    await this.run(async () => {
      const code = this.code();
      const key = normaliseKey(this.rawValue('key'));
      if (!key) this.fail('key', 'Type the recovery key from the sheet: 8 groups of 5 letters and digits.');
      this.running = RUNNING.snapshots;
      try {
        const { snapshots } = await startRequest<{ snapshots: Snapshot[] }>('/setup/restore/snapshots', { code, target, key },
          this.waiting());
        const newestFirst = [...snapshots].sort((a, b) => parseMoment(b.time) - parseMoment(a.time));
        this.found = { code, target, key: key!, snapshots: newestFirst };
        this.chosen = newestFirst[0] ?? null;
      } catch (error) {
        if (error instanceof ApiError && error.code === 'wrong_key') {
          this.fail('key', 'That recovery key does not open these backups. Check each group against the recovery sheet.');
        }
        if (picker.takeError(error)) throw new ApiError(422, 'target', 'Check where the backups are (above).');
        throw error;
      } finally {
        this.running = '';
      }
    });
    if (this.found) this.updateComplete.then(() => this.querySelector<HTMLElement>('#restore-snapshots-title')?.focus());
  }

  private confirm(): void {
    this.phase = 'confirm';
    this.formError = '';
    this.updateComplete.then(() => this.querySelector<HTMLElement>('#restore-confirm-title')?.focus());
  }

  private async restore(): Promise<void> {
    const found = this.found!;
    const snapshot = this.chosen!;
    this.phase = 'restoring';
    const done = await this.run(async () => {
      await startRequest('/setup/restore', { code: found.code, target: found.target, key: found.key, snapshot: snapshot.id },
        this.waiting({
          unreachableMs: RESTART_MS,
          onUpdate: (_r, reachable) => { this.restarting = !reachable; },
          otherAnswer: (error) => this.afterRestart(error),
        }));
    });
    this.restarting = false;
    if (done) {
      try {
        this.lockedDown = (await api<{ engaged: boolean }>('GET', '/lockdown')).engaged;
      } catch {
        this.lockedDown = false;  // the notice page says so anyway once the app is opened
      }
    }
    this.phase = done ? 'restored' : 'confirm';
    this.updateComplete.then(() => this.querySelector<HTMLElement>('h1')?.focus());
  }

  // After the restart the box may answer for the request no longer (it is set up now, or it
  // forgot the request): set up means the restore is in place.
  private started = 0;
  private async afterRestart(error: ApiError): Promise<{ result: unknown } | 'wait' | undefined> {
    this.started ||= Date.now();
    if (error.code === 'setup_complete') return { result: null };
    if (error.status !== 404) return undefined;
    try {
      await api('GET', '/setup');
    } catch (e) {
      if (e instanceof ApiError && e.status === 410) return { result: null };
    }
    return Date.now() - this.started < RESTART_MS ? 'wait' : undefined;
  }

  private snapshotChoice(found: NonNullable<RestoreView['found']>): TemplateResult {
    if (!found.snapshots.length) {
      return html`<div class="empty" role="status" data-testid="no-snapshots">
        <p><strong>There are no backups there yet.</strong> The key opens it, but nothing has been backed up to it, so there is
          nothing to restore. Check it is the setting’s backup disk or folder, or set this box up as new instead.</p></div>`;
    }
    return html`<fieldset class="snapshot-choice">
        <legend class="legend-title">Choose the backup to restore</legend>
        <p class="hint">Newest first, in this device’s time. The newest has the most recent journal.</p>
        ${found.snapshots.map((s, i) => html`<div class="field-check">
          <input type="radio" name="restore-snapshot" id="restore-snapshot-${i}" .checked=${this.chosen === s}
            @change=${() => { this.chosen = s; }}>
          <label for="restore-snapshot-${i}">${humanMoment(s.time)}
            <span class="meta" translate="no">(${s.short_id})</span></label>
        </div>`)}
      </fieldset>
      <div class="actions"><button type="button" class="primary" ?disabled=${!this.chosen || this.busy}
        @click=${() => this.confirm()}>Restore this backup</button></div>`;
  }

  private chooseForm(): TemplateResult {
    const found = this.found;
    return html`<form @submit=${this.findSnapshots} @input=${this.changed} @change=${this.changed} novalidate>
      ${this.formFeedback()}
      ${this.field('code', 'Setup code', { required: true, autocomplete: 'one-time-code',
        hint: 'Four groups of four letters and digits, as a screen plugged into the box shows it.' })}
      <nb-backup-target purpose="restore" field-prefix="restore-target" .findDisks=${this.findDisks}></nb-backup-target>
      ${this.field('key', 'Recovery key', { required: true, autocomplete: 'off', autocapitalize: 'characters', spellcheck: false,
        hint: 'From the printed recovery sheet: 8 groups of 5 letters and digits. Dashes, spaces and small letters do not matter.' })}
      ${this.running ? html`<p role="status">${this.running} <progress aria-label=${this.running}></progress></p>` : nothing}
      <div class="actions"><button type="submit" ?disabled=${this.busy} class=${found ? '' : 'primary'}>Find snapshots</button></div>
      ${found ? html`<section aria-labelledby="restore-snapshots-title" class="restore-snapshots">
        <h2 id="restore-snapshots-title" tabindex="-1">${found.snapshots.length
          ? `${found.snapshots.length === 1 ? 'One backup' : `${found.snapshots.length} backups`} found`
          : 'No backups found'}</h2>
        ${this.snapshotChoice(found)}</section>` : nothing}
    </form>`;
  }

  private confirmPanel(): TemplateResult {
    const when = humanMomentInText(this.chosen!.time);
    const restoring = this.phase === 'restoring';
    return html`<div class="panel confirm" role="group" aria-labelledby="restore-confirm-title">
      <h2 id="restore-confirm-title" tabindex="-1">Restore the backup of ${when}?</h2>
      <p>This box gets the setting back as it was then: every journal, photo, consent record, account and the audit log. It stops,
        restores and starts again, which takes a few minutes. Keep this page open and the box plugged in.</p>
      ${this.formFeedback()}
      ${restoring ? html`<p role="status">${this.restarting
          ? 'The box is restarting; this page waits for it (up to 5 minutes)…'
          : RUNNING.restore} <progress aria-label="Restoring"></progress></p>` : nothing}
      <div class="actions">
        <button type="button" class="primary" ?disabled=${this.busy} @click=${() => this.restore()}>Yes, restore it</button>
        <button type="button" ?disabled=${this.busy} @click=${() => { this.phase = 'choose'; this.formError = ''; }}>Back</button>
      </div>
    </div>`;
  }

  render() {
    pageTitle('Restore from a backup');
    if (this.phase === 'restored') {
      return html`<section class="panel narrow">
        <h1 tabindex="-1">Restored</h1>
        ${this.lockedDown
          ? html`<p role="status" class="notice">Restored, and locked down: the backup was made during a lockdown. A manager
              lifts it with their username, password and PIN before anyone signs in.</p>
            <p><a class="button primary" href="/lockdown" target="_self">Open the lockdown notice</a></p>`
          : html`<p role="status" class="notice">Restored. Sign in with your usual account.</p>
            <p>Everyone signs in again, on every tablet and phone. Backups carry on to the same disk or folder with the same key.</p>
            <p><a class="button primary" href="/sign-in" target="_self">Sign in</a></p>`}
      </section>`;
    }
    return html`<section class="panel narrow">
      <h1 tabindex="-1">Restore from a backup</h1>
      <p class="lead">For a box replacing one that was lost, stolen or broken. You need the setup code this box shows, the backup
        disk (or the folder IT support gives you) and the printed recovery sheet.</p>
      ${this.phase === 'choose' ? this.chooseForm() : this.confirmPanel()}
      <p><button type="button" class="link" ?disabled=${this.busy}
        @click=${() => this.dispatchEvent(new CustomEvent('restore-cancel', { bubbles: true }))}>Set up a new setting instead</button></p>
    </section>`;
  }
}
