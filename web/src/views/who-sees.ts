// Staff: who sees an entry in the journal, and when (issue 32). Each receiving child's family
// sees it by their room's release schedule: a live room's families now; a scheduled room's on
// the room's next release date after the entry joined the journal (or when a manager releases
// the room, if no date is set). From what the box already gives staff: the entry's receivers
// and journal time, the children's rooms, each room's mode and release dates.
import { html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../api';
import { bdi, LightElement } from '../base';
import { humanMomentInText, parseMoment } from '../dates';
import { listOf, type Child, type Entry } from '../journal';

interface Room { id: string; name: string; release_mode: string }
interface Release { at: string; at_unix: number; kind: string }

// When one room's families see the entry: now, from a release date (ms), or not until a manager releases it.
export type Reach = { kind: 'now' } | { kind: 'on'; at: number } | { kind: 'unscheduled' };

export function reachOf(mode: string, releases: Release[], journalAt: number, now = Date.now()): Reach {
  if (mode === 'live') return { kind: 'now' };
  const points = releases.map((r) => r.at_unix * 1000).sort((a, b) => a - b);
  // Released already: a release point at or after the entry joined, that has passed.
  if (points.some((p) => p >= journalAt && p <= now)) return { kind: 'now' };
  const next = points.find((p) => p >= journalAt && p > now);
  return next === undefined ? { kind: 'unscheduled' } : { kind: 'on', at: next };
}

@customElement('nb-who-sees')
export class WhoSees extends LightElement {
  @property({ attribute: false }) entry!: Entry;
  @property({ attribute: false }) kids = new Map<string, Child>();
  @state() private groups: Array<{ room: Room; childIds: string[]; reach: Reach }> | null = null;
  @state() private failed = '';
  private readFor = '';

  protected willUpdate(): void {
    const key = `${this.entry?.id}|${this.entry?.journal_at}|${this.entry?.recipient_child_ids.join(',')}|${this.kids.size}`;
    if (!this.entry || key === this.readFor) return;
    this.readFor = key;
    void this.load();
  }

  private async load(): Promise<void> {
    const e = this.entry;
    try {
      const rooms = new Map((await api<{ rooms: Room[] }>('GET', '/rooms')).rooms.map((r) => [r.id, r]));
      const byRoom = new Map<string, string[]>();
      for (const childId of e.recipient_child_ids) {
        const roomId = e.room_id ?? this.kids.get(childId)?.room_id;
        if (!roomId) continue;
        byRoom.set(roomId, [...(byRoom.get(roomId) ?? []), childId]);
      }
      const journalAt = e.journal_at ? parseMoment(e.journal_at) : Date.now();
      const groups = [];
      for (const [roomId, childIds] of byRoom) {
        const room = rooms.get(roomId);
        if (!room) continue;
        const releases = room.release_mode === 'live' ? []
          : (await api<{ releases: Release[] }>('GET', `/rooms/${roomId}/releases`)).releases;
        groups.push({ room, childIds, reach: reachOf(room.release_mode, releases, journalAt) });
      }
      this.groups = groups;
      this.failed = '';
    } catch (error) {
      this.failed = error instanceof Error ? error.message : String(error);
    }
  }

  private families(childIds: string[]): TemplateResult | string {
    const names = childIds.map((id) => this.kids.get(id)?.first_name).filter((n): n is string => !!n);
    if (!names.length) return 'the families';
    if (names.length > 6) return `the families of ${names.length} children`;
    return html`${listOf(names.map((n) => html`${bdi(n)}’s`))} ${names.length > 1 ? 'families' : 'family'}`;
  }

  private line(g: { room: Room; childIds: string[]; reach: Reach }): TemplateResult {
    const who = this.families(g.childIds);
    const room = bdi(g.room.name);
    if (g.reach.kind === 'now') {
      return html`<li data-reach="now"><strong>Now:</strong> ${who} (${room}${g.room.release_mode === 'live'
        ? ', which shares as it goes' : ''}).</li>`;
    }
    if (g.reach.kind === 'on') {
      return html`<li data-reach="on"><strong>From ${humanMomentInText(g.reach.at / 1000)}:</strong> ${who} — ${room}’s next
        release date.</li>`;
    }
    return html`<li data-reach="unscheduled"><strong>Not yet:</strong> ${who} — ${room} has no release date set; they see it
      when a manager releases ${room}’s entries.</li>`;
  }

  render() {
    if (!this.entry || this.entry.status !== 'journal') return nothing;
    if (this.failed) return html`<p class="meta who-sees">Who sees it could not be worked out: ${this.failed}</p>`;
    if (!this.groups) return html`<p class="meta who-sees" role="status">Working out who sees it…</p>`;
    return html`<div class="who-sees" role="status">
      <h2 class="who-sees-title">Who sees it</h2>
      ${this.groups.length === 0 ? html`<p>No family receives it: it is about no child at the setting.</p>`
        : html`<ul>${this.groups.map((g) => this.line(g))}</ul>`}
      <p class="meta">Staff see it now. Families who opted out of the online journal never see it.</p>
    </div>`;
  }
}
