// Managers, on a child's page: the leaving date, where the child is in leaving (issue 21) with
// its countdown, and bringing a child who left back as current (Restore). The phases and
// dates are the box's: leaving (the date is still to come), left (the family reads and
// downloads until read_until; nothing new is written), archived (the family no longer sees
// the journal; it is erased on erase_on).

import { html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { api } from '../api';
import { bdi, FormView } from '../base';
import { humanDay } from '../dates';
import type { Child } from '../journal';
import { daysLeft, type Leaving } from '../leaving';

@customElement('nb-leaving-panel')
export class LeavingPanel extends FormView {
  @property({ attribute: false }) child!: Child;
  protected fieldPrefix = 'child';

  // The page keeps the child it shows: tell it what changed.
  private changed(child: Child): void {
    this.child = child;
    this.dispatchEvent(new CustomEvent<Child>('child-changed', { detail: child, bubbles: true, composed: true }));
  }

  private async saveLeaving(event: Event): Promise<void> {
    event.preventDefault();
    const leftOn = this.value('left_on');
    let saved: Child | null = null;
    const done = await this.run(async () => {
      if (leftOn && !/^\d{4}-\d{2}-\d{2}$/.test(leftOn)) this.fail('left_on', 'Choose a date, for example 2026-07-17.');
      saved = (await api<{ child: Child }>('PATCH', `/children/${this.child.id}`, { left_on: leftOn })).child;
    });
    if (!done || !saved) return;
    this.changed(saved);
    this.notice = leftOn ? `Leaving date saved: ${humanDay((saved as Child).left_on ?? leftOn)}.` : 'No leaving date: the child is staying.';
  }

  private async restore(): Promise<void> {
    let restored: Child | null = null;
    const done = await this.run(async () => {
      restored = (await api<{ child: Child }>('POST', `/children/${this.child.id}/restore`, {})).child;
    });
    if (!done || !restored) return;
    this.changed(restored);
    this.notice = html`${bdi((restored as Child).first_name)} is a current child again: the leaving date is cleared and the
      family sees the journal.`;
  }

  private state(l: Leaving) {
    const name = bdi(this.child.first_name);
    switch (l.phase) {
      case 'leaving':
        return html`<p class="leaving-state" data-phase="leaving"><strong>Leaving on ${humanDay(l.left_on)}
          (${l.days_left <= 0 ? 'today' : `in ${daysLeft(l.days_left)}`}).</strong></p>
          <p class="meta">Then ${name}’s family can read and download the journal until ${humanDay(l.read_until)}. After
            that it is archived, and erased on ${humanDay(l.erase_on)} unless you restore it.</p>`;
      case 'left':
        return html`<p class="leaving-state" data-phase="left"><strong>Left on ${humanDay(l.left_on)}.</strong>
          The family can read and download the journal until ${humanDay(l.read_until)} (${daysLeft(l.days_left)}).</p>
          <p class="meta">No new entries can be written for ${name}. Then the journal is archived: the family no longer sees
            it, and it is erased on ${humanDay(l.erase_on)} unless you restore it.</p>`;
      case 'archived':
        return html`<p class="leaving-state warning" data-phase="archived"><strong>Archived: erased on ${humanDay(l.erase_on)}
          (${daysLeft(l.days_left)}).</strong></p>
          <p class="meta">${name}’s family no longer sees the journal. Restore it to bring ${name} back as a current child;
            otherwise everything about ${name} is erased for good on that day.</p>`;
    }
  }

  render() {
    const c = this.child;
    const l = c.leaving ?? null;
    const canRestore = l && (l.phase === 'left' || l.phase === 'archived');
    return html`<form class="panel leaving-panel" @submit=${this.saveLeaving} novalidate aria-labelledby="child-leaving-title">
      <h2 id="child-leaving-title">Leaving</h2>
      ${l ? this.state(l) : html`<p class="meta">${bdi(c.first_name)} is staying: no leaving date is set.</p>`}
      ${canRestore ? html`<div class="actions"><button type="button" class="primary" ?disabled=${this.busy} @click=${this.restore}
          aria-describedby="child-restore-hint">Restore</button></div>
        <p class="hint" id="child-restore-hint">Brings ${bdi(c.first_name)} back as a current child: the leaving date is cleared,
          and the family sees the journal again.</p>` : nothing}
      ${this.formFeedback()}
      ${this.field('left_on', 'Leaving date', { type: 'date', value: c.left_on ?? '',
        hint: `Children with a leaving date are in their room’s leavers’ export (under Rooms and children). Leave it empty while ${c.first_name} is staying.` })}
      <div class="actions"><button type="submit" ?disabled=${this.busy}>Save leaving date</button>
        ${this.busy ? html`<progress aria-label="Saving"></progress>` : nothing}</div>
    </form>`;
  }
}
