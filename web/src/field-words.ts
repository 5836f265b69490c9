// Messages in plain words (issue 32): the box names the field an error is about ('title'),
// which is for the program; a person reads "Give it a short title" or "The title must be at
// most 200 characters". api.ts passes every error message through plainMessage, so no field
// name in quotes reaches a person. (The journal's own plain words are in plain-words.ts.)

// Each field name the box may quote, as people call it.
const FIELD_WORDS: Record<string, string> = {
  title: 'the title', body: 'the text', next_steps: 'the next steps', observed_on: 'the day', child_id: 'the child',
  child_ids: 'the children', aspect_ids: 'the learning', media: 'the photos', media_ids: 'the photos',
  display_name: 'the name', name: 'the name', first_name: 'the first name', last_name: 'the last name',
  username: 'the username', email: 'the email address', role: 'the role', pin: 'the PIN', password: 'the password',
  new_password: 'the new password', current_password: 'your current password', note: 'the note', reason: 'the reason',
  date_of_birth: 'the date of birth', started_on: 'the start date', left_on: 'the leaving date', room_id: 'the room',
  at: 'the date', time_zone: 'the time zone', kind: 'the kind of entry', status: 'who sees it', code: 'the code',
  version: 'the version', month: 'the month', cursor: 'the page', limit: 'the number of entries',
};

// What to do when a field was left empty, in the form's own words.
const WHEN_EMPTY: Record<string, string> = {
  title: 'Give it a short title.',
  child_id: 'Choose which child it is about.',
  child_ids: 'Choose at least one child.',
  observed_on: 'Choose the day it happened.',
  body: 'Write a few words first.',
  display_name: 'Give a name.',
  username: 'Give a username.',
  password: 'Type the password.',
  pin: 'Type the PIN.',
  reason: 'Say why, in a few words.',
};

export function fieldWords(field: string): string {
  return FIELD_WORDS[field] ?? `the ${field.replace(/_ids?$/, '').replace(/_/g, ' ')}`;
}

const QUOTED = /(^|[^A-Za-z])'([a-z][a-z_]*)'/g;

// The box's message with every quoted field name in words, and "is required" as what to do.
export function plainMessage(message: string, field?: string | null): string {
  if (!message.match(QUOTED)) return message;
  const empty = message.match(/^'([a-z_]+)' (?:must not be empty|is required)\.?$/);
  if (empty) return WHEN_EMPTY[empty[1]] ?? `Fill in ${fieldWords(empty[1])}.`;
  if (field && WHEN_EMPTY[field] && /must not be empty|is required/.test(message)) return WHEN_EMPTY[field];
  const controls = message.match(/^'([a-z_]+)' contains control characters\.?$/);
  if (controls) return `${capital(fieldWords(controls[1]))} has characters that cannot be saved: type it again without them.`;
  return capital(message.replace(QUOTED, (_all, before: string, name: string) => `${before}${fieldWords(name)}`));
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
