// Journal data the screens share: children by id (names are shown only for children the
// server lists for this person), the curriculum, and entry shapes; and how names and text
// people typed sit inside the app's own sentences.
import { html, type TemplateResult } from 'lit';
import { api } from './api';
import { bdi } from './base';

export interface Child {
  id: string;
  first_name: string;
  last_name: string;
  room_id: string;
  date_of_birth: string;
  key_person_id?: string | null;
  left_on: string | null;
  // Where the child is in leaving (issue 21): null while staying. See leaving.ts.
  leaving?: import('./leaving').Leaving | null;
}

export interface Entry {
  id: string;
  kind: 'observation' | 'snapshot' | 'room_post' | 'newsletter' | 'home';
  status: string;
  room_id: string | null;
  title: string;
  body: string;
  next_steps: string;
  observed_on: string;
  author_name: string;
  child_ids: string[];
  recipient_child_ids: string[];  // who receives it (each has a thread); a family's own only
  aspect_ids: string[];
  journal_at: string | null;
  created_at: string;
  returned_reason?: string;
  version?: number;
  media: import('./media').MediaItem[];
  // Staff (issue 32): children the words name whom a receiving family may not see.
  warnings?: NamingWarning[];
}

export interface NamingWarning { code: 'names_hidden_child'; child_id: string; name: string; hidden_from: string[]; message: string }

// The words with `name` written as "a friend" wherever it stands as a word of its own ("A friend"
// to start a sentence; "Zara's" becomes "a friend's").
export function asAFriend(text: string, name: string): string {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'giu'), (_match, offset: number, whole: string) =>
    (/(^|[.!?]\s+)$/.test(whole.slice(0, offset)) ? 'A friend' : 'a friend'));
}

export interface Comment {
  id: string;
  author_name: string;
  body: string;
  created_at: string;
  hidden?: boolean;
  hidden_reason?: string;
}

export interface Framework {
  id: string;
  name: string;
  // words: everyday words and statements that find the aspect in a search (issue 32).
  areas: Array<{ id: string; name: string; aspects: Array<{ id: string; name: string; words?: string[] }> }>;
}

export const KIND_LABEL: Record<string, string> = {
  observation: 'Observation',
  snapshot: 'Daily snapshot',
  room_post: 'Room post',
  newsletter: 'Newsletter',
  home: 'From home',
};

export async function loadChildren(): Promise<Map<string, Child>> {
  const { children } = await api<{ children: Child[] }>('GET', '/children');
  return new Map(children.map((c) => [c.id, c]));
}

let frameworkPromise: Promise<Framework> | null = null;
export function loadFramework(): Promise<Framework> {
  frameworkPromise ??= api<{ framework: Framework }>('GET', '/curriculum').then((r) => r.framework);
  return frameworkPromise;
}

export function aspectNames(framework: Framework | null, ids: string[]): string[] {
  if (!framework) return [];
  const names = new Map<string, string>();
  for (const area of framework.areas) for (const aspect of area.aspects) names.set(aspect.id, `${area.name}: ${aspect.name}`);
  return ids.map((id) => names.get(id) ?? id);
}

// "A", "A and B", "A, B and C", each part already isolated.
export function listOf(parts: Array<TemplateResult | string>): TemplateResult | string {
  if (parts.length <= 1) return parts[0] ?? '';
  return html`${parts.slice(0, -1).map((p, i) => (i ? html`, ${p}` : p))} and ${parts[parts.length - 1]}`;
}

// The first names of the children the server lists for this person, comma-separated and each
// isolated; null when none of them is known here (e.g. a room post).
export function childNames(children: Map<string, Child>, ids: string[]): TemplateResult | null {
  const names = ids.map((id) => children.get(id)?.first_name).filter((n): n is string => !!n);
  return names.length ? html`${names.map((n, i) => (i ? html`, ${bdi(n)}` : bdi(n)))}` : null;
}
