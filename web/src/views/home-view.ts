import { html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, type Session } from '../api';
import { bdi, LightElement, pageTitle } from '../base';
import type { Child } from '../journal';
import { isConfigured, type BackupOverview } from '../backup-requests';
import { humanDay, humanMoment, humanMomentInText } from '../dates';
import { clause, count, formatBytes, formatDuration, plural } from '../format';

interface Storage {
  total_bytes: number;
  free_bytes: number;
  reserve_bytes: number;
  unfinished_upload_bytes: number;
  media_bytes: number;
  state: 'ok' | 'low' | 'full';
}

// GET /manager/summary: what needs a manager, counted by the box.
export interface ManagerSummary {
  entries_awaiting_review: number;
  contributions_waiting: number;
  links_waiting: number;
  children_without_consent: number;
  children_without_parent: number;
  invitations_open: number;
  account_codes_unused: number;
  account_codes_expired: number;
  staff_without_pin: number;
  tablets_not_seen: number;
  not_observed: Array<{ key_person_id: string | null; key_person_name: string | null; children: number }>;
  next_release: { room_id: string; room_name: string; at: string } | null;
  lockdown: boolean;
  storage: { state: 'ok' | 'low' | 'full'; free_bytes: number; reserve_bytes: number };
  backups: BackupOverview;
  erasure_requests?: number;  // families who asked for their child's data to be erased (issue 21)
  photos_to_mark_again?: number;  // redacted the old way: no family sees them until marked again (issue 32)
  erasure_reviews?: number;   // entries and photos to check after an erasure
  // Remote access (issue 31): sign-ins from outside per day of the last week, and the public
  // name's certificate.
  outside_sign_ins?: Array<{ date: string; count: number }>;
  remote_access?: { mode: 'off' | 'relay' | 'direct'; public_name: string | null; certificate_expires_at: string | null;
    renewal: 'ok' | 'due' | 'failed' | 'missing'; last_error: string | null; alert: boolean };
}

interface Todo {
  id: string;
  count: number;
  text: TemplateResult | string;
  href: string;
  hint?: string;
  urgent?: boolean;  // red, and first: the setting's records are at risk (issue 32)
}

// Backups not set up, or no good one for 48 hours: the first, red item of the to-do list.
function backupTodo(b: BackupOverview): Todo | null {
  const notSetUp = b.configured === false || b.state === 'not_set_up' || (b.state === 'none' && !isConfigured(b));
  const behind = b.state === 'stale' || b.state === 'failed' || b.state === 'check_failed' || b.state === 'disk_missing';
  if (!notSetUp && !behind) return null;
  return {
    id: 'backups', count: 1, href: '/manage/backups', urgent: true,
    text: notSetUp ? 'Backups are not set up' : 'Backups are behind',
    hint: notSetUp
      ? 'Until they are, every journal, consent record and the audit log are only on this box’s card.'
      : 'No good backup in the last 48 hours, or the last one failed or found damage: see what to do.',
  };
}

// The home page. Managers: a to-do list of what needs them, counted by the box, each item
// linking to where the work is done, and "Nothing needs you today" when all is done (issue 16).
// Staff: their key children and the journal. Parents land on their journal (family-view).
@customElement('nb-home-view')
export class HomeView extends LightElement {
  @property({ attribute: false }) session!: Session;
  // Device reports managers have not acknowledged (policy 004: a lost tablet is dealt with at once).
  @state() private alerts = 0;
  // The data disk (issue 14): how full, and whether uploads will soon stop.
  @state() private storage: Storage | null = null;
  @state() private summary: ManagerSummary | null = null;
  @state() private summaryError = '';
  // Staff: their key children, and what families sent that waits for approval.
  @state() private keyChildren: Child[] | null = null;
  @state() private rooms = new Map<string, string>();
  @state() private contributions: number | null = null;

  connectedCallback(): void {
    super.connectedCallback();
    if (this.session.user.role === 'manager') this.loadManager();
    else if (this.session.user.role === 'staff') this.loadStaff();
  }

  private loadManager(): void {
    api<{ devices: Array<{ alert: boolean }> }>('GET', '/devices')
      .then(({ devices }) => { this.alerts = devices.filter((d) => d.alert).length; })
      .catch(() => { /* the devices screen shows it too */ });
    api<{ storage: Storage }>('GET', '/storage')
      .then(({ storage }) => { this.storage = storage; })
      .catch(() => { /* shown when the box can say */ });
    api<{ summary: ManagerSummary }>('GET', '/manager/summary')
      .then(({ summary }) => { this.summary = summary; })
      .catch((e) => { this.summaryError = e instanceof Error ? e.message : String(e); });
  }

  private loadStaff(): void {
    api<{ children: Child[] }>('GET', '/children?mine=true')
      .then(({ children }) => { this.keyChildren = children; })
      .catch(() => { this.keyChildren = []; });
    api<{ rooms: Array<{ id: string; name: string }> }>('GET', '/rooms')
      .then(({ rooms }) => { this.rooms = new Map(rooms.map((r) => [r.id, r.name])); })
      .catch(() => { /* rooms are a detail */ });
    api<{ contributions: unknown[] }>('GET', '/contributions?status=pending')
      .then(({ contributions }) => { this.contributions = contributions.length; })
      .catch(() => { /* the From families page shows them */ });
  }

  private storagePanel() {
    const s = this.storage;
    if (!s) return nothing;
    const used = s.total_bytes - s.free_bytes;
    const percent = s.total_bytes ? Math.round((used / s.total_bytes) * 100) : 0;
    return html`<div class="panel storage" data-state=${s.state}>
      <h2>Storage</h2>
      <p><label for="storage-meter">Data disk: ${formatBytes(used)} of ${formatBytes(s.total_bytes)} used (${percent}%)</label>
        <meter id="storage-meter" min="0" max=${s.total_bytes} low=${s.total_bytes - 2 * s.reserve_bytes}
          high=${s.total_bytes - s.reserve_bytes} optimum="0" .value=${used}></meter></p>
      <p class="meta">Photos, videos and documents: ${formatBytes(s.media_bytes)}. ${formatBytes(s.reserve_bytes)} is kept free for the journal itself.</p>
      ${s.state === 'full'
        ? html`<p class="warning" role="alert">The box is full: it refuses new photos and videos until space is freed. Ask IT support to move the box to a larger card or disk.</p>`
        : s.state === 'low'
          ? html`<p class="warning">Space is running low: ${formatBytes(Math.max(0, s.free_bytes - s.reserve_bytes))} left for photos and videos. Plan a larger card or disk with IT support.</p>`
          : nothing}
    </div>`;
  }

  // Every count the box gave, in plain words, with where the work is done; zeros are left out.
  private todos(s: ManagerSummary): Todo[] {
    const backups = backupTodo(s.backups);
    const items: Todo[] = [
      ...(backups ? [backups] : []),
      { id: 'review', count: s.entries_awaiting_review, href: '/staff/journal?status=review',
        text: `${plural(s.entries_awaiting_review, 'journal entry', 'journal entries')} to review`,
        hint: 'Read them and mark them reviewed.' },
      { id: 'erasure-requests', count: s.erasure_requests ?? 0, href: '/manage/erasure',
        text: `${plural(s.erasure_requests ?? 0, 'family asks', 'families ask')} for their child’s data to be erased`,
        hint: 'Erase it from the child’s page, after downloading the journal if the setting must keep it.' },
      { id: 'erasure-reviews', count: s.erasure_reviews ?? 0, href: '/manage/erasure',
        text: `${plural(s.erasure_reviews ?? 0, 'entry or photo', 'entries or photos')} to check after an erasure`,
        hint: 'Words that may name the erased child, and photos that show them until they are redacted.' },
      { id: 'mark-again', count: s.photos_to_mark_again ?? 0, href: '/manage/redactions',
        text: `${plural(s.photos_to_mark_again ?? 0, 'photo', 'photos')} to hide again`,
        hint: 'Redacted the old way (pixelated): no family sees them until a child is covered in grey.' },
      { id: 'contributions', count: s.contributions_waiting, href: '/staff/contributions',
        text: `${plural(s.contributions_waiting, 'home observation', 'home observations')} from families to approve`,
        hint: 'Approve them into the journal, or return them with a reason.' },
      { id: 'links', count: s.links_waiting, href: '/manage/invitations',
        text: `${plural(s.links_waiting, 'family link', 'family links')} to confirm`,
        hint: 'A parent who already had an account used an invitation letter: check it is the right person.' },
      { id: 'consent', count: s.children_without_consent, href: '/manage/children?needs=consent',
        text: `${plural(s.children_without_consent, 'child', 'children')} without consent recorded`,
        hint: 'Record the consent form: until then their photos are shown to nobody else.' },
      { id: 'parent', count: s.children_without_parent, href: '/manage/children?needs=parent',
        text: `${plural(s.children_without_parent, 'child', 'children')} with no parent attached or invited`,
        hint: 'Give the family an invitation letter from the child’s page.' },
      { id: 'codes-expired', count: s.account_codes_expired, href: '/manage/accounts?needs=code_expired',
        text: `${plural(s.account_codes_expired, 'account code', 'account codes')} expired unused`,
        hint: 'Open the account and issue a new code.' },
      { id: 'codes-unused', count: s.account_codes_unused, href: '/manage/accounts?needs=code_unused',
        text: `${plural(s.account_codes_unused, 'account code', 'account codes')} handed out, not used yet`,
        hint: 'These people have not set their password yet.' },
      { id: 'pin', count: s.staff_without_pin, href: '/manage/accounts?needs=pin',
        text: `${plural(s.staff_without_pin, 'member of staff', 'members of staff')} without a PIN`,
        hint: 'A PIN lets staff switch quickly on a shared tablet.' },
      { id: 'tablets', count: s.tablets_not_seen, href: '/devices?not_seen=true',
        text: `${plural(s.tablets_not_seen, 'tablet', 'tablets')} not seen for 7 days`,
        hint: 'Find it: if it is lost, report it so it is revoked.' },
      ...s.not_observed.filter((o) => o.children > 0).map((o): Todo => ({
        id: `observed-${o.key_person_id ?? 'none'}`, count: o.children,
        href: `/manage/children?needs=observation&key_person=${encodeURIComponent(o.key_person_id ?? 'none')}`,
        text: o.key_person_name
          ? html`${plural(o.children, 'child', 'children')} not observed for 14 days (key person ${bdi(o.key_person_name)})`
          : `${plural(o.children, 'child', 'children')} without a key person, not observed for 14 days`,
      })),
    ];
    return items.filter((i) => i.count > 0);
  }

  private managerHome(): TemplateResult {
    const s = this.summary;
    if (!s) {
      return this.summaryError
        ? html`<p class="warning" role="alert">The to-do list could not be loaded: ${this.summaryError}</p>`
        : html`<p role="status">Counting what needs you…</p>`;
    }
    const todos = this.todos(s);
    return html`<section aria-labelledby="todo-title">
      <h2 id="todo-title">To do</h2>
      ${todos.length
        ? html`<ul class="todo" aria-labelledby="todo-title">${todos.map((t) => html`<li data-todo=${t.id} class=${t.urgent ? 'todo-urgent' : ''}>
            <a href=${t.href}>${t.urgent ? html`<span class="todo-count" aria-hidden="true">!</span>` : html`<span class="todo-count">${t.count}</span>`}
              <span class="todo-text">${t.text}</span></a>
            ${t.hint ? html`<p class="meta">${t.hint}</p>` : nothing}</li>`)}</ul>`
        : html`<div class="panel all-done" role="status">
            <p class="all-done-title"><strong>Nothing needs you today.</strong></p>
            <p class="meta">No entries or home observations wait for review, every child has consent recorded and a
              parent, every account code is used, all staff have a PIN, every tablet was seen this week and every child
              was observed in the last 14 days.</p>
          </div>`}
    </section>
    <section aria-labelledby="glance-title">
      <h2 id="glance-title">The setting now</h2>
      <ul class="glance">
        <li data-glance="lockdown">${s.lockdown
          ? html`<span class="warning">Locked down: the journal is closed.</span>`
          : html`The journal is open. The lockdown switch is at the top of the <a href="/manage/settings">Setting</a> page.`}</li>
        <li data-glance="release">${s.next_release
          ? html`Next release: ${bdi(s.next_release.room_name)} ${humanMomentInText(s.next_release.at).replace(/^(?!today|yesterday)/, 'on ')}.
              <a href="/manage/children">Release dates</a>`
          : html`No release date coming up. <a href="/manage/children">Rooms and release dates</a>`}</li>
        ${s.invitations_open ? html`<li data-glance="invitations">${count(s.invitations_open, 'invitation letter', 'invitation letters')}
          handed out, not used yet (each child’s page lists theirs). <a href="/manage/children">Rooms and children</a></li>` : nothing}
      </ul>
    </section>
    ${this.storagePanel()}
    ${this.backupsPanel(s.backups)}
    ${this.fromHomePanel(s)}`;
  }

  // Families at home (issue 31): where they reach the journal, the certificate's state (an
  // alert from 14 days before it expires while renewal fails), and sign-ins from outside per day.
  private fromHomePanel(s: ManagerSummary) {
    const r = s.remote_access;
    if (!r) return nothing;
    const days = s.outside_sign_ins ?? [];
    const total = days.reduce((n, d) => n + d.count, 0);
    let certificate: TemplateResult | typeof nothing = nothing;
    if (r.mode !== 'off' && r.alert) {
      certificate = html`<p class="warning" role="alert">${r.certificate_expires_at && r.renewal !== 'missing'
        ? html`The certificate of ${bdi(r.public_name ?? '')} expires ${humanMomentInText(r.certificate_expires_at)} and could not be renewed`
        : html`${bdi(r.public_name ?? '')} has no certificate yet, so families cannot open it`}${r.last_error ? html`: ${clause(r.last_error)}` : ''}.
        Ask IT support to run <code>nestboxctl relay-test</code> on the box.</p>`;
    }
    return html`<div class="panel from-home" data-mode=${r.mode}>
      <h2>From home</h2>
      ${r.mode === 'off'
        ? html`<p>Families open the journal on the setting’s network only. IT support can let them in from home
            (<code>nestboxctl remote</code>), with the journal still only on this box.</p>`
        : html`<p>Families open the journal from home at <strong>https://${bdi(r.public_name ?? '')}/</strong>
            (${r.mode === 'relay' ? 'through the setting’s relay' : 'through the router'}).</p>`}
      ${certificate}
      ${r.mode !== 'off' || total
        ? html`<p id="outside-title">Sign-ins from home in the last 7 days: ${total}.</p>
          <ul class="outside-days" aria-labelledby="outside-title">${days.map((d) => html`<li data-date=${d.date}>
            <span>${humanDay(d.date)}</span> <strong>${d.count}</strong></li>`)}</ul>`
        : nothing}
    </div>`;
  }

  // The last good backup, and a warning when backups are not set up, none is 48 hours old, the
  // last one failed, a check found damage, the disk is missing or nearly full. The Backups
  // screen has the rest.
  private backupsPanel(b: BackupOverview) {
    const good = b.last_good;
    const when = (iso: string) => humanMoment(iso);
    // The newest verification of either kind is the one the "check_failed" state is about.
    const check = b.last_verification ?? b.last_check;
    const warning = (text: TemplateResult) => html`<p class="warning" role="alert">${text}</p>`;
    let state: TemplateResult | typeof nothing = nothing;
    if (b.configured === false || b.state === 'not_set_up') {
      state = warning(html`Backups are not set up: every journal, consent record and the audit log are only on this box’s card.
        <a href="/manage/backups">Set up backups</a>`);
    } else if (b.state === 'none' && !isConfigured(b)) {
      state = warning(html`No backup has been made: every journal, consent record and the audit log are only on this box’s card.
        <a href="/manage/backups">Backups</a>`);
    } else if (b.state === 'none') {
      state = html`<p>No backup has been made yet.${b.next_at ? ` The first is due on ${when(b.next_at)}.` : ''}</p>`;
    } else if (b.state === 'failed' && b.last) {
      state = warning(html`The last backup failed (${when(b.last.finished_at)}): ${clause(b.last.error || 'no reason given')}. The journal
        carries on. <a href="/manage/backups">See what to do</a>`);
    } else if (b.state === 'check_failed' && check) {
      state = warning(html`The ${check.kind === 'test_restore' ? 'test restore' : 'check'} of the backups on ${when(check.finished_at)}
        found damage: ${clause(check.error || 'no detail given')}. Older backups may not restore. <a href="/manage/backups">See what to do</a>`);
    } else if (b.state === 'stale') {
      state = warning(html`There has been no good backup for more than 48 hours. <a href="/manage/backups">See what to do</a>`);
    } else if (b.state === 'disk_missing') {
      state = warning(html`The backup disk is not plugged in: plug one of the Nestbox backup disks into the box${b.next_at
        ? ` before ${when(b.next_at)}` : ''}. <a href="/manage/backups">Backups</a>`);
    } else if (b.state === 'nearly_full') {
      state = warning(html`The backup disk is nearly full${b.disk ? ` (${formatBytes(b.disk.free_bytes)} free)` : ''}: plan a larger one.
        <a href="/manage/backups">Backups</a>`);
    }
    return html`<div class="panel backups" data-state=${b.state}>
      <h2>Backups</h2>
      ${good
        ? html`<p>Last good backup: ${when(good.finished_at)} (${formatBytes(good.bytes_total)}, took
            ${formatDuration(good.duration_s)}; ${count(good.snapshots, 'snapshot', 'snapshots')} kept).</p>`
        : nothing}
      ${state}
      ${check?.ok
        ? html`<p class="meta">${check.kind === 'test_restore'
            ? `Last test restore: ${when(check.finished_at)}, the database and ${count(check.sample, 'photo', 'photos')} came back as backed up.`
            : `Last check: ${when(check.finished_at)}, sound.`}</p>`
        : nothing}
      ${state === nothing || b.state === 'none' ? html`<p><a href="/manage/backups">Backups</a></p>` : nothing}
    </div>`;
  }

  private staffHome(): TemplateResult {
    const kids = this.keyChildren;
    const onTablet = Boolean(this.session.device_id);
    return html`${onTablet ? html`<p class="new-observation"><a class="button primary big-action" href="/staff/entries/new">New observation</a></p>` : nothing}
      <div class="actions home-actions">
        <a class="button" href="/staff/journal">Journal</a>
        <a class="button" href="/staff/contributions">From families${this.contributions ? html` <span class="badge">${this.contributions}
          <span class="visually-hidden">waiting</span></span>` : nothing}</a>
      </div>
      <section aria-labelledby="key-children-title">
        <h2 id="key-children-title">Your key children</h2>
        ${kids === null ? html`<p role="status">Loading…</p>`
          : kids.length === 0 ? html`<div class="empty"><p>You are not anyone’s key person yet: a manager sets key people.
              <a href="/staff/children">All children</a></p></div>`
          : html`<ul class="cards" aria-labelledby="key-children-title">${kids.map((c) => html`<li>
              <div class="card-head"><a class="card-title" href="/staff/journal?child=${c.id}" dir="auto">${c.first_name} ${c.last_name}</a>
                <span dir="auto">${this.rooms.get(c.room_id) ?? ''}</span></div></li>`)}</ul>
            <p><a href="/staff/children">All children</a></p>`}
      </section>`;
  }

  render() {
    pageTitle('Home');
    const { user } = this.session;
    const roleText = { manager: 'manager', staff: 'member of staff', parent: 'parent or carer' }[user.role];
    return html`<section>
      <h1>Hello, ${bdi(user.display_name)}</h1>
      <p class="lead">You are signed in as a ${roleText} of ${this.session.setting?.name ? bdi(this.session.setting.name) : 'your setting'}.</p>
      ${this.alerts ? html`<p class="warning" role="alert">A tablet has been reported lost, stolen or damaged.
        <a href="/devices">See the report${this.alerts === 1 ? '' : 's'} on the devices screen</a>.</p>` : nothing}
      <nb-lockdown-banner></nb-lockdown-banner>
      ${user.role === 'manager' ? this.managerHome() : user.role === 'staff' ? this.staffHome() : nothing}
    </section>`;
  }
}
