// A child's journal has an end (issue 21). The box says where each child is: leaving (a
// leaving date still to come), left (the family reads and downloads until read_until), or
// archived (hidden from the family, erased on erase_on unless a manager restores it). The
// phase and its countdown are the box's; this only puts them into words.
import { html, nothing, type TemplateResult } from 'lit';
import { humanDay } from './dates';
import { count } from './format';
import type { Child } from './journal';

export type LeavingPhase = 'leaving' | 'left' | 'archived';

export interface Leaving {
  phase: LeavingPhase;
  left_on: string;     // YYYY-MM-DD
  read_until: string;  // the family's last day of reading and downloading
  erase_on: string;    // the day an archived journal is erased
  days_left: number;   // to left_on, to the end of read_until, or to erase_on, by phase
}

// "12 days", "1 day", "today".
export function daysLeft(n: number): string {
  return n <= 0 ? 'today' : count(n, 'day', 'days');
}

// The tag on a child in a list: "Left", "Archived · 12 days"; nothing while staying or leaving.
export function leavingTag(c: Child): TemplateResult | typeof nothing {
  const l = c.leaving;
  if (!l) return nothing;
  if (l.phase === 'left') return html`<span class="tag leaving-tag" data-phase="left">Left</span>`;
  if (l.phase === 'archived') {
    return html`<span class="tag leaving-tag inactive" data-phase="archived">Archived · ${daysLeft(l.days_left)}</span>`;
  }
  return nothing;
}

// One line for staff and managers: "Leaving on Fri 17 Jul (in 12 days)", "Left on …", "Archived: …".
export function leavingSummary(l: Leaving): string {
  switch (l.phase) {
    case 'leaving': return `Leaving on ${humanDay(l.left_on)} (${l.days_left <= 0 ? 'today' : `in ${daysLeft(l.days_left)}`})`;
    case 'left': return `Left on ${humanDay(l.left_on)}: the family reads the journal until ${humanDay(l.read_until)} (${daysLeft(l.days_left)})`;
    case 'archived': return `Archived: erased on ${humanDay(l.erase_on)} (${daysLeft(l.days_left)})`;
  }
}
