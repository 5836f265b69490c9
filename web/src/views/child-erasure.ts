// Managers, on a child's page: a family's request to erase their child's data (a banner at the
// top), the "Erase …’s data…" button that opens the erasure dialog, and where the manager
// goes once it is done (issue 21). The page holds the dialog's open state; these draw it.

import { html, nothing, type TemplateResult } from 'lit';
import { api } from '../api';
import { bdi } from '../base';
import { setFlash } from '../flash';
import { humanMomentDay } from '../dates';
import type { Child } from '../journal';
import { navigate } from '../router';
import type { Erasure } from './erasure-dialog';
import './erasure-dialog';

// GET /erasure/requests (managers): a parent asked for their child's data to be erased.
export interface ErasureRequest {
  id: string;
  child_id: string;
  child_name: string;
  requested_by_name: string;
  requested_at: number | string;  // Unix seconds (or RFC 3339)
  note: string | null;
}

export async function erasureRequests(): Promise<ErasureRequest[]> {
  return (await api<{ requests: ErasureRequest[] }>('GET', '/erasure/requests')).requests;
}

// "<parent> asked for <child>'s data to be erased on <date>", with their note.
export function requestWords(r: ErasureRequest): TemplateResult {
  return html`${bdi(r.requested_by_name)} asked for ${bdi(r.child_name)}’s data to be erased on ${humanMomentDay(r.requested_at)}.
    ${r.note ? html`<span class="request-note">Their note: “${bdi(r.note)}”</span>` : nothing}`;
}

function eraseButton(child: Child, open: () => void): TemplateResult {
  return html`<button type="button" class="danger erase-button" @click=${open}>Erase ${child.first_name}’s data…</button>`;
}

export function erasureRequestBanner(requests: ErasureRequest[], child: Child, open: () => void): TemplateResult | typeof nothing {
  const mine = requests.filter((r) => r.child_id === child.id);
  if (!mine.length) return nothing;
  return html`<div class="warning erasure-request" data-testid="erasure-request" role="region" aria-label="Erasure request">
    ${mine.map((r) => html`<p>${requestWords(r)}</p>`)}
    <p class="meta">Download the journal for the records first if the setting must keep it, then erase.</p>
    <div class="actions">${eraseButton(child, open)}</div>
  </div>`;
}

export function erasurePanel(child: Child, open: () => void): TemplateResult {
  return html`<section class="panel erase-panel" aria-labelledby="child-erase-title">
    <h2 id="child-erase-title">Erase ${bdi(child.first_name)}’s data</h2>
    <p>On request, or when ${bdi(child.first_name)}’s profile is to be deleted: everything about ${bdi(child.first_name)} is
      removed for good, with the parent accounts that have no other child. Nobody can undo it.</p>
    <div class="actions">${eraseButton(child, open)}</div>
  </section>`;
}

// After an erasure: to the reviews when entries or photos of other children need a look (the
// box's count, or its list: photos that still show the child are on it too), else back to the
// children. The message names no one.
export async function afterErasure(erasure: Erasure): Promise<void> {
  let toReview = erasure.reviews > 0;
  if (!toReview) {
    try {
      const r = await api<{ entries: unknown[]; media: unknown[] }>('GET', '/erasure/reviews');
      toReview = r.entries.length + r.media.length > 0;
    } catch {
      // The children list then; the home page counts what is left to review.
    }
  }
  if (toReview) {
    setFlash('The child’s data was erased. Other children’s entries or photos may still name or show them: check each one below.');
    navigate('/manage/erasure');
  } else {
    setFlash('The child’s data was erased.');
    navigate('/manage/children');
  }
}
