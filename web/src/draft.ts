// An observation's draft, kept on the box as staff go (issue 22) — never on the tablet: no
// localStorage or IndexedDB for what they wrote. The first photo, child or word creates the
// entry as a draft (POST /entries, status "draft"); later changes are sent a second after the
// last one (PATCH), and at once when the page is hidden or a field is left. Finishing sends the
// status ("journal" or "staff_only") with everything else.
import { api, csrf, sessionEvents } from './api';
import type { Entry } from './journal';
import type { Attachment } from './media';

export interface DraftFields {
  title: string;
  body: string;
  next_steps: string;
  child_ids: string[];
  aspect_ids: string[];
  media: Attachment[];
}

export type DraftState =
  | { kind: 'empty' }                     // nothing worth keeping yet
  | { kind: 'saving' }
  | { kind: 'saved'; at: string }         // RFC 3339, when the box last kept it
  | { kind: 'failed'; message: string };

export const DRAFT_DELAY_MS = 1000;

function worthKeeping(f: DraftFields, uploading: boolean): boolean {
  return uploading || f.media.length > 0 || f.child_ids.length > 0 || !!(f.title.trim() || f.body.trim() || f.next_steps.trim());
}

export class DraftKeeper {
  entryId: string | null = null;
  state: DraftState = { kind: 'empty' };
  private timer: number | undefined;
  private chain: Promise<void> = Promise.resolve();
  private lastSent = '';
  private finished = false;

  constructor(
    private readonly read: () => DraftFields,
    private readonly uploading: () => boolean,   // a photo is on its way: already worth a draft
    private readonly onState: (state: DraftState) => void,
    private readonly observedOn: () => string,
  ) {
    sessionEvents.addEventListener('signed-in', this.retry);
  }

  // Carrying on with a draft from the box: what it holds now is what was last sent.
  adopt(entry: Entry & { updated_at?: string }): void {
    this.entryId = entry.id;
    this.lastSent = JSON.stringify(this.read());
    this.set({ kind: 'saved', at: entry.updated_at ?? entry.created_at });
  }

  // Something changed: the first change worth keeping creates the draft at once, later ones
  // are sent when the changes rest.
  changed(): void {
    if (this.finished) return;
    window.clearTimeout(this.timer);
    if (!this.entryId && this.state.kind === 'empty') {
      void this.flush();
      return;
    }
    this.timer = window.setTimeout(() => void this.flush(), DRAFT_DELAY_MS);
  }

  // Sends what changed now (a field left, the page hidden), after any save under way.
  flush(): Promise<void> {
    window.clearTimeout(this.timer);
    this.chain = this.chain.then(() => this.send());
    return this.chain;
  }

  private readonly retry = (): void => {
    if (this.state.kind === 'failed') void this.flush();
  };

  private set(state: DraftState): void {
    this.state = state;
    this.onState(state);
  }

  private async send(): Promise<void> {
    if (this.finished) return;
    const fields = this.read();
    const json = JSON.stringify(fields);
    if (json === this.lastSent) return;
    if (!this.entryId && !worthKeeping(fields, this.uploading())) return;
    this.set({ kind: 'saving' });
    try {
      const entry = this.entryId
        ? (await api<{ entry: Entry & { updated_at?: string } }>('PATCH', `/entries/${this.entryId}`, fields)).entry
        : (await api<{ entry: Entry & { updated_at?: string } }>('POST', '/entries',
          { kind: 'observation', status: 'draft', observed_on: this.observedOn(), ...fields })).entry;
      this.entryId = entry.id;
      this.lastSent = json;
      this.set({ kind: 'saved', at: entry.updated_at ?? new Date().toISOString() });
    } catch (e) {
      this.set({ kind: 'failed', message: e instanceof Error ? e.message : String(e) });
    }
  }

  // The page is going away (closed, reloaded): a last change goes with keepalive, which the
  // browser sends even after the page is gone. Only to a draft the box already has.
  leaving(): void {
    if (this.finished || !this.entryId) return;
    window.clearTimeout(this.timer);
    const json = JSON.stringify(this.read());
    if (json === this.lastSent) return;
    void fetch(`/api/v1/entries/${this.entryId}`, {
      method: 'PATCH', keepalive: true, credentials: 'same-origin', body: json,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': csrf() ?? '' },
    }).then((r) => { if (r.ok) this.lastSent = json; }).catch(() => { /* kept as last saved */ });
  }

  // Saves it into the journal (or for staff only) with everything as it is now. Throws the
  // box's refusal (e.g. 422 on title or child_ids); the draft is then still a draft.
  async finish(status: 'journal' | 'staff_only'): Promise<Entry> {
    window.clearTimeout(this.timer);
    await this.chain;
    const fields = this.read();
    const entry = this.entryId
      ? (await api<{ entry: Entry }>('PATCH', `/entries/${this.entryId}`, { ...fields, status })).entry
      : (await api<{ entry: Entry }>('POST', '/entries', { kind: 'observation', status, observed_on: this.observedOn(), ...fields })).entry;
    this.entryId = entry.id;
    this.finished = true;
    return entry;
  }

  dispose(): void {
    window.clearTimeout(this.timer);
    sessionEvents.removeEventListener('signed-in', this.retry);
  }
}
