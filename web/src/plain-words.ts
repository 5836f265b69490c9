// The journal in a family's words (issue 22): what kind of entry it is ("What Ben did",
// "Today at nursery") and which part of the curriculum it shows ("Numbers and counting"
// rather than "Mathematics: Number"). Staff screens keep the framework's own names.
import { html, type TemplateResult } from 'lit';
import { bdi } from './base';
import { listOf, type Framework } from './journal';

// Kinds other than an observation, whose words do not depend on the child.
const KIND_WORDS: Record<string, string> = {
  snapshot: 'Today at nursery',
  room_post: 'From the room',
  newsletter: 'Newsletter',
  home: 'From home',
};

// "What Ben did" (an observation, with the family's own children in it), "Today at nursery"...
// `names` are the first names of this family's children the entry is about.
export function kindInWords(kind: string, names: string[]): TemplateResult | string {
  if (kind === 'observation') {
    return names.length ? html`What ${listOf(names.map((n) => bdi(n)))} did` : 'What your child did';
  }
  return KIND_WORDS[kind] ?? 'From the nursery';
}

// The same as plain text, for attributes (alt, aria-label), where markup cannot isolate a name.
export function kindInText(kind: string, names: string[]): string {
  if (kind === 'observation') {
    if (!names.length) return 'What your child did';
    const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
    return `What ${list} did`;
  }
  return KIND_WORDS[kind] ?? 'From the nursery';
}

// Each curriculum aspect (by its id in daemon/data/frameworks) in a few words parents use.
// An aspect missing here is shown by its own name.
const ASPECT_WORDS: Record<string, string> = {
  // EYFS (England)
  'eyfs.cl.lau': 'Listening and understanding',
  'eyfs.cl.sp': 'Talking',
  'eyfs.psed.sr': 'Feelings and behaviour',
  'eyfs.psed.ms': 'Doing things for themselves',
  'eyfs.psed.br': 'Friends and getting along',
  'eyfs.pd.gm': 'Running, climbing and balancing',
  'eyfs.pd.fm': 'Using hands and fingers',
  'eyfs.l.c': 'Enjoying stories',
  'eyfs.l.wr': 'Early reading',
  'eyfs.l.w': 'Mark making and writing',
  'eyfs.m.n': 'Numbers and counting',
  'eyfs.m.np': 'Patterns in numbers',
  'eyfs.uw.pp': 'Then and now',
  'eyfs.uw.pcc': 'People and places',
  'eyfs.uw.nw': 'Nature and the world around',
  'eyfs.ead.cm': 'Making and creating',
  'eyfs.ead.bie': 'Pretend play, music and dance',
  'eyfs.cel.pe': 'Playing and exploring',
  'eyfs.cel.al': 'Keeping at it',
  'eyfs.cel.ctc': 'Having ideas',
  // Curriculum for Excellence (Scotland)
  'cfe.lit.lt': 'Listening and talking',
  'cfe.lit.r': 'Reading and stories',
  'cfe.lit.w': 'Mark making and writing',
  'cfe.num.nmm': 'Numbers and counting',
  'cfe.num.spm': 'Shapes and positions',
  'cfe.num.ih': 'Sorting and comparing',
  'cfe.hwb.mesp': 'Feelings and wellbeing',
  'cfe.hwb.pe': 'Moving and active play',
  'cfe.hwb.fh': 'Food and healthy eating',
  'cfe.hwb.rsp': 'Family and friends',
  'cfe.hwb.pcc': 'Choices and changes',
  'cfe.ea.art': 'Art and making',
  'cfe.ea.dance': 'Dance',
  'cfe.ea.drama': 'Pretend play and drama',
  'cfe.ea.music': 'Music and singing',
  'cfe.rme.cwr': 'Beliefs and festivals',
  'cfe.rme.dvb': 'Caring and fairness',
  'cfe.sci.pw': 'Nature and the planet',
  'cfe.sci.fem': 'How things move and work',
  'cfe.sci.bs': 'Living things',
  'cfe.sci.m': 'Materials',
  'cfe.sci.ts': 'Finding things out',
  'cfe.ss.ppe': 'Then and now',
  'cfe.ss.ppl': 'People and places',
  'cfe.ss.pse': 'Jobs and the community',
  'cfe.tech.dl': 'Using technology',
  'cfe.tech.ft': 'Cooking and textiles',
  'cfe.tech.cs': 'Computing and puzzles',
  'cfe.tech.ce': 'Building and designing',
  'cfe.lang.el': 'Words and language',
  'cfe.lang.g': 'Gaelic',
  'cfe.lang.ml': 'Other languages',
};

// The aspects in parent words, each once, in the entry's order. Unknown ids (another
// framework, an aspect added later) fall back to the aspect's own name, then are left out.
export function areasInWords(framework: Framework | null, ids: string[]): string[] {
  const names = new Map<string, string>();
  for (const area of framework?.areas ?? []) for (const aspect of area.aspects) names.set(aspect.id, aspect.name);
  const words = ids.map((id) => ASPECT_WORDS[id] ?? names.get(id)).filter((w): w is string => !!w);
  return [...new Set(words)];
}
