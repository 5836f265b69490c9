import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api } from '../api';
import { FormView, pageTitle } from '../base';
import { setTimeZone } from '../dates';
import type { RetentionTable } from './retention-table';
import './retention-table';
import './lockdown-view';

interface Setting {
  name: string;
  framework: string;
  password_require_mixed: boolean;
  keep_unredacted_originals: boolean;
  outside_manager_read?: boolean;  // managers may read from home when remote access is on (issue 31)
  secure_subnets: string;
  time_zone: string;
  storage_reserve_mib: number;
  password_max_age_days: number;
  invitation_days: number;
  remember_days?: number;          // how long a family's remembered phone stays signed in (issue 32)
  redaction_margin_pct?: number;   // the grey margin around a person covered in a photo (issue 32)
  idle_minutes: Record<'manager' | 'staff' | 'parent', number>;
  absolute_hours: Record<'manager' | 'staff' | 'parent', number>;
  export_reminder_on?: string;  // "MM-DD", or "" for no year-end reminder (issue 20)
  leaver_read_days?: number;    // a family reads and downloads this long after the leaving date (issue 21)
  leaver_archive_days?: number; // an archived journal can be restored this long, then it is erased
}

// The two leavers' periods (issue 21): the box takes 7 to 365 days; 90 by default.
const LEAVER_DAYS = { min: 7, max: 365, fallback: 90 };

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// The zones this browser knows (the box checks the name against its own tz database).
function timeZones(current: string): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const known = intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : [];
  return [...new Set([current, 'Europe/London', ...known])].sort();
}

const ROLES = [['manager', 'Managers'], ['staff', 'Staff'], ['parent', 'Parents and carers']] as const;

// Managers: the setting's name, curriculum framework, password rules and session timeouts.
@customElement('nb-settings-view')
export class SettingsView extends FormView {
  @state() private setting: Setting | null = null;
  protected fieldPrefix = 'setting';

  connectedCallback(): void {
    super.connectedCallback();
    api<{ setting: Setting }>('GET', '/settings').then((r) => { this.setting = r.setting; }).catch((e) => this.showError(e));
  }

  private number(name: string, label: string): number {
    const raw = this.value(name);
    if (!/^\d+$/.test(raw)) this.fail(name, `${label}: enter a whole number.`);
    return Number(raw);
  }

  private days(name: string, label: string): number {
    const n = this.number(name, label);
    if (n < LEAVER_DAYS.min || n > LEAVER_DAYS.max) this.fail(name, `${label}: enter a number of days from ${LEAVER_DAYS.min} to ${LEAVER_DAYS.max}.`);
    return n;
  }

  private rememberDays(): number {
    const n = this.number('remember_days', 'Remembered phones');
    if (n < 30 || n > 180) this.fail('remember_days', 'Remembered phones: enter a number of days from 30 to 180.');
    return n;
  }

  private percent(name: string, label: string): number {
    const n = this.number(name, label);
    if (n < 0 || n > 50) this.fail(name, `${label}: enter a percentage from 0 to 50.`);
    return n;
  }

  // The time zone, searchable (issue 32): a text box with the zones as suggestions; typing
  // "london" or "new york" narrows the list. Only a zone from the list is sent.
  private timeZoneField(current: string) {
    const id = `${this.fieldPrefix}-time_zone`;
    const error = this.errors.time_zone;
    return html`<div class="field">
      <label for=${id}>Time zone</label>
      <p class="hint" id="${id}-hint">Type a city or region, such as London, and choose from the list. Days, weeks, terms and
        release dates follow this clock.</p>
      <input id=${id} name="time_zone" type="text" list="${id}-list" .defaultValue=${current} autocomplete="off" spellcheck="false"
        required aria-invalid=${error ? 'true' : 'false'} aria-describedby="${id}-hint${error ? ` ${id}-error` : ''}"
        @input=${() => { if (this.errors.time_zone) { const rest = { ...this.errors }; delete rest.time_zone; this.errors = rest; } }}>
      <datalist id="${id}-list">${timeZones(current).map((z) => html`<option value=${z}>${z.replace(/_/g, ' ')}</option>`)}</datalist>
      ${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : nothing}
    </div>`;
  }

  // The zone typed, as the list spells it ("europe/london", "Europe/London", or a city alone
  // when only one zone has it: "dublin"); a message otherwise.
  private timeZoneValue(): string {
    const typed = this.value('time_zone');
    const wanted = typed.toLowerCase().replace(/ /g, '_');
    const zones = timeZones(this.setting?.time_zone ?? 'Europe/London');
    const cities = zones.filter((z) => z.toLowerCase().endsWith(`/${wanted}`));
    const zone = zones.find((z) => z.toLowerCase() === wanted) ?? (cities.length === 1 ? cities[0] : undefined);
    if (zone) return zone;
    return this.fail('time_zone', typed ? `“${typed}” is not a time zone on the list: type a city, such as London, and choose one.`
      : 'Choose the setting’s time zone, such as Europe/London.');
  }

  private async save(event: Event): Promise<void> {
    event.preventDefault();
    const done = await this.run(async () => {
      const body: Record<string, unknown> = {
        name: this.value('name'),
        framework: this.value('framework'),
        time_zone: this.timeZoneValue(),
        password_require_mixed: this.checked('password_require_mixed'),
        keep_unredacted_originals: this.checked('keep_unredacted_originals'),
        outside_manager_read: this.checked('outside_manager_read'),
        secure_subnets: this.value('secure_subnets'),
        storage_reserve_mib: this.number('storage_reserve_mib', 'Space kept free'),
        password_max_age_days: this.number('password_max_age_days', 'Maximum password age'),
        invitation_days: this.number('invitation_days', 'Invitation codes'),
        redaction_margin_pct: this.percent('redaction_margin_pct', 'Margin around a hidden child'),
        remember_days: this.rememberDays(),
        leaver_read_days: this.days('leaver_read_days', 'Reading after the leaving date'),
        leaver_archive_days: this.days('leaver_archive_days', 'Archived journals'),
      };
      body.export_reminder_on = this.reminderDate();
      for (const [role, label] of ROLES) {
        body[`idle_minutes_${role}`] = this.number(`idle_minutes_${role}`, label);
        body[`absolute_hours_${role}`] = this.number(`absolute_hours_${role}`, label);
      }
      this.setting = (await api<{ setting: Setting }>('PATCH', '/settings', body)).setting;
      setTimeZone(this.setting.time_zone);  // every time shown from now on is in the new zone
    });
    if (done) {
      this.notice = 'Saved. New timeouts apply to sessions already open.';
      void this.querySelector<RetentionTable>('nb-retention-table')?.load();
    }
  }

  // The year-end reminder as the box takes it: "MM-DD", or "" when no month is chosen.
  private reminderDate(): string {
    const month = this.value('export_reminder_on');
    if (!month) return '';
    const day = this.value('export_reminder_day');
    const m = Number(month);
    const d = Number(day);
    if (!/^\d{2}$/.test(month) || m < 1 || m > 12) this.fail('export_reminder_on', 'Choose a month, or “No reminder”.');
    if (!/^\d{1,2}$/.test(day) || d < 1) this.fail('export_reminder_on', 'Choose the day of the month too.');
    if (d > DAYS_IN_MONTH[m - 1]) this.fail('export_reminder_on', `There is no ${d} ${MONTHS[m - 1]}: choose another day.`);
    const date = `${month}-${String(d).padStart(2, '0')}`;
    if (!/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(date)) this.fail('export_reminder_on', 'Choose a month and a day.');
    return date;
  }

  // Month and day of the year-end reminder (policy 000), as two lists: no year, no typing.
  private reminderField(current: string) {
    const [month, day] = /^\d{2}-\d{2}$/.test(current) ? current.split('-') : ['', ''];
    const error = this.errors.export_reminder_on;
    const id = 'setting-export_reminder_on';
    return html`<fieldset class="reminder-date" aria-describedby="${id}-hint${error ? ` ${id}-error` : ''}">
      <legend class="legend-title">Year-end reminder to families</legend>
      <p class="hint" id="${id}-hint">Each year from this date, families are asked to download their child’s journal: their
        journal shows a reminder until they do. The download is theirs to keep, and opens without Nestbox. Choose
        “No reminder” to switch it off.</p>
      <div class="reminder-fields">
        <div class="field"><label for=${id}>Month</label>
          <select id=${id} name="export_reminder_on" aria-invalid=${error ? 'true' : 'false'}>
            <option value="" ?selected=${!month}>No reminder</option>
            ${MONTHS.map((name, i) => {
              const v = String(i + 1).padStart(2, '0');
              return html`<option value=${v} ?selected=${v === month}>${name}</option>`;
            })}
          </select></div>
        <div class="field"><label for="setting-export_reminder_day">Day</label>
          <select id="setting-export_reminder_day" name="export_reminder_day">
            ${Array.from({ length: 31 }, (_, i) => {
              const v = String(i + 1).padStart(2, '0');
              return html`<option value=${v} ?selected=${v === (day || '01')}>${i + 1}</option>`;
            })}
          </select></div>
      </div>
      ${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : nothing}
    </fieldset>`;
  }

  render() {
    pageTitle('Setting');
    const s = this.setting;
    // The lockdown switch first (issue 32): found at once when it is needed, and confirmed
    // in a dialog so it is never pressed by accident.
    if (!s) return html`<section><h1>Setting</h1><nb-lockdown-switch></nb-lockdown-switch>${this.formFeedback()}<p role="status">Loading…</p></section>`;
    return html`<section>
      <h1>Setting</h1>
      <nb-lockdown-switch></nb-lockdown-switch>
      <form @submit=${this.save} novalidate>
        ${this.formFeedback()}
        <fieldset class="panel"><legend><h2>Your setting</h2></legend>
          ${this.field('name', 'Setting name', { required: true, value: s.name })}
          ${this.field('framework', 'Curriculum framework', { required: true, value: s.framework, options: [
            { value: 'eyfs', label: 'EYFS (England)' }, { value: 'cfe', label: 'Curriculum for Excellence (Scotland)' }] })}
          ${this.timeZoneField(s.time_zone)}
        </fieldset>
        <fieldset class="panel"><legend><h2>Password rules</h2></legend>
          <p class="meta">Every password has at least 10 characters and is checked against common passwords.</p>
          ${this.field('password_require_mixed', 'Require an upper-case letter, a lower-case letter and a digit', { type: 'checkbox', checked: s.password_require_mixed })}
          ${this.field('keep_unredacted_originals', 'Keep unredacted originals (staff only)', { type: 'checkbox', checked: s.keep_unredacted_originals,
            hint: 'Off by default: when staff obscure a child in a photo, the unredacted photo is deleted, as the policies ask.' })}
          ${this.field('redaction_margin_pct', 'Margin around a hidden child (%)', { type: 'number', inputmode: 'numeric', required: true, min: 0, max: 50,
            value: String(s.redaction_margin_pct ?? 10),
            hint: 'A child hidden in a photo is covered in grey, and so is this much more on every side, so no outline, hair or sleeve shows. 10 by default; photos already hidden get a wider margin within ten minutes, never a narrower one.' })}
          ${this.field('password_max_age_days', 'Maximum password age in days', { type: 'number', inputmode: 'numeric', required: true, min: 0, max: 3650, value: String(s.password_max_age_days), hint: '0 means passwords do not expire.' })}
        </fieldset>
        <fieldset class="panel"><legend><h2>Families</h2></legend>
          ${this.field('invitation_days', 'Invitation codes work for this many days', { type: 'number', inputmode: 'numeric', required: true, min: 1, max: 90, value: String(s.invitation_days ?? 14),
            hint: 'A family joins with the one-time code in the letter you print from their child’s page. 1 to 90 days; 14 by default.' })}
          ${this.field('remember_days', 'Remembered phones stay signed in for this many days', { type: 'number', inputmode: 'numeric', required: true, min: 30, max: 180,
            value: String(s.remember_days ?? 90),
            hint: 'When a parent ticks “Keep me signed in on this phone”. 30 to 180 days; 90 by default. For their data, erasure or opting out they give their password again.' })}
          ${this.reminderField(s.export_reminder_on ?? '')}
        </fieldset>
        <fieldset class="panel"><legend><h2>From home</h2></legend>
          <p class="meta">When IT support has turned on remote access, families read their child’s journal from home at the
            setting’s public address. Staff never can: they record on the setting’s tablets. Accounts, consent, devices,
            settings, backups, erasure and lockdown only ever work here, on the setting’s network.</p>
          ${this.field('outside_manager_read', 'Managers may read the journal and the to-do list from home', { type: 'checkbox',
            checked: Boolean(s.outside_manager_read),
            hint: 'Off by default. Every sign-in from home is recorded, and the home page counts them per day.' })}
        </fieldset>
        <fieldset class="panel"><legend><h2>When a child leaves</h2></legend>
          <p class="meta">After the leaving date the family can still read and download the journal; then it is archived, hidden
            from the family, and after that erased for good unless you restore it from the child’s page.</p>
          ${this.field('leaver_read_days', 'Days a family can read and download after the leaving date', { type: 'number', inputmode: 'numeric',
            required: true, min: LEAVER_DAYS.min, max: LEAVER_DAYS.max, value: String(s.leaver_read_days ?? LEAVER_DAYS.fallback),
            hint: 'No new entries are written for a child who has left. 7 to 365 days; 90 by default.' })}
          ${this.field('leaver_archive_days', 'Days an archived journal can be restored, before it is erased', { type: 'number', inputmode: 'numeric',
            required: true, min: LEAVER_DAYS.min, max: LEAVER_DAYS.max, value: String(s.leaver_archive_days ?? LEAVER_DAYS.fallback),
            hint: 'Then everything about the child is erased, as on request. 7 to 365 days; 90 by default.' })}
        </fieldset>
        <fieldset class="panel"><legend><h2>Secure network</h2></legend>
          ${this.field('secure_subnets', 'Networks staff may upload from', { required: true, value: s.secure_subnets,
            hint: 'The staff Wi-Fi, not the guest network: networks like 192.168.10.0/24, separated by commas. Tablets on any other network can read the journal but not send photos or videos.' })}
          <p class="meta">The box’s network addresses and certificate, for IT support: <a href="/manage/it">IT details</a>.</p>
        </fieldset>
        <fieldset class="panel"><legend><h2>Storage</h2></legend>
          ${this.field('storage_reserve_mib', 'Space kept free, in MB', { type: 'number', inputmode: 'numeric', required: true, min: 0, value: String(s.storage_reserve_mib),
            hint: 'The box refuses new photos and videos before the disk gets this full, so the journal can always be written. 0 keeps the default: 2 GB or 5% of the disk, whichever is larger.' })}
        </fieldset>
        <fieldset class="panel"><legend><h2>Sessions</h2></legend>
          <p class="meta">Sign people out after this long without activity, and after this long in any case.</p>
          ${ROLES.map(([role, label]) => html`<div class="grid-2">
            ${this.field(`idle_minutes_${role}`, `${label}: minutes idle`, { type: 'number', inputmode: 'numeric', required: true, min: 1, value: String(s.idle_minutes[role]) })}
            ${this.field(`absolute_hours_${role}`, `${label}: hours at most`, { type: 'number', inputmode: 'numeric', required: true, min: 1, value: String(s.absolute_hours[role]) })}
          </div>`)}
        </fieldset>
        ${this.submitButton('Save setting', 'Saving…')}
      </form>
      <nb-retention-table></nb-retention-table>
    </section>`;
  }
}
