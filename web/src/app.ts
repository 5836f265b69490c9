// The application shell: decides which screen to show from the box's state (needs setup?
// signed in? which role?) and the address, and re-prompts for sign-in over the current
// screen when a session ends mid-task, so nothing typed there is lost.

import { html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, ApiError, sessionEvents, setCsrfToken, setDeviceProofRenewer, setPasswordConfirmer, setRememberRenewer, type Session } from './api';
import { loadTimeZone } from './dates';
import { deviceProof } from './device';
import { forgetRememberKey, renewRememberedSession } from './remember';
import { askForPassword } from './views/password-confirm';
import { LightElement } from './base';
import { currentPath, navigate, onRouteChange } from './router';
import './views/setup-view';
import './views/sign-in-view';
import './views/set-password-view';
import './views/home-view';
import './views/password-view';
import './views/sessions-view';
import './views/accounts-view';
import './views/account-view';
import './views/audit-view';
import './views/settings-view';
import './views/family-view';
import './views/staff-views';
import './views/observation-view';
import './views/templates-view';
import './views/children-views';
import './views/device-views';
import './views/lockdown-view';
import './views/it-view';
import './views/backups-view';
import './views/erasure-reviews-view';
import './views/redactions-view';
import { needsPin } from './views/pin-setup-view';

type Boot = 'loading' | 'setup' | 'ready' | 'offline' | 'lockdown';

const PUBLIC_PATHS = new Set(['/sign-in', '/set-password', '/enrol', '/lockdown']);

// The manager's menu in groups (issue 16): what they do, not how the box is built.
const MANAGER_MENU: Array<{ id: string; label: string; links: Array<{ href: string; label: string }> }> = [
  { id: 'journal', label: 'Journal', links: [
    { href: '/staff/journal', label: 'Journal' }, { href: '/staff/contributions', label: 'From families' },
    { href: '/manage/templates', label: 'Templates' }] },
  { id: 'children', label: 'Children and families', links: [
    { href: '/manage/children', label: 'Rooms and children' }, { href: '/manage/invitations', label: 'Family links to confirm' },
    { href: '/staff/children', label: 'Children’s journals' }, { href: '/manage/erasure', label: 'Erasure' }] },
  { id: 'safety', label: 'Setting and safety', links: [
    { href: '/manage/accounts', label: 'Accounts' }, { href: '/devices', label: 'Devices' },
    { href: '/manage/backups', label: 'Backups' }, { href: '/manage/it', label: 'IT details' },
    { href: '/manage/audit', label: 'Audit log' },
    { href: '/manage/settings', label: 'Setting' }] },
  { id: 'account', label: 'My account', links: [
    { href: '/account/sessions', label: 'My account' }, { href: '/account/password', label: 'Change password' }] },
];

// The setting's time zone for a session that may ask for it (not in child view, where the box
// refuses and audits it, nor before an expired password is changed).
async function zoneFor(session: Session | null, fresh = false): Promise<void> {
  if (session && !session.child_view && !session.must_change_password) await loadTimeZone(fresh);
}

@customElement('nb-app')
export class NestboxApp extends LightElement {
  @state() private boot: Boot = 'loading';
  @state() private session: Session | null = null;
  @state() private path = currentPath();
  @state() private reauthenticating = false;
  @state() private bootError = '';
  @state() private menuOpen = false;        // the phone menu
  @state() private openGroup: string | null = null;  // a manager's menu group

  connectedCallback(): void {
    super.connectedCallback();
    onRouteChange((path) => {
      this.path = path;
      this.menuOpen = false;
      this.openGroup = null;
      this.updateComplete.then(() => this.focusHeading());
    });
    sessionEvents.addEventListener('expired', () => {
      if (this.session) this.reauthenticating = true;
    });
    // A click elsewhere, or on one of the menu's links, closes the menu.
    document.addEventListener('click', (e) => {
      const target = e.target as Element | null;
      if (!target?.closest?.('nav.main-nav') || target.closest('nav.main-nav a')) { this.menuOpen = false; this.openGroup = null; }
    });
    // A new session: the setting's time zone first (dates.ts), so the next screen shows its times in it.
    this.addEventListener('session-changed', (e) => {
      const session = (e as CustomEvent<Session | null>).detail;
      void zoneFor(session, true).then(() => this.adoptSession(session));
    });
    // Child view starts and ends on the box; the session says which, so read it again.
    const reload = async () => {
      try {
        this.adoptSession(await api<Session>('GET', '/auth/session'), false);
      } catch {
        this.adoptSession(null);
      }
      navigate('/');
    };
    this.addEventListener('child-view-entered', reload);
    sessionEvents.addEventListener('lockdown', () => {
      this.session = null;
      this.reauthenticating = false;
      this.boot = 'lockdown';
      if (this.path !== '/lockdown') navigate('/lockdown', true);
    });
    this.addEventListener('child-view-left', reload);
    setDeviceProofRenewer(async () => {
      const proof = await deviceProof();
      if (!proof) return false;
      await api('POST', '/auth/renew', proof);
      return true;
    });
    setRememberRenewer(renewRememberedSession);
    setPasswordConfirmer(askForPassword);
    void this.start();
  }

  private async start(): Promise<void> {
    try {
      await api('GET', '/setup');
      this.boot = 'setup';
      if (this.path !== '/setup') navigate('/setup', true);
      return;
    } catch (error) {
      if (error instanceof ApiError && (error.code === 'lockdown' || error.code === 'lockdown_outside')) return;  // the event shows the notice
      // From home (the public name, issue 31) setup is never offered: the box is set up.
      const setUp = error instanceof ApiError && (error.status === 410 || error.code === 'outside_closed');
      if (!setUp) {
        this.boot = 'offline';
        this.bootError = error instanceof Error ? error.message : String(error);
        return;
      }
    }
    let session: Session | null = null;
    try {
      session = await api<Session>('GET', '/auth/session');
    } catch {
      session = null;
    }
    // Every time on every screen is in the setting's time zone: known before the first one shows.
    await zoneFor(session);
    this.adoptSession(session, false);
    this.boot = 'ready';
  }

  private adoptSession(session: Session | null, redirect = true): void {
    this.session = session;
    setCsrfToken(session?.csrf_token ?? null);
    this.reauthenticating = false;
    if (session) this.boot = 'ready';
    if (!redirect) return;
    if (!session) {
      navigate('/sign-in');
    } else if (session.must_change_password) {
      navigate('/account/password');
    } else if (needsPin(session)) {
      navigate('/account/pin');
    } else if (this.path === '/account/pin') {
      navigate('/');
    } else if (PUBLIC_PATHS.has(this.path) || this.path === '/setup') {
      const next = new URLSearchParams(window.location.search).get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/');
    }
  }

  protected updated(): void {
    const dialog = this.querySelector<HTMLDialogElement>('dialog.reauth');
    if (dialog && !dialog.open) dialog.showModal();
  }

  private focusHeading(): void {
    const heading = this.querySelector<HTMLElement>('main h1');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: false });
    }
  }

  private async signOut(): Promise<void> {
    try {
      await api('POST', '/auth/sign-out', {});
    } catch {
      // Already signed out on the box: the outcome the person asked for.
    }
    await forgetRememberKey();  // a remembered phone forgets its key with its session
    this.adoptSession(null);
  }

  render(): TemplateResult {
    return html`
      <a class="skip-link" href="#main">Skip to content</a>
      ${this.header()}
      <main id="main">${this.screen()}</main>
      ${this.reauthenticating ? this.reauthDialog() : nothing}`;
  }

  // The menu (issue 16). Managers: four groups, each a disclosure (a dropdown on wide
  // screens); staff: a short list; on a phone both fold behind one "Menu" button. Parents keep
  // their three links.
  private header(): TemplateResult {
    const s = this.session;
    const here = (href: string) => this.path === href || this.path.startsWith(`${href}/`);
    const link = (href: string, label: string) =>
      html`<li><a href=${href} aria-current=${this.path === href ? 'page' : nothing}>${label}</a></li>`;
    const signOut = html`<li><button class="link" type="button" @click=${() => this.signOut()}>Sign out</button></li>`;
    const toggle = html`<button type="button" class="menu-toggle" aria-expanded=${this.menuOpen ? 'true' : 'false'}
      aria-controls="main-menu" @click=${() => { this.menuOpen = !this.menuOpen; this.openGroup = null; }}>Menu</button>`;
    let nav: TemplateResult | typeof nothing = nothing;
    if (s && !s.must_change_password && !s.child_view && !needsPin(s)) {
      if (s.user.role === 'parent') {
        nav = html`<nav aria-label="Main" class="main-nav"><ul>
          ${link('/journal', 'Journal')}${link('/account/sessions', 'My account')}${signOut}</ul></nav>`;
      } else if (s.user.role === 'staff') {
        nav = html`<nav aria-label="Main" class="main-nav collapsible" @keydown=${this.menuKey}>${toggle}
          <ul id="main-menu" class=${this.menuOpen ? 'open' : ''}>
            ${link('/', 'Home')}${link('/staff/journal', 'Journal')}${link('/staff/children', 'Children')}
            ${link('/devices', 'Devices')}${link('/account/sessions', 'My account')}${signOut}</ul></nav>`;
      } else {
        nav = html`<nav aria-label="Main" class="main-nav collapsible grouped" @keydown=${this.menuKey}>${toggle}
          <ul id="main-menu" class=${this.menuOpen ? 'open' : ''}>${MANAGER_MENU.map((g) => {
            const open = this.openGroup === g.id;
            return html`<li class="nav-group">
              <button type="button" class="group-toggle ${g.links.some((l) => here(l.href)) ? 'current' : ''}"
                aria-expanded=${open ? 'true' : 'false'} aria-controls="menu-${g.id}"
                @click=${() => { this.openGroup = open ? null : g.id; }}>${g.label}</button>
              <span class="group-label">${g.label}</span>
              <ul id="menu-${g.id}" class=${open ? 'open' : ''}>
                ${g.links.map((l) => link(l.href, l.label))}${g.id === 'account' ? signOut : nothing}</ul></li>`;
          })}</ul></nav>`;
      }
    }
    return html`<header class="top"><div class="bar">
      <a class="brand" href="/" dir="auto">${s?.setting?.name ?? 'Nestbox'}</a>
      ${nav}
    </div></header>`;
  }

  // Escape closes an open group or the phone menu, and gives the focus back to its button.
  private menuKey = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || (!this.openGroup && !this.menuOpen)) return;
    const group = this.openGroup;
    this.openGroup = null;
    if (!group) this.menuOpen = false;
    const button = group
      ? this.querySelector<HTMLElement>(`[aria-controls="menu-${group}"]`)
      : this.querySelector<HTMLElement>('.menu-toggle');
    button?.focus();
  };

  private screen(): TemplateResult {
    if (this.boot === 'loading') return html`<p class="panel narrow" role="status">Connecting to the box…</p>`;
    if (this.boot === 'offline') {
      return html`<section class="panel narrow"><h1>Cannot reach the box</h1>
        <p class="form-error" role="alert">${this.bootError}</p>
        <button class="primary" type="button" @click=${() => { this.boot = 'loading'; void this.start(); }}>Retry</button></section>`;
    }
    if (this.boot === 'setup') return html`<nb-setup-view></nb-setup-view>`;
    if (this.boot === 'lockdown' || this.path === '/lockdown') return html`<nb-lockdown-view></nb-lockdown-view>`;
    const path = this.path;
    if (path === '/set-password') return html`<nb-set-password-view></nb-set-password-view>`;
    if (path === '/enrol') return html`<nb-enrol-view></nb-enrol-view>`;
    if (path === '/join') return html`<nb-join-view .session=${this.session}></nb-join-view>`;  // invitation letters; no session needed
    if (!this.session) {
      if (path !== '/sign-in') navigate(`/sign-in?next=${encodeURIComponent(path)}`, true);
      return html`<nb-sign-in-view></nb-sign-in-view>`;
    }
    const s = this.session;
    if (s.child_view) return html`<nb-child-view></nb-child-view>`;
    if (s.must_change_password && path !== '/account/password') navigate('/account/password', true);
    // On a registered tablet, someone who may switch with a PIN chooses one first (issue 32).
    if (needsPin(s)) {
      if (path !== '/account/pin') navigate('/account/pin', true);
      return html`<nb-pin-setup-view .session=${s}></nb-pin-setup-view>`;
    }
    if (s.user.role === 'parent' && (path === '/' || path === '/sign-in' || path === '/setup' || path === '/journal')) {
      return html`<nb-family-view .session=${s}></nb-family-view>`;
    }
    if (path === '/' || path === '/sign-in' || path === '/setup') return html`<nb-home-view .session=${s}></nb-home-view>`;
    if (path.startsWith('/journal')) {
      if (s.user.role !== 'parent') return this.onlyFor('families', 'Staff record and read the journal under “Journal” in the menu.');
      if (path === '/journal/home') return html`<nb-home-observation-view></nb-home-observation-view>`;
      if (path === '/journal/contributions') return html`<nb-my-contributions-view></nb-my-contributions-view>`;
      const entry = path.match(/^\/journal\/entries\/([0-9a-f]{32})$/);
      if (entry) return html`<nb-family-entry-view .entryId=${entry[1]} .session=${s}></nb-family-entry-view>`;
    }
    if (path.startsWith('/staff/')) {
      if (s.user.role === 'parent') return this.onlyFor('staff', 'Your child’s journal is under “Journal” in the menu.');
      if (path === '/staff/journal') return html`<nb-staff-journal-view .session=${s}></nb-staff-journal-view>`;
      if (path === '/staff/children') return html`<nb-staff-children-view .session=${s}></nb-staff-children-view>`;
      if (path === '/staff/contributions') return html`<nb-contributions-view></nb-contributions-view>`;
      if (path === '/staff/entries/new' || path === '/staff/entries/new/form') {
        // Recording happens on the setting's registered tablets (policies 002, 004); the box refuses it elsewhere.
        if (!s.device_id) return this.onlyFor('registered tablets', 'Observations are recorded on the setting’s registered tablets. From this computer you can read, review and manage the journal.');
        // Observations photo first (issue 22); every other kind of entry with the full form.
        if (path === '/staff/entries/new') return html`<nb-observation-view .session=${s}></nb-observation-view>`;
        return html`<nb-entry-editor-view></nb-entry-editor-view>`;
      }
      const entry = path.match(/^\/staff\/entries\/([0-9a-f]{32})$/);
      if (entry) return html`<nb-staff-entry-view .entryId=${entry[1]} .session=${s}></nb-staff-entry-view>`;
    }
    if (path === '/account/password') return html`<nb-password-view .session=${s}></nb-password-view>`;
    if (path === '/account/sessions') return html`<nb-sessions-view .session=${s}></nb-sessions-view>`;
    if (path === '/devices') {
      if (s.user.role === 'parent') return this.onlyFor('staff', 'Your child’s journal is under “Journal” in the menu.');
      return html`<nb-devices-view .session=${s}></nb-devices-view>`;
    }
    if (path.startsWith('/manage/')) {
      if (s.user.role !== 'manager') return this.managersOnly();
      if (path === '/manage/accounts') return html`<nb-accounts-view></nb-accounts-view>`;
      const account = path.match(/^\/manage\/accounts\/([0-9a-f]{32})$/);
      if (account) return html`<nb-account-view .userId=${account[1]} .session=${s}></nb-account-view>`;
      if (path === '/manage/audit') return html`<nb-audit-view></nb-audit-view>`;
      if (path === '/manage/it') return html`<nb-it-view></nb-it-view>`;
      if (path === '/manage/backups') return html`<nb-backups-view .session=${s}></nb-backups-view>`;
      if (path === '/manage/invitations') return html`<nb-invitations-view></nb-invitations-view>`;
      if (path === '/manage/settings') return html`<nb-settings-view></nb-settings-view>`;  // the lockdown switch at its top
      if (path === '/manage/children') return html`<nb-manage-children-view></nb-manage-children-view>`;
      if (path === '/manage/erasure') return html`<nb-erasure-view></nb-erasure-view>`;
      if (path === '/manage/redactions') return html`<nb-redactions-view></nb-redactions-view>`;
      if (path === '/manage/templates') return html`<nb-templates-view></nb-templates-view>`;
      const child = path.match(/^\/manage\/children\/([0-9a-f]{32})$/);
      if (child) return html`<nb-manage-child-view .childId=${child[1]}></nb-manage-child-view>`;
    }
    return html`<section class="panel narrow"><h1>Page not found</h1>
      <p>There is nothing at this address. <a href="/">Go to the home page</a>.</p></section>`;
  }

  private onlyFor(who: string, hint: string): TemplateResult {
    return html`<section class="panel narrow"><h1>This page is for ${who}</h1><p>${hint}</p>
      <p><a href="/">Back to the home page</a></p></section>`;
  }

  private managersOnly(): TemplateResult {
    return html`<section class="panel narrow"><h1>This page is for managers</h1>
      <p>Only a manager can open it. If something here needs changing, ask a manager of your setting.</p>
      <p><a href="/">Back to the home page</a></p></section>`;
  }

  private reauthDialog(): TemplateResult {
    return html`<dialog aria-labelledby="reauth-title" class="reauth" @cancel=${(e: Event) => e.preventDefault()}>
      <h2 id="reauth-title">Your session has ended</h2>
      <p>Sign in again to carry on. What you typed on this page is kept.</p>
      <nb-sign-in-view compact .username=${this.session?.user.username ?? ''}></nb-sign-in-view>
    </dialog>`;
  }
}
