// Setting up backups, or making a new recovery key, in three steps: where the backups go and
// when; the recovery key, shown once, on a sheet to print; then two of its groups typed back
// from the sheet, after which the box stores the key and target, prepares the backups there and
// tests them. The key never comes back from the box: without the sheet the backups are lost.

import { html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError } from '../api';
import { bdi, FormView } from '../base';
import { managerRequests, startRequest, type BackupTarget, type Disk, type TargetTest } from '../backup-requests';
import { fullMoment } from '../dates';
import { qrCode } from '../qr';
import type { BackupTargetPicker } from './backup-target';
import './backup-target';

interface KeySetup {
  id: string;
  key: string;
  groups: number;
  confirm_groups: number[];  // 1-based
  expires_at: string;
}

type Step = 'target' | 'key' | 'confirm';

// Done: the target's test (bubbles as "backup-setup-done"). Cancelled: "backup-setup-cancel".
@customElement('nb-backup-setup')
export class BackupSetup extends FormView {
  // Backups are set up already: this makes a new key.
  @property({ type: Boolean }) renewing = false;
  @property() time = '02:00';
  @property({ attribute: false }) timeZone: string | null = null;
  @property({ attribute: false }) settingName = '';
  @property({ attribute: false }) current: BackupTarget | null = null;
  @property({ attribute: false }) findDisks!: () => Promise<Disk[] | null>;
  @property({ attribute: false }) prepareDisk!: (disk: Disk, confirm: string) => Promise<void>;
  @property({ attribute: false }) signal?: AbortSignal;
  @state() private step: Step = 'target';
  @state() private setup: KeySetup | null = null;
  @state() private target: BackupTarget | null = null;
  @state() private madeAt = '';
  @state() private checking = false;
  @state() private startAgain = false;  // the box could not finish: a new key may be needed
  @state() private expired = false;     // it is: the setup is gone
  protected fieldPrefix = 'backup-setup';

  private go(step: Step): void {
    this.step = step;
    this.errors = {};
    this.formError = '';
    this.updateComplete.then(() => this.querySelector<HTMLElement>('.step-title')?.focus());
  }

  private restart(): void {
    this.setup = null;
    this.startAgain = false;
    this.expired = false;
    this.go('target');
  }

  private cancel(): void {
    this.dispatchEvent(new CustomEvent('backup-setup-cancel', { bubbles: true }));
  }

  private async makeKey(event: Event): Promise<void> {
    event.preventDefault();
    const picker = this.querySelector<BackupTargetPicker>('nb-backup-target')!;
    const target = picker.chosen();
    if (!target) return;
    const made = await this.run(async () => {
      const time = this.value('time');
      if (!/^\d{2}:\d{2}$/.test(time)) this.fail('time', 'Choose a time of day, for example 02:00.');
      try {
        this.setup = (await api<{ setup: KeySetup }>('POST', '/backups/setup', { target, time })).setup;
      } catch (error) {
        if (picker.takeError(error)) throw new ApiError(422, 'target', 'Check where the backups go (above).');
        throw error;
      }
      this.target = target;
      this.time = time;
      this.madeAt = new Date().toISOString();
    });
    if (made) this.go('key');
  }

  private async confirm(event: Event): Promise<void> {
    event.preventDefault();
    const setup = this.setup!;
    const [first, second] = setup.confirm_groups;
    let result: TargetTest | null = null;
    await this.run(async () => {
      const typed = setup.confirm_groups.map((n) => this.value(`group-${n}`).replace(/[\s-]+/g, '').toUpperCase());
      if (typed.some((t) => !t)) this.fail('typed', `Type groups ${first} and ${second} of the key, from the printed sheet.`);
      this.checking = true;
      try {
        result = await startRequest<TargetTest>('/backups/setup/confirm', { id: setup.id, typed: typed.join(' ') },
          { poll: managerRequests, signal: this.signal });
      } catch (error) {
        // The key was right but the box could not finish (the target refused, the setup too old):
        // trying again may do (a disk plugged in meanwhile), else a new setup, with a new key.
        if (error instanceof ApiError && error.code === 'key_mismatch') throw new ApiError(error.status, error.code, error.message, 'typed');
        if (error instanceof ApiError && error.status !== 0) this.startAgain = true;
        if (error instanceof ApiError && error.code === 'setup_expired') this.expired = true;
        throw error;
      } finally {
        this.checking = false;
      }
    });
    if (result) this.dispatchEvent(new CustomEvent<TargetTest>('backup-setup-done', { detail: result, bubbles: true }));
  }

  private targetStep(): TemplateResult {
    return html`<form @submit=${this.makeKey} novalidate aria-labelledby="backup-setup-title">
      <h2 id="backup-setup-title" class="step-title" tabindex="-1">${this.renewing ? 'Make a new recovery key' : 'Set up backups'}</h2>
      ${this.renewing ? html`<p class="warning"><strong>Backups made from now on need the new key.</strong> Backups already made
        still need the old recovery sheet: keep it, marked “old”, until they are a year old.</p>` : nothing}
      <p class="step-count">Step 1 of 3: where the backups go, and when</p>
      ${this.formFeedback()}
      <nb-backup-target field-prefix="backup-target" .current=${this.target ?? this.current} .findDisks=${this.findDisks}
        .prepareDisk=${this.prepareDisk}></nb-backup-target>
      ${this.field('time', 'Back up every day at', { type: 'time', required: true, value: this.time,
        hint: `In the setting’s time zone${this.timeZone ? ` (${this.timeZone.replace(/_/g, ' ')})` : ''}. The box must be on then; nothing stops while it backs up.` })}
      <div class="actions">
        <button type="submit" class="primary" ?disabled=${this.busy}>Next: make the recovery key</button>
        <button type="button" ?disabled=${this.busy} @click=${() => this.cancel()}>Cancel</button>
        ${this.busy ? html`<progress aria-label="Making the key"></progress>` : nothing}
      </div>
    </form>`;
  }

  private where(): string {
    const t = this.target;
    return !t ? '' : t.kind === 'usb' ? 'a Nestbox USB backup disk' : `the folder ${t.path}`;
  }

  // The recovery sheet: on screen as it prints (only it prints, see styles.css).
  private sheet(setup: KeySetup): TemplateResult {
    const groups = setup.key.split('-');
    return html`<article class="recovery-sheet" aria-labelledby="sheet-title">
      <p class="letter-setting" dir="auto">${this.settingName}</p>
      <h3 id="sheet-title">Nestbox backups: the recovery key</h3>
      <p class="meta">Made on ${fullMoment(this.madeAt)}. The backups go to ${this.where()}, every day at ${this.time}.</p>
      <div class="sheet-key">
        <ol class="recovery-key" translate="no" aria-label="Recovery key, ${groups.length} groups" data-testid="recovery-key"
          data-key=${setup.key}>${groups.map((g) => html`<li>${g}</li>`)}</ol>
        ${qrCode(setup.key, 'QR code of the recovery key')}
      </div>
      <p class="sheet-warning"><strong>Without this key the backups cannot be read by anyone, including us. Print this sheet and
        keep it away from the box.</strong></p>
      <h4>What it is for</h4>
      <p>Every day the box backs up every journal, photo, consent record, account and the audit log of
        ${this.settingName ? bdi(this.settingName) : 'the setting'}, locked with this key. If the box is lost, stolen or broken, or
        its card fails, a new box is filled again from the backups with it.</p>
      <h4>How to restore</h4>
      <ol class="sheet-steps">
        <li>Start a new Nestbox box (or this one with a new card) and open its setup page.</li>
        <li>Choose “Restore from a backup” and type the setup code the box shows.</li>
        <li>Plug in the backup disk (or type the folder), type this key and choose the backup to restore.</li>
        <li>When the box has started again, everyone signs in with their usual account.</li>
      </ol>
    </article>`;
  }

  private keyStep(setup: KeySetup): TemplateResult {
    return html`<section aria-labelledby="backup-key-title">
      <h2 id="backup-key-title" class="step-title" tabindex="-1"><span class="step-count">Step 2 of 3:</span> the recovery key</h2>
      <p>The box shows this key once, now. Print the sheet, check it printed clearly, and keep it somewhere safe away from the box
        (at home, or in the setting’s safe).</p>
      <div class="actions"><button type="button" class="primary" @click=${() => window.print()}>Print the recovery sheet</button></div>
      ${this.sheet(setup)}
      <div class="actions">
        <button type="button" class="primary" @click=${() => this.go('confirm')}>Next: check the sheet</button>
        <button type="button" @click=${() => this.cancel()}>Cancel</button>
      </div>
    </section>`;
  }

  private confirmStep(setup: KeySetup): TemplateResult {
    const [first, second] = setup.confirm_groups;
    const error = this.errors.typed;
    const p = this.fieldPrefix;
    return html`<form @submit=${this.confirm} novalidate aria-labelledby="backup-confirm-title">
      <h2 id="backup-confirm-title" class="step-title" tabindex="-1"><span class="step-count">Step 3 of 3:</span> check the sheet</h2>
      ${this.formFeedback()}
      <fieldset id="${p}-typed" class="key-check" aria-describedby="${p}-typed-hint${error ? ` ${p}-typed-error` : ''}">
        <legend class="legend-title">Type groups ${first} and ${second} of the key</legend>
        <p class="hint" id="${p}-typed-hint">From the printed sheet, not from the screen: this checks the sheet can be read.</p>
        <div class="key-groups">${setup.confirm_groups.map((n) => html`<div class="field">
          <label for="${p}-group-${n}">Group ${n}</label>
          <input id="${p}-group-${n}" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="11"
            aria-invalid=${error ? 'true' : 'false'} aria-describedby=${error ? `${p}-typed-error` : nothing}>
        </div>`)}</div>
        ${error ? html`<p class="field-error" id="${p}-typed-error">${error}</p>` : nothing}
      </fieldset>
      ${this.checking ? html`<p role="status">Checking the key, then preparing the backups and testing them…
        <progress aria-label="Setting up backups"></progress></p>` : nothing}
      <div class="actions">
        ${this.expired ? nothing
          : html`<button type="submit" class="primary" ?disabled=${this.busy}>${this.startAgain ? 'Try again' : 'Check and finish'}</button>`}
        ${this.startAgain ? html`<button type="button" class=${this.expired ? 'primary' : ''} ?disabled=${this.busy} @click=${() => this.restart()}>Start again with a new key</button>` : nothing}
        ${this.startAgain ? nothing
          : html`<button type="button" ?disabled=${this.busy} @click=${() => this.go('key')}>Show the key again</button>`}
        <button type="button" ?disabled=${this.busy} @click=${() => this.cancel()}>Cancel</button>
      </div>
    </form>`;
  }

  render() {
    const setup = this.setup;
    return html`<div class="panel backup-setup">
      ${this.step === 'target' || !setup ? this.targetStep()
        : this.step === 'key' ? this.keyStep(setup)
        : this.confirmStep(setup)}
    </div>`;
  }
}
