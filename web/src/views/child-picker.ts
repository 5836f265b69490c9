// Who is in it (issue 22): picking children out of 150 with one hand. The chosen room's
// children come first (key children first among them, marked), a search box narrows everyone
// by name as staff type, a "Recently tagged" row holds the children this member of staff tagged
// lately, and each child's consent is said beside the name in a word or two. The chosen
// children sit on top as chips that remove them. Each child is a toggle button (aria-pressed).
import { html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement } from '../base';
import type { Child } from '../journal';

// GET /children gives staff each child's consent as recorded (issue 22).
export interface ChildConsentSummary {
  recorded: boolean;
  own_journal_photos: boolean;
  other_journals: boolean;
}

export interface PickerChild extends Child {
  consent?: ChildConsentSummary;
}

export interface PickerRoom {
  id: string;
  name: string;
}

// The consent register in a word or two, beside the name; '' when there is nothing to mind.
export function consentWords(consent: ChildConsentSummary | undefined): string {
  if (!consent) return '';
  if (!consent.recorded) return 'No consent form';
  if (!consent.own_journal_photos) return 'No photos';
  if (!consent.other_journals) return 'Not in others’ photos';
  return '';
}

function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

function fullName(c: Child): string {
  return `${c.first_name} ${c.last_name}`;
}

const byName = (a: Child, b: Child) => fullName(a).localeCompare(fullName(b));

let instances = 0;

// Fires "children-change" (detail: the chosen child ids, in the order chosen).
@customElement('nb-child-picker')
export class ChildPicker extends LightElement {
  @property({ attribute: false }) pool: PickerChild[] = [];   // every child staff may tag
  @property({ attribute: false }) rooms: PickerRoom[] = [];
  @property({ attribute: false }) selected: string[] = [];
  @property({ attribute: false }) recent: string[] = [];   // ids, most recent first
  @property() myId = '';                                    // the signed-in member of staff
  @property() describedBy = '';                             // e.g. the error below the picker
  @state() private room = '';
  @state() private query = '';
  private readonly uid = `cp${++instances}`;

  // The room shown first: where most of my key children are, else the first room with children.
  private defaultRoom(): string {
    const count = new Map<string, number>();
    for (const c of this.pool) if (c.key_person_id && c.key_person_id === this.myId) count.set(c.room_id, (count.get(c.room_id) ?? 0) + 1);
    const best = [...count.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    return best ?? this.rooms.find((r) => this.pool.some((c) => c.room_id === r.id))?.id ?? this.rooms[0]?.id ?? '';
  }

  protected willUpdate(): void {
    if ((!this.room || !this.rooms.some((r) => r.id === this.room)) && this.rooms.length && this.pool.length) {
      this.room = this.defaultRoom();
    }
  }

  focusSearch(): void {
    this.querySelector<HTMLElement>(`#${this.uid}-search`)?.focus();
  }

  private isKey(c: Child): boolean {
    return !!this.myId && c.key_person_id === this.myId;
  }

  private toggle(id: string): void {
    const next = this.selected.includes(id) ? this.selected.filter((x) => x !== id) : [...this.selected, id];
    this.dispatchEvent(new CustomEvent<string[]>('children-change', { detail: next, bubbles: true }));
  }

  private removeChosen(id: string): void {
    const index = this.selected.indexOf(id);
    this.toggle(id);
    void this.updateComplete.then(() => {
      const chips = this.querySelectorAll<HTMLElement>('.picker-chosen .chip');
      (chips[Math.min(index, chips.length - 1)] ?? this.querySelector<HTMLElement>(`#${this.uid}-search`))?.focus();
    });
  }

  // In the room first (key children first), then everyone else; by name within each.
  private ordered(children: PickerChild[]): { here: PickerChild[]; elsewhere: PickerChild[] } {
    const here = children.filter((c) => c.room_id === this.room)
      .sort((a, b) => Number(this.isKey(b)) - Number(this.isKey(a)) || byName(a, b));
    const elsewhere = children.filter((c) => c.room_id !== this.room).sort(byName);
    return { here, elsewhere };
  }

  private toggleButton(c: PickerChild): TemplateResult {
    const on = this.selected.includes(c.id);
    const words = consentWords(c.consent);
    return html`<li><button type="button" class="child-toggle" data-child=${c.id} aria-pressed=${on ? 'true' : 'false'}
        @click=${() => this.toggle(c.id)}>
      <span class="tick" aria-hidden="true"></span>
      <span class="child-text">
        <span class="child-name" dir="auto">${fullName(c)}</span>
        ${this.isKey(c) || words ? html`<span class="child-notes">
          ${this.isKey(c) ? html`<span class="key-child"><span aria-hidden="true">★ </span>Key child</span>` : nothing}
          ${words ? html`<span class="consent-word"><span aria-hidden="true">⚠ </span>${words}</span>` : nothing}
        </span>` : nothing}
      </span>
    </button></li>`;
  }

  private roomName(id: string): string {
    return this.rooms.find((r) => r.id === id)?.name ?? 'This room';
  }

  private list(children: PickerChild[], label: string, id: string): TemplateResult {
    return html`<h3 class="picker-heading" id=${id}>${label}</h3>
      <ul class="child-grid" aria-labelledby=${id}>${children.map((c) => this.toggleButton(c))}</ul>`;
  }

  private results(): TemplateResult {
    const q = fold(this.query.trim());
    if (!this.pool.length) {
      return html`<div class="empty"><p>No children are on the box yet. A manager adds them under “Rooms and children”.</p></div>`;
    }
    if (q) {
      const words = q.split(/\s+/);
      const matches = this.pool.filter((c) => {
        const name = fold(`${fullName(c)} ${c.last_name} ${c.first_name}`);
        return words.every((w) => name.includes(w));
      });
      const { here, elsewhere } = this.ordered(matches);
      const count = matches.length;
      return html`<p class="visually-hidden" role="status">${count === 0 ? 'No child matches.' : `${count} ${count === 1 ? 'child matches' : 'children match'}.`}</p>
        ${count === 0 ? html`<p class="empty">No child’s name has “<bdi>${this.query.trim()}</bdi>” in it. Check the spelling, or clear
            the search to see ${this.roomName(this.room)}.</p>`
          : html`<ul class="child-grid picker-results" aria-label="Children matching your search">${[...here, ...elsewhere].map((c) => this.toggleButton(c))}</ul>`}`;
    }
    const { here, elsewhere } = this.ordered(this.pool);
    const recent = this.recent.map((id) => this.pool.find((c) => c.id === id)).filter((c): c is PickerChild => !!c);
    return html`
      ${recent.length ? this.list(recent, 'Recently tagged', `${this.uid}-recent`) : nothing}
      ${here.length ? this.list(here, this.roomName(this.room), `${this.uid}-room`)
        : html`<p class="empty">No children in ${this.roomName(this.room)}. Choose another room, or search by name.</p>`}
      ${elsewhere.length ? html`<details class="other-rooms"><summary>Children in other rooms (${elsewhere.length})</summary>
          <ul class="child-grid" aria-label="Children in other rooms">${elsewhere.map((c) => this.toggleButton(c))}</ul></details>` : nothing}`;
  }

  render() {
    const chosen = this.selected.map((id) => this.pool.find((c) => c.id === id)).filter((c): c is PickerChild => !!c);
    return html`<div class="child-picker">
      <div class="picker-chosen">
        ${chosen.length
          ? html`<ul class="chips" aria-label="Chosen children">${chosen.map((c) => html`<li>
              <button type="button" class="chip" aria-label="Remove ${fullName(c)}" @click=${() => this.removeChosen(c.id)}>
                <span dir="auto">${fullName(c)}</span><span class="chip-x" aria-hidden="true">×</span></button></li>`)}</ul>`
          : html`<p class="meta">Nobody chosen yet: tap each child who is in it.</p>`}
      </div>
      <div class="field picker-search">
        <label for="${this.uid}-search">Find a child by name</label>
        <input type="search" id="${this.uid}-search" autocomplete="off" autocapitalize="words" spellcheck="false" enterkeyhint="search"
          .value=${this.query} aria-describedby=${this.describedBy || nothing}
          @input=${(e: Event) => { this.query = (e.target as HTMLInputElement).value; }}
          @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter') e.preventDefault(); }}>
      </div>
      ${this.rooms.length > 1 ? html`<div class="room-switch" role="group" aria-label="Room shown first">
        ${this.rooms.map((r) => html`<button type="button" aria-pressed=${r.id === this.room ? 'true' : 'false'}
          @click=${() => { this.room = r.id; }}><span dir="auto">${r.name}</span></button>`)}</div>` : nothing}
      ${this.results()}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'nb-child-picker': ChildPicker }
}
