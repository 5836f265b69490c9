import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, type User } from '../api';
import { bdi, FormView, pageTitle } from '../base';
import { humanMoment, startOfDay } from '../dates';

interface Entry {
  seq: number;
  at: string;
  event: string;
  description: string;
  actor_id: string | null;
  actor_name: string | null;
  actor_display_name?: string | null;  // the person's name as managers know them (issue 32)
  address: string | null;
  target_type: string | null;
  // Issue 32: what the row is about and the tablet it came from, by name as managers may see
  // them ("Ava Ahmed", "a child who has left"), never by id.
  target_name?: string | null;
  device_name?: string | null;
  detail: Record<string, unknown>;
}

const SUBJECT_LABEL: Record<string, string> = {
  child: 'Child', entry: 'Entry', media: 'Photo', upload: 'Upload', device: 'Device', user: 'Person', room: 'Room',
};

interface AuditEvent { id: string; description: string }

// An event as a manager reads it: the catalogue's description in sentence case ("Sign-in
// failed"), not its id (NBX_AUTH_SIGNIN_FAILED), which stays on the entry for IT support.
export function eventName(description: string): string {
  const text = description.trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// The day after a calendar day ("2026-12-31" → "2027-01-01").
function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

// A day typed into a date filter as the moment it starts in the setting's time zone, in Unix
// seconds as the box takes it; the day itself if it is not a date.
function dayStart(day: string): string {
  const ms = startOfDay(day);
  return Number.isFinite(ms) ? String(Math.floor(ms / 1000)) : day;
}

// Managers: the append-only audit log, filtered by who, what and when, newest first. Events by
// name, times in the one date style (dates.ts) and days from and to in the setting's zone.
@customElement('nb-audit-view')
export class AuditView extends FormView {
  @state() private entries: Entry[] | null = null;
  @state() private next: string | null = null;
  @state() private events: AuditEvent[] = [];
  @state() private users: User[] = [];
  protected fieldPrefix = 'audit';

  connectedCallback(): void {
    super.connectedCallback();
    api<{ events: AuditEvent[] }>('GET', '/audit/events').then((r) => {
      this.events = r.events.map((e) => ({ id: e.id, description: eventName(e.description) }))
        .sort((a, b) => a.description.localeCompare(b.description, 'en-GB'));
    }).catch(() => {});
    api<{ users: User[] }>('GET', '/users').then((r) => { this.users = r.users; }).catch(() => {});
    void this.search();
  }

  private query(cursor?: string): string {
    const q = new URLSearchParams();
    const form = this.querySelector('form.filters');
    if (form) {
      const event = this.value('event');
      const actor = this.value('actor');
      const since = this.value('since');
      const until = this.value('until');
      if (event) q.set('event', event);
      if (actor) q.set('actor', actor);
      if (since) q.set('since', dayStart(since));
      if (until) q.set('until', dayStart(nextDay(until)));
    }
    if (cursor) q.set('cursor', cursor);
    q.set('limit', '50');
    return q.toString();
  }

  private async search(event?: Event): Promise<void> {
    event?.preventDefault();
    await this.run(async () => {
      const page = await api<{ entries: Entry[]; next_cursor: string | null }>('GET', `/audit?${this.query()}`);
      this.entries = page.entries;
      this.next = page.next_cursor;
    });
  }

  private async more(): Promise<void> {
    if (!this.next) return;
    await this.run(async () => {
      const page = await api<{ entries: Entry[]; next_cursor: string | null }>('GET', `/audit?${this.query(this.next!)}`);
      this.entries = [...(this.entries ?? []), ...page.entries];
      this.next = page.next_cursor;
    });
  }

  // Who did it: their name as managers know them, with the username they signed in with, as
  // the "Who" filter lists them ("Beth McNerlin (manager)").
  private who(e: Entry) {
    if (e.actor_display_name && e.actor_name && e.actor_display_name !== e.actor_name) {
      return html`${bdi(e.actor_display_name)} (${bdi(e.actor_name)})`;
    }
    const name = e.actor_display_name ?? e.actor_name;
    return name ? bdi(name) : 'Unknown or signed-out person';
  }

  // The row's details in words; record ids (a child's, an entry's) are left out: the row
  // names what it is about above (issue 32).
  private detail(entry: Entry): string {
    const isId = (v: unknown) => typeof v === 'string' && /^[0-9a-f]{32}$/.test(v);
    const parts = Object.entries(entry.detail ?? {})
      .filter(([k, v]) => !/(^|_)ids?$/.test(k) && !isId(v) && !(Array.isArray(v) && v.some(isId)))
      .map(([k, v]) => `${k.replace(/_/g, ' ')}: ${Array.isArray(v) ? v.join(', ') : v}`);
    return parts.join(' · ');
  }

  render() {
    pageTitle('Audit log');
    return html`<section>
      <h1>Audit log</h1>
      <p class="lead">Every sign-in, change and security event, kept unaltered. Newest first.</p>
      <form class="filters panel" @submit=${this.search} novalidate aria-label="Filter the audit log">
        ${this.field('event', 'What', { options: [{ value: '', label: 'Any event' }, ...this.events.map((e) => ({ value: e.id, label: e.description }))] })}
        ${this.field('actor', 'Who', { options: [{ value: '', label: 'Anyone' }, ...this.users.map((u) => ({ value: u.id, label: `${u.display_name} (${u.username})` }))] })}
        ${this.field('since', 'From', { type: 'date' })}
        ${this.field('until', 'To', { type: 'date' })}
        ${this.submitButton('Show', 'Searching…')}
      </form>
      ${this.formFeedback()}
      ${this.entries === null
        ? html`<p role="status">Loading…</p>`
        : this.entries.length === 0
          ? html`<div class="empty"><p>No entries match. Widen the dates or choose “Any event” and “Anyone”.</p></div>`
          : html`<ul class="cards" aria-label="Audit entries">${this.entries.map((e) => html`<li>
              <div class="card-head"><span class="card-title" title=${e.event} data-event=${e.event}>${eventName(e.description)}</span>
                <span class="meta"><time datetime=${e.at}>${humanMoment(e.at)}</time></span></div>
              <p class="meta audit-who">${this.who(e)}${e.device_name
                ? html` on ${bdi(e.device_name)}` : nothing} · from ${e.address || 'the box'}</p>
              ${e.target_name ? html`<p class="audit-subject">${SUBJECT_LABEL[e.target_type ?? ''] ?? 'About'}: ${bdi(e.target_name)}</p>` : nothing}
              ${this.detail(e) ? html`<p class="meta">${this.detail(e)}</p>` : nothing}
            </li>`)}</ul>
            ${this.next ? html`<div class="actions"><button type="button" ?disabled=${this.busy} @click=${this.more}>Show older entries</button></div>` : nothing}`}
    </section>`;
  }
}
