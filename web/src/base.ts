// Shared building blocks for views: light-DOM Lit elements (one global stylesheet, labels and
// inputs in the same tree for assistive technology), and forms that show each server error
// next to the field it names. Forms check in the browser first, in plain words (issue 32):
// each field's rule says what to do ("Give it a short title"); an error goes as soon as the
// field is corrected. When the box cannot be reached, the message has a Retry.

import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { ApiError } from './api';

export class LightElement extends LitElement {
  protected createRenderRoot(): HTMLElement {
    return this;
  }
}

export interface FieldOptions {
  type?: string;
  autocomplete?: string;
  hint?: string;
  required?: boolean;
  inputmode?: string;
  value?: string;
  maxlength?: number;
  options?: Array<{ value: string; label: string }>;
  checked?: boolean;
  min?: number;
  max?: number;
  autocapitalize?: string;
  spellcheck?: boolean;
}

// Several fields' errors at once, from the browser's own checks.
export class FieldErrors extends Error {
  constructor(readonly errors: Record<string, string>) {
    super(Object.values(errors)[0] ?? '');
  }
}

// A field's check: the message to show while the value is not right, or null.
export type FieldRule = (value: string) => string | null;

export class FormView extends LightElement {
  @state() protected errors: Record<string, string> = {};
  @state() protected formError = '';
  @state() protected busy = false;
  // A template when it quotes something people typed (a name, a title), isolated with <bdi>.
  @state() protected notice: string | TemplateResult = '';

  // Field ids inside this form are "<prefix>-<server field name>".
  protected fieldPrefix = 'form';
  // The browser's checks, by field name (see checkFields).
  protected rules: Record<string, FieldRule> = {};
  // The last work that failed because the box could not be reached: the Retry button's.
  @state() private retryWork: (() => void) | null = null;

  protected input(name: string): HTMLInputElement | HTMLSelectElement {
    const element = this.querySelector<HTMLInputElement | HTMLSelectElement>(`#${this.fieldPrefix}-${name}`);
    if (!element) throw new Error(`no field ${name}`);
    return element;
  }

  protected value(name: string): string {
    return this.input(name).value.trim();
  }

  protected rawValue(name: string): string {
    return this.input(name).value;
  }

  protected checked(name: string): boolean {
    return (this.input(name) as HTMLInputElement).checked;
  }

  // Runs a submission: clears old errors, shows progress, and maps failures to fields.
  protected async run(work: () => Promise<void>): Promise<boolean> {
    // What started it, to start it again on Retry: a form's submission (with what follows it,
    // such as clearing the form) or a button's click; otherwise the work alone.
    const origin = document.activeElement instanceof HTMLElement && this.contains(document.activeElement)
      ? document.activeElement : null;
    const form = origin?.closest('form');
    const again = form && this.contains(form) ? () => form.requestSubmit()
      : origin instanceof HTMLButtonElement ? () => origin.click() : () => { void this.run(work); };
    this.retryWork = null;
    this.busy = true;
    this.errors = {};
    this.formError = '';
    this.notice = '';
    try {
      await work();
      return true;
    } catch (error) {
      this.showError(error);
      if (error instanceof ApiError && error.code === 'network') this.retryWork = again;
      return false;
    } finally {
      this.busy = false;
    }
  }

  protected showError(error: unknown): void {
    if (error instanceof FieldErrors) {
      this.errors = error.errors;
    } else if (error instanceof ApiError && error.code === 'session_expired') {
      this.formError = 'Your session ended. Sign in again in the box above, then send this form again.';
    } else if (error instanceof ApiError && error.field && this.querySelector(`#${this.fieldPrefix}-${error.field}`)) {
      this.errors = { [error.field]: error.message };
    } else {
      this.formError = error instanceof Error ? error.message : String(error);
    }
    this.updateComplete.then(() => {
      const target = this.querySelector<HTMLElement>('[aria-invalid="true"]') ?? this.querySelector<HTMLElement>('.form-error');
      target?.focus();
    });
  }

  protected fail(field: string, message: string): never {
    throw new ApiError(400, 'invalid', message, field);
  }

  // Runs every rule over the form's fields; throws (inside run()) with each field's message.
  protected checkFields(): void {
    const errors: Record<string, string> = {};
    for (const [name, rule] of Object.entries(this.rules)) {
      const element = this.querySelector<HTMLInputElement>(`#${this.fieldPrefix}-${name}`);
      const message = element ? rule(element.value.trim()) : null;
      if (message) errors[name] = message;
    }
    if (Object.keys(errors).length) throw new FieldErrors(errors);
  }

  // As the person changes a field with an error: its rule decides whether the error stays
  // (with the rule's current words); an error from the box goes with the first change.
  protected corrected(name: string, element: EventTarget | null): void {
    if (!this.errors[name]) return;
    const rule = this.rules[name];
    const message = rule ? rule((element as HTMLInputElement | null)?.value.trim() ?? '') : null;
    const { [name]: _gone, ...rest } = this.errors;
    this.errors = message ? { ...rest, [name]: message } : rest;
  }

  protected field(name: string, label: string | TemplateResult, o: FieldOptions = {}): TemplateResult {
    const id = `${this.fieldPrefix}-${name}`;
    const error = this.errors[name];
    const describedBy = [o.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || nothing;
    const common = {
      id, error, describedBy,
    };
    let control: TemplateResult;
    if (o.options) {
      control = html`<select id=${id} name=${name} aria-invalid=${error ? 'true' : 'false'} aria-describedby=${common.describedBy}
        ?required=${o.required} @change=${(e: Event) => this.corrected(name, e.target)}>
        ${o.options.map((opt) => html`<option value=${opt.value} ?selected=${opt.value === o.value}>${opt.label}</option>`)}
      </select>`;
    } else if (o.type === 'checkbox') {
      return html`<div class="field field-check">
        <input type="checkbox" id=${id} name=${name} ?checked=${o.checked} aria-describedby=${common.describedBy}>
        <label for=${id}>${label}</label>
        ${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : nothing}
        ${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : nothing}
      </div>`;
    } else {
      control = html`<input id=${id} name=${name} type=${o.type ?? 'text'} .defaultValue=${o.value ?? ''}
        autocomplete=${o.autocomplete ?? 'off'} inputmode=${o.inputmode ?? nothing} maxlength=${o.maxlength ?? nothing}
        autocapitalize=${o.autocapitalize ?? nothing} spellcheck=${o.spellcheck === undefined ? nothing : String(o.spellcheck)}
        min=${o.min ?? nothing} max=${o.max ?? nothing}
        ?required=${o.required} aria-invalid=${error ? 'true' : 'false'} aria-describedby=${common.describedBy}
        @input=${(e: Event) => this.corrected(name, e.target)}>`;
    }
    return html`<div class="field">
      <label for=${id}>${label}${o.required ? nothing : html` <span class="optional">(optional)</span>`}</label>
      ${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : nothing}
      ${control}
      ${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : nothing}
    </div>`;
  }

  protected formFeedback(): TemplateResult {
    return html`
      ${this.formError ? html`<p class="form-error" role="alert" tabindex="-1">${this.formError}</p>` : nothing}
      ${this.formError && this.retryWork ? html`<div class="actions retry"><button type="button" class="primary" ?disabled=${this.busy}
          @click=${() => { const again = this.retryWork; this.retryWork = null; again?.(); }}>Retry</button></div>` : nothing}
      ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}`;
  }

  protected submitButton(label: string, busyLabel: string): TemplateResult {
    return html`<div class="actions">
      <button type="submit" class="primary" ?disabled=${this.busy} aria-busy=${this.busy ? 'true' : 'false'}>
        ${this.busy ? busyLabel : label}
      </button>
      ${this.busy ? html`<progress aria-label=${busyLabel}></progress>` : nothing}
    </div>`;
  }
}

// Text someone typed (a name, a title), isolated for bidirectional text where it sits inside
// a sentence of the app's: a name in Arabic or Hebrew neither reorders the words around it
// nor takes the punctuation after it. Text alone in its own element gets dir="auto" instead.
export function bdi(text: string | null | undefined): TemplateResult {
  return html`<bdi>${text ?? ''}</bdi>`;
}

export function pageTitle(title: string): void {
  document.title = `${title} · Nestbox`;
}
