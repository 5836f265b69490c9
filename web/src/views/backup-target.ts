// Where backups go, or where a restore reads them from: a USB disk prepared for Nestbox (the
// box finds the disks plugged into it, and a manager can prepare a new one, which erases it,
// after typing its name and size), or, for the technically minded, a folder IT support has
// allowed on the box. Sits inside the form of whoever uses it (the Backups screen's set-up and
// "Use another disk or folder", the setup page's restore), which asks it for the target chosen.

import { html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError } from '../api';
import { FormView } from '../base';
import type { BackupTarget, Disk } from '../backup-requests';

// The same disk wording everywhere.
export const NO_DISKS = 'No USB disk found.';

@customElement('nb-backup-target')
export class BackupTargetPicker extends FormView {
  // The box's USB disks (an agent request); null when the caller has said why it could not ask.
  @property({ attribute: false }) findDisks!: () => Promise<Disk[] | null>;
  // Erases and prepares a disk; without it (restoring) disks are only chosen, never prepared.
  @property({ attribute: false }) prepareDisk?: (disk: Disk, confirm: string) => Promise<void>;
  // The target in use now, chosen to begin with.
  @property({ attribute: false }) current: BackupTarget | null = null;
  @property() purpose: 'backup' | 'restore' = 'backup';
  @property({ attribute: 'field-prefix' }) fieldPrefix = 'target';
  @state() private kind: 'usb' | 'directory' = 'usb';
  @state() private disks: Disk[] | null = null;
  @state() private preparing: Disk | null = null;  // the disk whose typed confirmation is open
  @state() private working = '';

  connectedCallback(): void {
    super.connectedCallback();
    if (this.current) this.kind = this.current.kind;
  }

  // The target chosen, or null after showing what is missing.
  chosen(): BackupTarget | null {
    this.errors = {};
    this.formError = '';
    if (this.kind === 'directory') {
      const path = this.value('path');
      if (!path.startsWith('/')) {
        this.showError(new ApiError(400, 'invalid', 'Type the folder’s full path, starting with /, for example /srv/nestbox-backups.', 'path'));
        return null;
      }
      return { kind: 'directory', path };
    }
    const restoring = this.purpose === 'restore';
    const why = this.disks === null || this.disks.length === 0
      ? 'Plug the disk into the box, then press “Find disks”.'
      : !this.disks.some((d) => d.prepared)
        ? restoring
          ? 'None of the disks plugged in holds Nestbox backups. Plug in the Nestbox backup disk, then press “Find disks” again.'
          : 'Prepare a disk first: “Prepare this disk” beside it.'
        : '';
    if (why) {
      this.showTargetError(new ApiError(400, 'invalid', why, 'disks'));
      return null;
    }
    return { kind: 'usb' };
  }

  // An error from the box about the target (a folder refused, no disk plugged in), shown
  // here; false when it is about something else.
  takeError(error: unknown): boolean {
    if (!(error instanceof ApiError)) return false;
    const field = this.kind === 'directory' && (['path', 'target', 'target.path'].includes(error.field ?? '') ||
      ['directory_not_allowed', 'bad_target', 'no_repository'].includes(error.code))
      ? 'path'
      : this.kind === 'usb' && ['disk_missing', 'two_disks', 'disk_unreadable'].includes(error.code) ? 'disks' : '';
    if (!field) return false;
    this.showTargetError(new ApiError(error.status, error.code, error.message, field));
    return true;
  }

  // Shows an error beside the target's field; "disks" is beside the Find disks button, which
  // then has the focus.
  private showTargetError(error: ApiError): void {
    this.showError(error);
    if (error.field === 'disks') this.updateComplete.then(() => this.querySelector<HTMLElement>(`#${this.fieldPrefix}-disks`)?.focus());
  }

  private choose(kind: 'usb' | 'directory'): void {
    this.kind = kind;
    this.errors = {};
    this.formError = '';
  }

  private async find(): Promise<void> {
    this.preparing = null;
    this.working = 'Looking for disks…';
    await this.run(async () => {
      const disks = await this.findDisks();
      if (disks) this.disks = disks;
    });
    this.working = '';
  }

  private openPrepare(disk: Disk): void {
    this.preparing = disk;
    this.errors = {};
    this.formError = '';
    this.updateComplete.then(() => this.querySelector<HTMLElement>(`#${this.fieldPrefix}-confirm`)?.focus());
  }

  private async prepare(): Promise<void> {
    const disk = this.preparing!;
    const confirm = this.rawValue('confirm');
    this.working = 'Preparing the disk…';
    const done = await this.run(async () => {
      if (confirm.trim() !== disk.confirm) {
        this.fail('confirm', `Type “${disk.confirm}” exactly, to show this is the disk to erase.`);
      }
      await this.prepareDisk!(disk, confirm.trim());
      this.disks = (this.disks ?? []).map((d) => (d.device === disk.device ? { ...d, prepared: true } : d));
    });
    this.working = '';
    if (done) {
      this.preparing = null;
      this.notice = `${disk.model} (${disk.size}) is ready for Nestbox backups.`;
    }
  }

  // Enter in the confirmation field prepares the disk, rather than sending the form around it.
  private confirmKey(event: KeyboardEvent): void {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    if (!this.busy) void this.prepare();
  }

  private confirmPanel(disk: Disk): TemplateResult {
    const id = `${this.fieldPrefix}-confirm`;
    const error = this.errors.confirm;
    return html`<div class="panel card-action confirm" role="group" aria-labelledby="${id}-title">
      <p id="${id}-title"><strong>Prepare ${disk.model} (${disk.size}) for Nestbox backups?</strong></p>
      <p class="warning">Everything on this disk is erased: its files cannot be got back. Use a disk kept for Nestbox backups only.</p>
      <p>To confirm, type the disk’s name and size as shown here:</p>
      <p class="confirm-text" translate="no" data-testid="disk-confirm-text">${disk.confirm}</p>
      <div class="field">
        <label for=${id}>The disk’s name and size</label>
        <input id=${id} type="text" autocomplete="off" spellcheck="false" aria-invalid=${error ? 'true' : 'false'}
          aria-describedby=${error ? `${id}-error` : nothing} @keydown=${this.confirmKey}>
        ${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : nothing}
      </div>
      <div class="actions">
        <button type="button" class="danger" ?disabled=${this.busy} @click=${() => this.prepare()}>Erase and prepare this disk</button>
        <button type="button" ?disabled=${this.busy} @click=${() => { this.preparing = null; }}>Cancel</button>
      </div>
    </div>`;
  }

  private diskList(): TemplateResult | typeof nothing {
    const disks = this.disks;
    if (disks === null) return nothing;
    const restoring = this.purpose === 'restore';
    if (!disks.length) {
      return html`<div class="empty" role="status" data-testid="no-disks"><p><strong>${NO_DISKS}</strong> Plug the disk into one of
        the box’s USB sockets, wait a few seconds, then press “Find disks” again.</p></div>`;
    }
    return html`<ul class="cards disks" aria-label="USB disks plugged into the box">${disks.map((d) => html`<li>
      <div class="card-head"><span class="card-title" dir="auto">${d.model}</span>
        <span class="tag ${d.prepared ? 'current' : ''}">${d.prepared
          ? restoring ? 'The Nestbox backup disk' : 'Ready for Nestbox backups'
          : restoring ? 'Not a Nestbox backup disk' : 'Not prepared'}</span></div>
      <p class="meta">${d.size}</p>
      ${!d.prepared && this.prepareDisk && this.preparing !== d
        ? html`<div class="actions"><button type="button" ?disabled=${this.busy} @click=${() => this.openPrepare(d)}>Prepare this disk<span
            class="visually-hidden"> (${d.model}, ${d.size})</span></button></div>`
        : nothing}
      ${this.preparing === d ? this.confirmPanel(d) : nothing}
    </li>`)}</ul>
    ${disks.some((d) => d.prepared)
      ? html`<p class="hint">${restoring
          ? 'The backups are read from the Nestbox backup disk plugged in.'
          : 'Backups go to whichever Nestbox backup disk is plugged in: prepare two, and take them home in turn.'}</p>`
      : nothing}`;
  }

  render() {
    const p = this.fieldPrefix;
    const restoring = this.purpose === 'restore';
    const disksError = this.errors.disks;
    const radio = (kind: 'usb' | 'directory', label: string, hint: string) => html`<div class="field-check">
      <input type="radio" name="${p}-kind" id="${p}-kind-${kind}" .checked=${this.kind === kind} @change=${() => this.choose(kind)}
        aria-describedby="${p}-kind-${kind}-hint">
      <label for="${p}-kind-${kind}">${label}</label>
      <p class="hint" id="${p}-kind-${kind}-hint">${hint}</p>
    </div>`;
    return html`<fieldset class="target-choice">
      <legend class="legend-title">${restoring ? 'Where the backups are' : 'Where the backups go'}</legend>
      ${radio('usb', 'USB disk', restoring
        ? 'The Nestbox backup disk, plugged into one of the box’s USB sockets.'
        : 'Best: two disks, taken home in turn by two people. A disk left beside the box is lost with it in a fire or a theft.')}
      ${radio('directory', 'A folder (advanced)', restoring
        ? 'A folder on a disk or network share the box can reach, as IT support set it up.'
        : 'A folder on another disk or a network share the box can reach. IT support must allow the folder on the box first.')}
      ${this.formFeedback()}
      ${this.kind === 'usb'
        ? html`<div class="actions">
            <button type="button" id="${p}-disks" ?disabled=${this.busy} aria-describedby=${disksError ? `${p}-disks-error` : nothing} @click=${() => this.find()}>Find disks</button>
            ${this.working ? html`<span role="status">${this.working} <progress aria-label=${this.working}></progress></span>` : nothing}
          </div>
          ${disksError ? html`<p class="field-error" id="${p}-disks-error">${disksError}</p>` : nothing}
          ${this.diskList()}`
        : this.field('path', 'Folder on the box', { required: true, autocomplete: 'off',
            value: this.current?.kind === 'directory' ? this.current.path : '',
            hint: restoring
              ? 'Its full path, starting with /, as IT support gives it.'
              : 'Its full path, starting with /. Folders IT support has not allowed are refused.' })}
    </fieldset>`;
  }
}
