// Managers: the templates staff start an observation from (issue 22) — a name, a title, the
// words and next steps to fill in, and curriculum links. Listed by name; added, changed and
// deleted here. The box checks every field and says which one is wrong.
import { html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, ApiError } from '../api';
import { bdi, FormView, pageTitle } from '../base';
import { humanMoment, loadTimeZone } from '../dates';
import { aspectNames, loadFramework, type Framework } from '../journal';
import { loadTemplates, TEMPLATE_KIND_LABEL, type EntryTemplate } from '../templates';
import './curriculum-chips';

function preview(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

@customElement('nb-templates-view')
export class TemplatesView extends FormView {
  @state() private templates: EntryTemplate[] | null = null;
  @state() private framework: Framework | null = null;
  @state() private editing: EntryTemplate | null = null;   // null: adding a new one
  @state() private aspects: string[] = [];
  @state() private deleting: string | null = null;         // the template whose deletion waits for a yes
  protected fieldPrefix = 'tpl';

  connectedCallback(): void {
    super.connectedCallback();
    void this.run(async () => {
      await loadTimeZone();
      [this.framework] = await Promise.all([loadFramework(), this.load()]);
    });
  }

  private async load(): Promise<void> {
    this.templates = await loadTemplates();
  }

  private form(): HTMLFormElement | null {
    return this.querySelector<HTMLFormElement>('form.template-form');
  }

  private async edit(t: EntryTemplate): Promise<void> {
    this.editing = t;
    this.aspects = [...t.aspect_ids];
    this.errors = {};
    this.formError = '';
    this.notice = '';
    this.deleting = null;
    await this.updateComplete;
    this.form()?.reset();   // the fields take the template's values (their defaults)
    const name = this.querySelector<HTMLElement>('#tpl-name');
    name?.scrollIntoView({ block: 'center' });
    name?.focus();
  }

  private async stopEditing(focusId?: string): Promise<void> {
    const was = this.editing;
    this.editing = null;
    this.aspects = [];
    this.errors = {};
    await this.updateComplete;
    this.form()?.reset();
    const back = focusId ?? (was ? `edit-${was.id}` : '');
    if (back) this.querySelector<HTMLElement>(`#${back}`)?.focus();
  }

  private async save(event: Event): Promise<void> {
    event.preventDefault();
    const editing = this.editing;
    let saved: EntryTemplate | null = null;
    const done = await this.run(async () => {
      const body = {
        name: this.value('name'),
        kind: this.value('kind'),
        title: this.value('title'),
        body: this.rawValue('body'),
        next_steps: this.rawValue('next_steps'),
        aspect_ids: this.aspects,
      };
      if (!body.name) this.fail('name', 'Give the template a name staff will know it by, such as “WOW moment”.');
      try {
        saved = (await api<{ template: EntryTemplate }>(editing ? 'PATCH' : 'POST', editing ? `/templates/${editing.id}` : '/templates', body)).template;
      } catch (e) {
        if (e instanceof ApiError && e.code === 'name_taken') {
          throw new ApiError(e.status, e.code, 'Another template already has this name. Choose a different name, or edit that one.', 'name');
        }
        throw e;
      }
      await this.load();
    });
    if (!done || !saved) return;
    const name = (saved as EntryTemplate).name;
    this.notice = editing ? html`“${bdi(name)}” is saved. Staff see the change the next time they open a template.`
      : html`“${bdi(name)}” is added. Staff find it under “Use a template” when they write an observation.`;
    await this.stopEditing(`edit-${(saved as EntryTemplate).id}`);
  }

  private async deleteTemplate(t: EntryTemplate): Promise<void> {
    const done = await this.run(async () => {
      await api('DELETE', `/templates/${t.id}`);
      await this.load();
    });
    if (!done) return;
    this.deleting = null;
    if (this.editing?.id === t.id) await this.stopEditing();
    this.notice = html`“${bdi(t.name)}” is deleted. Entries already written from it keep their words.`;
    await this.updateComplete;
    const heading = this.querySelector<HTMLElement>('h1');
    if (heading) { heading.tabIndex = -1; heading.focus(); }
  }

  private card(t: EntryTemplate): TemplateResult {
    const links = aspectNames(this.framework, t.aspect_ids);
    return html`<li>
      <div class="card-head"><span class="card-title" dir="auto">${t.name}</span><span class="tag">${TEMPLATE_KIND_LABEL[t.kind] ?? t.kind}</span></div>
      ${t.title ? html`<p class="meta">Title: ${bdi(t.title)}</p>` : nothing}
      ${t.body ? html`<p class="template-preview" dir="auto">${preview(t.body)}</p>` : nothing}
      ${links.length ? html`<p class="meta">${links.join(' · ')}</p>` : nothing}
      ${t.updated_at ? html`<p class="meta">Last changed ${humanMoment(t.updated_at)}</p>` : nothing}
      ${this.deleting === t.id
        ? html`<div class="warning delete-confirm">
            <p>Delete “${bdi(t.name)}”? Staff can no longer start from it. Entries already written from it keep their words.</p>
            <div class="actions">
              <button type="button" class="danger" ?disabled=${this.busy} @click=${() => this.deleteTemplate(t)}>Delete “${t.name}”</button>
              <button type="button" id="keep-${t.id}" @click=${() => { this.deleting = null; void this.updateComplete.then(() => this.querySelector<HTMLElement>(`#delete-${t.id}`)?.focus()); }}>Keep it</button>
            </div></div>`
        : html`<div class="actions">
            <button type="button" id="edit-${t.id}" @click=${() => this.edit(t)}>Edit<span class="visually-hidden"> “${t.name}”</span></button>
            <button type="button" class="danger" id="delete-${t.id}" @click=${() => {
              this.deleting = t.id;
              void this.updateComplete.then(() => this.querySelector<HTMLElement>(`#keep-${t.id}`)?.focus());
            }}>Delete<span class="visually-hidden"> “${t.name}”</span></button>
          </div>`}
    </li>`;
  }

  private textArea(name: string, label: string, value: string, rows: number, max: number, hint: string): TemplateResult {
    const id = `tpl-${name}`;
    const error = this.errors[name];
    const describedBy = [`${id}-hint`, error ? `${id}-error` : ''].filter(Boolean).join(' ');
    return html`<div class="field">
      <label for=${id}>${label} <span class="optional">(optional)</span></label>
      <p class="hint" id="${id}-hint">${hint}</p>
      <textarea id=${id} name=${name} rows=${rows} maxlength=${max} .defaultValue=${value}
        aria-invalid=${error ? 'true' : 'false'} aria-describedby=${describedBy}></textarea>
      ${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : nothing}
    </div>`;
  }

  render() {
    pageTitle('Templates');
    const t = this.editing;
    return html`<section class="templates-page">
      <h1>Templates</h1>
      <p class="lead">Starting points for staff writing an observation: a title, words to fill in and curriculum links. Staff change
        anything before they save.</p>
      ${this.formFeedback()}
      ${this.templates === null ? (this.formError ? nothing : html`<p role="status">Loading the templates…</p>`)
        : this.templates.length === 0
          ? html`<div class="empty"><p>No templates yet. Add one below: staff then find it under “Use a template” when they write an
              observation.</p></div>`
          : html`<ul class="cards" aria-label="Templates">${this.templates.map((x) => this.card(x))}</ul>`}

      <h2 id="template-form-title">${t ? html`Edit “${bdi(t.name)}”` : 'Add a template'}</h2>
      <form class="panel template-form" aria-labelledby="template-form-title" @submit=${this.save} novalidate>
        ${this.field('name', 'Name', { required: true, maxlength: 80, value: t?.name ?? '', hint: 'What staff pick it by, e.g. “WOW moment”.' })}
        ${this.field('kind', 'For', { required: true, value: t?.kind ?? 'observation',
          options: Object.entries(TEMPLATE_KIND_LABEL).map(([value, label]) => ({ value, label: `${label}s` })) })}
        ${this.field('title', 'Title', { maxlength: 200, value: t?.title ?? '', hint: 'Filled in when the observation has no title yet.' })}
        ${this.textArea('body', 'What happened', t?.body ?? '', 5, 20000, 'Prompts or sentences to complete, e.g. “What did they do? What did they say?”')}
        ${this.textArea('next_steps', 'Next steps', t?.next_steps ?? '', 2, 5000, 'Shown under “Next steps” on the observation.')}
        <fieldset class="template-aspects">
          <legend>Curriculum links <span class="optional">(optional)</span></legend>
          <nb-curriculum-chips .framework=${this.framework} .selected=${this.aspects}
            @aspects-change=${(e: CustomEvent<string[]>) => { this.aspects = e.detail; }}></nb-curriculum-chips>
          <input type="hidden" id="tpl-aspect_ids">
          ${this.errors.aspect_ids ? html`<p class="field-error">${this.errors.aspect_ids}</p>` : nothing}
        </fieldset>
        <div class="actions">
          <button type="submit" class="primary" ?disabled=${this.busy}>${t ? 'Save template' : 'Add template'}</button>
          ${t ? html`<button type="button" @click=${() => this.stopEditing()}>Cancel</button>` : nothing}
        </div>
      </form>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'nb-templates-view': TemplatesView }
}
