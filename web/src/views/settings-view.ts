import { html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api } from '../api';
import { FormView, pageTitle } from '../base';

interface Setting {
  name: string;
  framework: string;
  password_require_mixed: boolean;
  keep_unredacted_originals: boolean;
  secure_subnets: string;
  time_zone: string;
  storage_reserve_mib: number;
  password_max_age_days: number;
  invitation_days: number;
  idle_minutes: Record<'manager' | 'staff' | 'parent', number>;
  absolute_hours: Record<'manager' | 'staff' | 'parent', number>;
}

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

  private async save(event: Event): Promise<void> {
    event.preventDefault();
    const done = await this.run(async () => {
      const body: Record<string, unknown> = {
        name: this.value('name'),
        framework: this.value('framework'),
        time_zone: this.value('time_zone'),
        password_require_mixed: this.checked('password_require_mixed'),
        keep_unredacted_originals: this.checked('keep_unredacted_originals'),
        secure_subnets: this.value('secure_subnets'),
        storage_reserve_mib: this.number('storage_reserve_mib', 'Space kept free'),
        password_max_age_days: this.number('password_max_age_days', 'Maximum password age'),
        invitation_days: this.number('invitation_days', 'Invitation codes'),
      };
      for (const [role, label] of ROLES) {
        body[`idle_minutes_${role}`] = this.number(`idle_minutes_${role}`, label);
        body[`absolute_hours_${role}`] = this.number(`absolute_hours_${role}`, label);
      }
      this.setting = (await api<{ setting: Setting }>('PATCH', '/settings', body)).setting;
    });
    if (done) this.notice = 'Saved. New timeouts apply to sessions already open.';
  }

  render() {
    pageTitle('Setting');
    const s = this.setting;
    if (!s) return html`<section><h1>Setting</h1>${this.formFeedback()}<p role="status">Loading…</p></section>`;
    return html`<section>
      <h1>Setting</h1>
      <form @submit=${this.save} novalidate>
        ${this.formFeedback()}
        <fieldset class="panel"><legend><h2>Your setting</h2></legend>
          ${this.field('name', 'Setting name', { required: true, value: s.name })}
          ${this.field('framework', 'Curriculum framework', { required: true, value: s.framework, options: [
            { value: 'eyfs', label: 'EYFS (England)' }, { value: 'cfe', label: 'Curriculum for Excellence (Scotland)' }] })}
          ${this.field('time_zone', 'Time zone', { required: true, value: s.time_zone, options: timeZones(s.time_zone).map((z) => ({ value: z, label: z.replace(/_/g, ' ') })),
            hint: 'Days, weeks, terms and release dates follow this clock.' })}
        </fieldset>
        <fieldset class="panel"><legend><h2>Password rules</h2></legend>
          <p class="meta">Every password has at least 10 characters and is checked against common passwords.</p>
          ${this.field('password_require_mixed', 'Require an upper-case letter, a lower-case letter and a digit', { type: 'checkbox', checked: s.password_require_mixed })}
          ${this.field('keep_unredacted_originals', 'Keep unredacted originals (staff only)', { type: 'checkbox', checked: s.keep_unredacted_originals,
            hint: 'Off by default: when staff obscure a child in a photo, the unredacted photo is deleted, as the policies ask.' })}
          ${this.field('password_max_age_days', 'Maximum password age in days', { type: 'number', inputmode: 'numeric', required: true, min: 0, max: 3650, value: String(s.password_max_age_days), hint: '0 means passwords do not expire.' })}
        </fieldset>
        <fieldset class="panel"><legend><h2>Families</h2></legend>
          ${this.field('invitation_days', 'Invitation codes work for this many days', { type: 'number', inputmode: 'numeric', required: true, min: 1, max: 90, value: String(s.invitation_days ?? 14),
            hint: 'A family joins with the one-time code in the letter you print from their child’s page. 1 to 90 days; 14 by default.' })}
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
    </section>`;
  }
}
