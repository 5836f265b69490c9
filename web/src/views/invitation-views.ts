// Families linked safely (issue 16): a manager never picks a parent account from a list. They
// print a letter for one child's family with a one-time code bound to that child and hand it
// over in person; the family joins with it at /join. Someone who already has an account (for
// a brother or sister) can use the code too, but the box attaches it only when a manager has
// confirmed the link on /manage/invitations, which names the child and the account's children.
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, type Session } from '../api';
import { bdi, FormView, pageTitle } from '../base';
import { humanMomentDay, humanMomentInText } from '../dates';
import { listOf } from '../journal';
import { qrCode } from '../qr';
import { navigate } from '../router';
import { CODE_HINT, NEW_PASSWORD_HINT, PASSWORDS_DIFFER } from './set-password-view';
import './sign-in-view';

export type InvitationState = 'open' | 'waiting' | 'used' | 'cancelled' | 'expired' | 'void';

export interface Invitation {
  id: string;
  child_id: string;
  state: InvitationState;
  created_at: string;
  expires_at: string;
  used_at?: string | null;
  account?: { id: string; display_name: string } | null;
  code?: string;  // only in the answer that created it
}

interface WaitingLink {
  id: string;
  claimed_at: string;
  child: { id: string; first_name: string; last_name: string; room_name: string };
  account: { id: string; username: string; display_name: string; children: Array<{ id: string; first_name: string; last_name: string }> };
}

export const INVITATION_STATE: Record<InvitationState, string> = {
  open: 'Open',
  waiting: 'Waiting for a manager',
  used: 'Used',
  cancelled: 'Cancelled',
  expired: 'Expired',
  void: 'No longer valid',
};

export function joinAddress(code: string): string {
  return `${window.location.origin}/join#code=${code}`;
}

// The letter a manager prints for one child's family: what Nestbox is, the code on one line
// and a QR code of the join address. The code is in no other answer of the box, so the page
// says to print it now.
export function invitationLetter(settingName: string, childFirstName: string, invitation: Invitation,
  onDone: () => void): TemplateResult {
  const code = invitation.code ?? '';
  const child = bdi(childFirstName);
  const setting = bdi(settingName);
  return html`<section class="letter-page">
    <div class="panel no-print" role="status">
      <p><strong>Print this letter now and hand it to ${child}’s parent or carer in person.</strong> The code is shown only
        this once. It works once, until ${humanMomentDay(invitation.expires_at)}. If the letter goes astray, cancel the
        invitation on ${child}’s page and print a new one.</p>
      <div class="actions">
        <button type="button" class="primary" @click=${() => window.print()}>Print the letter</button>
        <button type="button" @click=${onDone}>Done</button>
      </div>
    </div>
    <article class="letter" aria-labelledby="letter-title">
      <p class="letter-setting" dir="auto">${settingName}</p>
      <h1 id="letter-title">An invitation to ${child}’s learning journal</h1>
      <p>Dear parent or carer of ${child},</p>
      <p>At ${setting} we keep a learning journal for ${child}: what ${child} explores, makes and says, with photos,
        short videos and our next steps. It is kept on Nestbox, a small box in our own building, not with an online
        company. You see ${child}’s journal on your phone, tablet or computer, and only ${child}’s; you can comment
        and send us what ${child} did at home.</p>
      <h2>How to join</h2>
      <div class="letter-join">
        <ol>
          <li>Scan the QR code with your phone’s camera, or go to <strong class="letter-address">${window.location.origin}/join</strong>
            and type the code.</li>
          <li>Choose a username, your name and a password.</li>
          <li>Read our agreement for families and check what we recorded about photos of ${child}. Then
            ${child}’s journal opens.</li>
        </ol>
        ${qrCode(joinAddress(code), `QR code to join ${childFirstName}’s journal`)}
      </div>
      <p class="letter-code-label">Your code:</p>
      <p class="letter-code" data-testid="invitation-code">${code}</p>
      <p>The code is for ${child}’s family only and works once, until <strong>${humanMomentDay(invitation.expires_at)}</strong>.
        Please keep this letter to yourself. If it is lost, tell us and we will cancel the code.</p>
      <p>Already on Nestbox for a brother or sister? Open the link, choose “I already have an account” and sign in. We
        check and confirm the link before ${child}’s journal appears in your account.</p>
    </article>
  </section>`;
}

// /join#code=…: a family joins with the code from their letter. The code stays in the
// address's fragment, which browsers never send, so it reaches no server log.
@customElement('nb-join-view')
export class JoinView extends FormView {
  @property({ attribute: false }) session: Session | null = null;
  @state() private existing = false;
  @state() private joined: { child: string; username: string } | null = null;
  @state() private claimed: string | null = null;
  private code = new URLSearchParams(window.location.hash.slice(1)).get('code') ?? '';
  private claimWhenSignedIn = false;
  protected fieldPrefix = 'join';

  protected updated(changed: PropertyValues<this>): void {
    if (!changed.has('session') || !this.session) return;
    if (this.joined) {
      navigate('/journal');  // the agreement and the consent come first there
    } else if (this.claimWhenSignedIn) {
      this.claimWhenSignedIn = false;
      if (this.session.user.role === 'parent') void this.claim();
    }
  }

  // Between the two forms, focus goes to the new heading rather than being lost.
  private switchTo(existing: boolean): void {
    this.existing = existing;
    this.claimWhenSignedIn = existing;
    this.errors = {};
    this.formError = '';
    void this.updateComplete.then(() => {
      const heading = this.querySelector<HTMLElement>('h1');
      if (heading) { heading.tabIndex = -1; heading.focus(); }
    });
  }

  private forgetCode(): void {
    history.replaceState(null, '', '/join');  // used up: keep it out of the history
  }

  private async join(event: Event): Promise<void> {
    event.preventDefault();
    let child = '';
    const username = this.value('username');
    const done = await this.run(async () => {
      const code = this.value('code');
      const password = this.rawValue('password');
      if (!code) this.fail('code', 'Type the code from your letter.');
      if (!username) this.fail('username', 'Choose a username.');
      if (!this.value('display_name')) this.fail('display_name', 'Enter your name.');
      if (password !== this.rawValue('confirm')) this.fail('confirm', PASSWORDS_DIFFER);
      child = (await api<{ child_first_name: string }>('POST', '/invitations/redeem', {
        code, username, display_name: this.value('display_name'), password,
      })).child_first_name;
    });
    if (!done) return;
    this.forgetCode();
    this.joined = { child, username };
  }

  private async claim(): Promise<void> {
    let child = '';
    const done = await this.run(async () => {
      const code = this.value('code');
      if (!code) this.fail('code', 'Type the code from your letter.');
      child = (await api<{ child_first_name: string }>('POST', '/invitations/claim', { code })).child_first_name;
    });
    if (!done) return;
    this.forgetCode();
    this.claimed = child;
  }

  private codeField(): TemplateResult {
    return this.field('code', 'Code from your letter', { required: true, value: this.code, autocomplete: 'off', hint: CODE_HINT });
  }

  private body(): TemplateResult {
    if (this.joined) {
      const child = bdi(this.joined.child);
      return html`<h1>Your account is ready</h1>
        <p class="notice" role="status">You are linked to ${child}’s journal. Sign in with your new username and password.</p>
        <nb-sign-in-view compact .username=${this.joined.username}></nb-sign-in-view>`;
    }
    if (this.claimed !== null) {
      const child = bdi(this.claimed);
      return html`<h1>Waiting for the setting</h1>
        <p class="notice" role="status">Thank you. A manager of the setting will check the link between your account and
          ${child} and confirm it. Until then, ${child}’s journal does not appear in your account.</p>
        <p>Nothing else changes: you still see the journals you saw before.</p>
        <p><a class="button" href="/journal">Go to your journal</a></p>`;
    }
    const s = this.session;
    if (s) {
      if (s.user.role !== 'parent') {
        return html`<h1>Join a child’s journal</h1>
          <p>This page is for families. You are signed in as <strong>${bdi(s.user.display_name)}</strong>, a member of
            staff. A family opens the link in their letter on their own phone or computer.</p>`;
      }
      return html`<h1>Join a child’s journal</h1>
        <p class="lead">You are signed in as <strong>${bdi(s.user.display_name)}</strong>.</p>
        <form @submit=${(e: Event) => { e.preventDefault(); void this.claim(); }} novalidate>
          ${this.formFeedback()}
          ${this.codeField()}
          <p>A manager of the setting checks and confirms the link before the child’s journal appears in your account.</p>
          ${this.submitButton('Link the code to my account', 'Linking…')}
        </form>
        <p class="meta">Not your account? Sign out from the menu first, then open the link in your letter again.</p>`;
    }
    if (this.existing) {
      return html`<h1>Use the account you have</h1>
        <p class="lead">Sign in with the account you use for a brother or sister. A manager of the setting checks and
          confirms the link before the child’s journal appears in it.</p>
        ${this.formFeedback()}
        ${this.codeField()}
        <nb-sign-in-view compact></nb-sign-in-view>
        <p><button type="button" class="link" @click=${() => this.switchTo(false)}>
          I am new to Nestbox: make an account</button></p>`;
    }
    return html`<h1>Join your child’s journal</h1>
      <p class="lead">Make your own account with the code from the letter the setting gave you. The code works once.</p>
      <form @submit=${this.join} novalidate>
        ${this.formFeedback()}
        ${this.codeField()}
        ${this.field('username', 'Username', { autocomplete: 'username', required: true, hint: '3 to 64 letters, digits or . _ - @ — you sign in with it.' })}
        ${this.field('display_name', 'Your name', { autocomplete: 'name', required: true, hint: 'As the setting knows you. Staff see it beside your comments.' })}
        ${this.field('password', 'Password', { type: 'password', autocomplete: 'new-password', required: true, hint: NEW_PASSWORD_HINT })}
        ${this.field('confirm', 'Password again', { type: 'password', autocomplete: 'new-password', required: true })}
        ${this.submitButton('Make my account', 'Making your account…')}
      </form>
      <h2>Already on Nestbox?</h2>
      <p>If you have an account for a brother or sister, use it: one account sees all your children.</p>
      <button type="button" @click=${() => this.switchTo(true)}>I already have an account</button>`;
  }

  render() {
    pageTitle('Join');
    // What is typed into the code field survives the switch between the forms and signing in.
    const remember = (e: Event) => {
      const t = e.target as HTMLInputElement;
      if (t.id === `${this.fieldPrefix}-code`) this.code = t.value;
    };
    return html`<section class="panel narrow" @input=${remember}>${this.body()}</section>`;
  }
}

// /manage/invitations: accounts that used a code and wait for a manager. Each names the child
// the code was for and the children the account sees now, so a wrong family stands out.
@customElement('nb-invitations-view')
export class InvitationsView extends FormView {
  @state() private links: WaitingLink[] | null = null;
  @state() private refusing: string | null = null;
  protected fieldPrefix = 'links';

  connectedCallback(): void {
    super.connectedCallback();
    void this.run(() => this.load());
  }

  private async load(): Promise<void> {
    this.links = (await api<{ invitations: WaitingLink[] }>('GET', '/invitations/waiting')).invitations;
  }

  private async confirm(link: WaitingLink): Promise<void> {
    const done = await this.run(async () => {
      await api('POST', `/invitations/${link.id}/confirm`, {});
      await this.load();
    });
    if (done) this.notice = html`${bdi(link.account.display_name)} now sees ${bdi(link.child.first_name)}’s journal.`;
  }

  private async refuse(link: WaitingLink): Promise<void> {
    this.refusing = null;
    const done = await this.run(async () => {
      await api('DELETE', `/invitations/${link.id}`);
      await this.load();
    });
    if (done) this.notice = html`Refused. ${bdi(link.account.display_name)} does not see ${bdi(link.child.first_name)}’s journal, and the code no longer works.`;
  }

  private card(link: WaitingLink): TemplateResult {
    const child = `${link.child.first_name} ${link.child.last_name}`;
    const who = link.account.display_name;
    const kids = link.account.children;
    return html`<li>
      <div class="card-head"><span class="card-title" dir="auto">${who}</span>
        <span class="meta">used the code ${humanMomentInText(link.claimed_at)}</span></div>
      <p class="meta">Username: <bdi>${link.account.username}</bdi></p>
      <p>Wants to see the journal of <strong><a href="/manage/children/${link.child.id}">${bdi(child)}</a></strong>${
        link.child.room_name ? html` (${bdi(link.child.room_name)})` : nothing}.</p>
      <p>${kids.length
        ? html`This account sees now: <strong>${listOf(kids.map((k) => bdi(`${k.first_name} ${k.last_name}`)))}</strong>.`
        : html`This account sees no child yet.`}</p>
      ${this.refusing === link.id
        ? html`<div class="actions"><p role="alert">Refuse? ${bdi(who)} will not see ${bdi(link.child.first_name)}’s journal,
              and the code stops working.</p>
            <button type="button" class="danger" @click=${() => this.refuse(link)}>Yes, refuse</button>
            <button type="button" @click=${() => { this.refusing = null; }}>Keep it waiting</button></div>`
        : html`<div class="actions">
            <button type="button" class="primary" ?disabled=${this.busy} @click=${() => this.confirm(link)}
              aria-label="Confirm: ${who} sees ${child}’s journal">Confirm</button>
            <button type="button" class="danger" ?disabled=${this.busy} @click=${() => { this.refusing = link.id; }}
              aria-label="Refuse: ${who} for ${child}">Refuse</button></div>`}
    </li>`;
  }

  render() {
    pageTitle('Links to confirm');
    return html`<section>
      <h1>Links to confirm</h1>
      <p class="lead">These parents and carers already had an account and used an invitation code. Confirm only when the
        account is the family of the child the code was for: the children it sees now should be that child’s brothers
        or sisters.</p>
      ${this.formFeedback()}
      ${this.links === null ? (this.formError ? nothing : html`<p role="status">Loading…</p>`)
        : this.links.length === 0
          ? html`<div class="empty"><p>Nothing is waiting. When someone with an account uses an invitation code, it appears here.</p></div>`
          : html`<ul class="cards" aria-label="Links waiting">${this.links.map((l) => this.card(l))}</ul>`}
    </section>`;
  }
}
