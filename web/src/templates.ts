// Templates managers write (issue 22): a name, and the title, words, next steps and curriculum
// links staff start an entry from. Kept on the box (GET /api/v1/templates), ordered by name.
import { api } from './api';

export interface EntryTemplate {
  id: string;
  name: string;
  kind: 'observation' | 'snapshot';
  title: string;
  body: string;
  next_steps: string;
  aspect_ids: string[];
  updated_at: string;
}

export const TEMPLATE_KIND_LABEL: Record<EntryTemplate['kind'], string> = {
  observation: 'Observation',
  snapshot: 'Daily snapshot',
};

export async function loadTemplates(): Promise<EntryTemplate[]> {
  return (await api<{ templates: EntryTemplate[] }>('GET', '/templates')).templates;
}
