import { html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, type User } from '../api';
import { humanMomentInText } from '../dates';
import { bdi, FormView, pageTitle } from '../base';
import '../copy-code';

export interface OneTimeCode {
  code: string;
  expires_at: string;
}

export function codeHandOver(name: string, code: OneTimeCode, what: string | TemplateResult) {
  return html`<div class="panel" role="status">
    <p><strong>${what}</strong> Give this code to ${bdi(name)} in person. It works once, until ${humanMomentInText(code.expires_at)}:</p>
    <nb-copy-code .code=${code.code} label="one-time code"></nb-copy-code>
    <p class="meta">They open “Set your password” on the sign-in page and enter it with their username.
      It will not be shown again.</p>
  </div>`;
}

const ROLE_LABEL: Record<string, string> = { manager: 'Manager', staff: 'Staff', parent: 'Parent or carer' };

// The to-do's filtered lists (issue 32), filtered by the box (GET /users?needs=…).
const NEEDS_LABEL: Record<string, string> = {
  pin: 'Staff and managers without a PIN',
  code_unused: 'Account codes handed out, not used yet',
  code_expired: 'Account codes expired unused',
};

// Managers: every account, filtered by role and state, and adding a new one.
@customElement('nb-accounts-view')
export class AccountsView extends FormView {
  @state() private users: User[] | null = null;
  @state() private created: { user: User; one_time_code: OneTimeCode } | null = null;
  @state() private roleFilter = '';
  @state() private activeFilter = 'true';
  // From the home's to-do: /manage/accounts?needs=pin and the like.
  @state() private needs = new URLSearchParams(window.location.search).get('needs') ?? '';
  protected fieldPrefix = 'account';

  connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const query = new URLSearchParams();
    if (this.roleFilter) query.set('role', this.roleFilter);
    if (this.activeFilter) query.set('active', this.activeFilter);
    if (this.needs in NEEDS_LABEL) query.set('needs', this.needs);
    try {
      this.users = (await api<{ users: User[] }>('GET', `/users?${query}`)).users;
    } catch (e) {
      this.showError(e);
    }
  }

  private showAll(): void {
    this.needs = '';
    window.history.replaceState(window.history.state, '', window.location.pathname);
    void this.load();
  }

  private async create(event: Event): Promise<void> {
    event.preventDefault();
    const done = await this.run(async () => {
      const body: Record<string, string> = {
        display_name: this.value('display_name'),
        username: this.value('username'),
        role: this.value('role'),
      };
      const email = this.value('email');
      if (email) body.email = email;
      this.created = await api('POST', '/users', body);
    });
    if (done) {
      (this.querySelector('form.create') as HTMLFormElement).reset();
      await this.load();
    }
  }

  render() {
    pageTitle('Accounts');
    return html`<section>
      <h1>Accounts</h1>
      <p class="lead">Everyone has their own account: never share one. New people set their own password with a one-time code.</p>
      <form class="filters panel" @change=${(e: Event) => {
        const t = e.target as HTMLSelectElement;
        if (t.name === 'role') this.roleFilter = t.value; else this.activeFilter = t.value;
        void this.load();
      }} @submit=${(e: Event) => e.preventDefault()}>
        <div class="field"><label for="filter-role">Role</label>
          <select id="filter-role" name="role">
            <option value="">Everyone</option>
            ${Object.entries(ROLE_LABEL).map(([v, l]) => html`<option value=${v}>${l}</option>`)}
          </select></div>
        <div class="field"><label for="filter-active">State</label>
          <select id="filter-active" name="active">
            <option value="true">Active</option><option value="false">Deactivated</option><option value="">All</option>
          </select></div>
      </form>
      ${this.needs in NEEDS_LABEL ? html`<div class="panel todo-filter" data-needs=${this.needs}>
        <p><strong>${NEEDS_LABEL[this.needs]}</strong>${this.users ? ` (${this.users.length})` : ''}: from your to-do list.</p>
        <div class="actions"><button type="button" @click=${this.showAll}>Show every account</button></div></div>` : nothing}
      ${this.users === null
        ? html`<p role="status">Loading accounts…</p>`
        : this.users.length === 0
          ? html`<div class="empty"><p>No accounts match these filters. Choose “Everyone” and “All”, or add an account below.</p></div>`
          : html`<ul class="cards" aria-label="Accounts">${this.users.map((u) => html`<li>
              <div class="card-head">
                <a class="card-title" href="/manage/accounts/${u.id}" dir="auto">${u.display_name}</a>
                <span>${ROLE_LABEL[u.role]} ${u.active ? nothing : html`<span class="tag inactive">Deactivated</span>`}</span>
              </div>
              <p class="meta">${u.username}${u.email ? ` · ${u.email}` : ''}${u.role !== 'parent' ? (u.has_pin ? ' · PIN set' : ' · no PIN yet') : ''}</p>
            </li>`)}</ul>`}

      <h2 id="add-heading">Add an account</h2>
      ${this.created ? codeHandOver(this.created.user.display_name, this.created.one_time_code,
          html`${bdi(this.created.user.display_name)}’s account is ready.`) : nothing}
      <form class="create panel" aria-labelledby="add-heading" @submit=${this.create} novalidate>
        ${this.formFeedback()}
        <div class="grid-2">
          ${this.field('display_name', 'Name', { required: true, hint: 'As colleagues or families know them.' })}
          ${this.field('username', 'Username', { required: true, hint: '3 to 64 letters, digits or . _ - @' })}
          ${this.field('email', 'Email', { type: 'email' })}
          ${this.field('role', 'Role', { required: true, value: 'staff', options: Object.entries(ROLE_LABEL).map(([value, label]) => ({ value, label })) })}
        </div>
        ${this.submitButton('Add account', 'Adding…')}
      </form>
    </section>`;
  }
}
