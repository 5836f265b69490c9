// Curriculum links as searchable chips (issue 22): a search box narrows the framework's aspects
// as staff type, each aspect is a toggle, and the chosen ones sit on top as removable chips.
// With the children of the entry it shows each one's Development Matters age band, worked out
// from the date of birth by ageBand() below.
import { html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { bdi, LightElement } from '../base';
import type { Child, Framework } from '../journal';

// Development Matters 2021 age bands (EYFS): under 36 months, 36–59 months, 60 months and over.
export const AGE_BANDS = ['Birth to three', 'Three and four-year-olds', 'Children in reception'] as const;
export type AgeBand = typeof AGE_BANDS[number];

// Whole months from a date of birth to a day, both YYYY-MM-DD; null when either is not a date
// or the day is before the birth.
export function ageInMonths(dateOfBirth: string, onDay: string): number | null {
  const birth = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateOfBirth);
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(onDay);
  if (!birth || !day) return null;
  const [by, bm, bd] = birth.slice(1).map(Number);
  const [y, m, d] = day.slice(1).map(Number);
  // A month is complete on the same day of the month (or the month's last day, for a birth on
  // the 31st in a shorter month).
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const months = (y - by) * 12 + (m - bm) - (d < Math.min(bd, lastDay) ? 1 : 0);
  return months < 0 ? null : months;
}

export function ageBand(dateOfBirth: string, onDay: string): { months: number; band: AgeBand } | null {
  const months = ageInMonths(dateOfBirth, onDay);
  if (months === null) return null;
  return { months, band: months < 36 ? AGE_BANDS[0] : months < 60 ? AGE_BANDS[1] : AGE_BANDS[2] };
}

// "2 years 11 months", "3 years", "8 months".
export function ageWords(months: number): string {
  const years = Math.floor(months / 12), rest = months % 12;
  const y = years ? `${years} year${years === 1 ? '' : 's'}` : '';
  const m = rest || !years ? `${rest} month${rest === 1 ? '' : 's'}` : '';
  return [y, m].filter(Boolean).join(' ');
}

function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

// The box's rule (Framework::search, daemon/lib/domain/curriculum.cpp): each word of the query
// is in the aspect's name, its area's name or one of its everyday words ("count" finds Number).
export function aspectMatches(query: string, areaName: string, aspect: { name: string; words?: string[] }): boolean {
  const terms = fold(query).split(/\s+/).filter(Boolean);
  const haystack = fold([aspect.name, areaName, ...(aspect.words ?? [])].join('\n'));
  return terms.every((t) => haystack.includes(t));
}

let instances = 0;

// Fires "aspects-change" (detail: the chosen aspect ids) when an aspect is added or removed.
@customElement('nb-curriculum-chips')
export class CurriculumChips extends LightElement {
  @property({ attribute: false }) framework: Framework | null = null;
  @property({ attribute: false }) selected: string[] = [];
  @property({ attribute: false }) people: Child[] = [];   // the entry's children, for the age bands
  @property() today = '';                                    // YYYY-MM-DD, the setting's
  @state() private query = '';
  private readonly uid = `cc${++instances}`;

  private names(): Map<string, { area: string; aspect: string }> {
    const out = new Map<string, { area: string; aspect: string }>();
    for (const area of this.framework?.areas ?? []) for (const a of area.aspects) out.set(a.id, { area: area.name, aspect: a.name });
    return out;
  }

  private toggle(id: string): void {
    const next = this.selected.includes(id) ? this.selected.filter((x) => x !== id) : [...this.selected, id];
    this.dispatchEvent(new CustomEvent<string[]>('aspects-change', { detail: next, bubbles: true }));
  }

  private removeChosen(id: string): void {
    const index = this.selected.indexOf(id);
    this.toggle(id);
    // Focus stays among the chips: the next one, or the search box.
    void this.updateComplete.then(() => {
      const chips = this.querySelectorAll<HTMLElement>('.chips .chip');
      (chips[Math.min(index, chips.length - 1)] ?? this.querySelector<HTMLElement>(`#${this.uid}-search`))?.focus();
    });
  }

  private ageHint(): TemplateResult | typeof nothing {
    // The bands are the EYFS's (Development Matters); other frameworks have their own.
    if (!this.framework || this.framework.id !== 'eyfs' || !this.today) return nothing;
    if (!this.people.length) {
      return html`<p class="hint age-bands">Choose who is in it to see each child’s Development Matters age band here.</p>`;
    }
    return html`<ul class="age-bands" aria-label="Development Matters age bands">${this.people.map((c) => {
      const band = ageBand(c.date_of_birth, this.today);
      return html`<li>${bdi(`${c.first_name} ${c.last_name}`)}: ${band
        ? html`<strong>${band.band}</strong> (${ageWords(band.months)})` : 'no date of birth to go by'}</li>`;
    })}</ul>`;
  }

  private option(id: string, name: string, area: string): TemplateResult {
    const on = this.selected.includes(id);
    return html`<li><button type="button" class="chip-toggle" aria-pressed=${on ? 'true' : 'false'} @click=${() => this.toggle(id)}>
      <span class="visually-hidden">${area}: </span>${name}</button></li>`;
  }

  private options(): TemplateResult {
    const q = fold(this.query.trim());
    const areas = (this.framework?.areas ?? []).map((area) => ({
      area,
      aspects: q ? area.aspects.filter((a) => aspectMatches(q, area.name, a)) : area.aspects,
    })).filter((a) => a.aspects.length);
    if (q && !areas.length) {
      return html`<p class="empty" role="status">Nothing in the curriculum matches “${bdi(this.query.trim())}”. Try another everyday
        word, such as “count” or “talk”, or clear the search.</p>`;
    }
    const list = html`<ul class="aspect-areas">${areas.map(({ area, aspects }) => html`<li>
      <p class="area-name" id="${this.uid}-${area.id}">${area.name}</p>
      <ul class="chip-options" aria-labelledby="${this.uid}-${area.id}">${aspects.map((a) => this.option(a.id, a.name, area.name))}</ul>
    </li>`)}</ul>`;
    if (q) {
      const count = areas.reduce((n, a) => n + a.aspects.length, 0);
      return html`<p class="visually-hidden" role="status">${count} ${count === 1 ? 'aspect matches' : 'aspects match'}.</p>${list}`;
    }
    return html`<details class="browse-aspects"><summary>Browse every area</summary>${list}</details>`;
  }

  render() {
    if (!this.framework) return html`<p role="status">Loading the curriculum…</p>`;
    const names = this.names();
    return html`<div class="curriculum-chips">
      ${this.ageHint()}
      ${this.selected.length
        ? html`<ul class="chips" aria-label="Chosen curriculum links">${this.selected.map((id) => {
            const n = names.get(id);
            const label = n ? `${n.area}: ${n.aspect}` : id;
            return html`<li><button type="button" class="chip" @click=${() => this.removeChosen(id)}
              aria-label="Remove ${label}"><span>${n?.aspect ?? id}</span><span class="chip-x" aria-hidden="true">×</span></button></li>`;
          })}</ul>`
        : html`<p class="meta">No curriculum link yet: find one below, or leave it out.</p>`}
      <div class="field chip-search">
        <label for="${this.uid}-search">Find an area or aspect of ${this.framework.name}</label>
        <p class="hint" id="${this.uid}-search-hint">Everyday words work too: “count”, “scissors”, “friends”.</p>
        <input type="search" id="${this.uid}-search" autocomplete="off" enterkeyhint="search" .value=${this.query}
          aria-describedby="${this.uid}-search-hint"
          @input=${(e: Event) => { this.query = (e.target as HTMLInputElement).value; }}
          @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter') e.preventDefault(); }}>
      </div>
      ${this.options()}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'nb-curriculum-chips': CurriculumChips }
}
