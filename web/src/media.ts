// Photos, videos and documents: uploading them with tus (resumable: a dropped network pauses
// the upload and it carries on by itself), tagging who is in each, saying which families will
// see it (as the box decides it), redacting, and showing them to families (thumbnails, a
// lightbox, a video player).
import { html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { DetailedError, Upload } from 'tus-js-client';
import { api, ApiError, csrf, sessionEvents } from './api';
import { bdi, LightElement } from './base';
import './camera';
import './lightbox';
import type { Lightbox, LightboxItem } from './lightbox';
import { listOf, type Child } from './journal';

export interface MediaItem {
  id: string;
  kind: 'image' | 'video' | 'document';
  mime: string;
  state: 'processing' | 'ready' | 'failed';
  width: number | null;
  height: number | null;
  duration_ms: number | null;
  child_ids: string[];
  obscured_child_ids?: string[];
  original_kept?: boolean;
  redacted?: boolean;
  audience?: AudienceAnswer;   // staff answers: who sees it as saved
  // Staff answers (issue 21): "shown" when a child whose data was erased appears in it
  // unobscured; other families then see nothing of it until staff redact that child out.
  erased_child?: 'shown' | 'obscured' | null;
  // Staff answers (issue 32): how the redacted copy hides. "mosaic": made the old way, which no
  // family gets until its areas are marked again; the areas as marked (stored pixels).
  redaction?: 'cover' | 'mosaic' | null;
  redaction_regions?: Array<{ x: number; y: number; width: number; height: number; style: 'cover' | 'pixelate' }>;
}

// Who will see an item tagged with some children, as the box decides it from the consent
// register (README "Consent at the pixel"): GET /media/{id}/audience?child_ids=…, and on each
// item of an entry in staff answers for its saved tags. The app only puts it into words.
export interface AudienceAnswer {
  tagged: string[];      // the children asked about
  everyone: boolean;     // nobody tagged: every family who can see the entry sees the item
  seen_by: string[];     // the families (named by their child) who will see it as tagged
  // The box will refuse these tags unless the child is obscured in the redacted copy.
  refused: Array<{ child_id: string; reason: string }>;   // 'no_photo_consent' | 'opted_out'
  // The child may not appear in other children's journals: the families of hidden_from will
  // not see the item unless the child is obscured.
  obscure: Array<{ child_id: string; hidden_from: string[] }>;
}

// Consent as recorded (staff may read it): shown as a note beside each child's checkbox only.
// What it means for who sees an item is the box's to say (AudienceAnswer).
export interface Consent {
  own_journal_photos: boolean;
  other_journals: boolean;
  online_journal_opt_out: boolean;
}

export interface Attachment {
  id: string;
  child_ids: string[];
}

export const CHUNK_SIZE = 8 * 1024 * 1024;
export const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000];
const AUDIENCE_DEBOUNCE_MS = 150;

export const mediaUrl = (id: string, variant: 'thumbnail' | 'display' | 'original', version = 0) =>
  `/api/v1/media/${id}/${variant}${version ? `?v=${version}` : ''}`;

export async function fetchAudience(mediaId: string, childIds: string[]): Promise<AudienceAnswer> {
  const ids = childIds.map(encodeURIComponent).join(',');
  return (await api<{ audience: AudienceAnswer }>('GET', `/media/${encodeURIComponent(mediaId)}/audience?child_ids=${ids}`)).audience;
}

let instances = 0;

// Plain text, for attributes (alt, aria-label), where markup cannot isolate a name.
function firstNames(children: Map<string, Child>, ids: string[]): string {
  const names = ids.map((id) => children.get(id)?.first_name ?? 'a child');
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

const WHAT: Record<MediaItem['kind'], string> = { image: 'photo', video: 'video', document: 'file' };

interface AudienceText {
  seen: TemplateResult | string;   // who will see it, in one plain sentence
  warnings: TemplateResult[];      // what staff should do about consent
}

// The box's answer in the sentences staff read beside the item. `children` names them (the
// children this editor has); `order` lists ids in the order the editor shows the children.
function describeAudience(answer: AudienceAnswer, kind: MediaItem['kind'], children: Map<string, Child>,
  order: (ids: string[]) => string[]): AudienceText {
  const what = WHAT[kind];
  const photo = kind === 'image';
  const name = (id: string) => { const n = children.get(id)?.first_name; return n ? bdi(n) : html`a child`; };
  // "Ava’s family", "the families of Ava and Ben".
  const families = (ids: string[]) => {
    const names = listOf(order(ids).map(name));
    return ids.length === 1 ? html`${names}’s family` : html`the families of ${names}`;
  };
  const warnings: TemplateResult[] = [];
  const refused = new Map((answer.refused ?? []).map((r) => [r.child_id, r.reason]));
  for (const id of order([...refused.keys()])) {
    const why = refused.get(id) === 'opted_out' ? 'is opted out of online journals' : 'has no consent to photos in the journal';
    warnings.push(photo
      ? html`${name(id)} ${why}, so cannot be tagged as this photo is. If ${name(id)} is in it, obscure ${name(id)} (Redact); if not, untick ${name(id)}.`
      : html`${name(id)} ${why}, so cannot be tagged in this ${what}. Untick ${name(id)}, or leave this ${what} out.`);
  }
  const obscure = new Map((answer.obscure ?? []).filter((o) => o.hidden_from?.length).map((o) => [o.child_id, o.hidden_from]));
  for (const id of order([...obscure.keys()])) {
    warnings.push(html`${name(id)} may not appear in other children’s journals: ${families(obscure.get(id)!)} will not see this ${what}${
      photo ? html` unless you obscure ${name(id)} (Redact).` : '.'}`);
  }
  const seen = answer.everyone
    ? `Nobody is ticked, so every family who can see this entry will see this ${what}. Tick each child who is in it.`
    : answer.seen_by?.length ? html`Seen by: ${families(answer.seen_by)}.` : `No family will see this ${what} yet.`;
  return { seen, warnings };
}

// Which answer belongs to which question: the children asked about (in any order) and the
// item's redaction (a redaction changes who is obscured, so the same ticks can mean otherwise).
function audienceKey(childIds: string[], version: number): string {
  return `${version}:${[...new Set(childIds)].sort().join(',')}`;
}

function obscuredOf(media: MediaItem | undefined): string[] {
  return media?.redacted ? media.obscured_child_ids ?? [] : [];
}

async function waitUntilProcessed(id: string, alive: () => boolean): Promise<MediaItem | null> {
  for (let delay = 300; ; delay = Math.min(delay * 1.5, 3000)) {
    const { media } = await api<{ media: MediaItem }>('GET', `/media/${id}`);
    if (media.state !== 'processing') return media;
    await new Promise((r) => setTimeout(r, delay));
    if (!alive()) return null;
  }
}

function responseOf(error: unknown): { status: number; body: any } | null {
  const response = (error as DetailedError).originalResponse;
  if (!response) return null;
  let body: any = null;
  try { body = JSON.parse(response.getBody()); } catch { /* not JSON */ }
  return { status: response.getStatus(), body };
}

// Every piece is sent with its SHA-256 (tus checksum extension): the box keeps a piece only
// when the bytes it got hash to what the tablet sent, and the tablet lets go of the file only
// when the box has confirmed every piece that way — nothing kept on the tablet after that.
function checksummedHttpStack(Base: typeof import('tus-js-client').DefaultHttpStack) {
  return new (class extends Base {
    createRequest(method: string, url: string) {
      const request = super.createRequest(method, url);
      if (method !== 'PATCH') return request;
      const send = request.send.bind(request);
      request.send = async (body?: unknown) => {
        if (body instanceof Blob) {
          const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await body.arrayBuffer()));
          request.setHeader('Upload-Checksum', `sha256 ${btoa(String.fromCharCode(...digest))}`);
        }
        return send(body as never);
      };
      return request;
    }
  })({});
}

// A network problem (or the box restarting) rather than the box refusing the file.
function isTransient(error: unknown): boolean {
  const r = responseOf(error);
  // 460: a piece arrived other than it was sent (its checksum did not match): send it again.
  return !r || r.status === 0 || r.status === 409 || r.status === 423 || r.status === 460 || r.status >= 500;
}

function refusalMessage(error: unknown): string {
  const r = responseOf(error);
  if (r?.body?.message) {
    const hint = r.status === 415 ? ' Choose a photo (JPEG, PNG, HEIC), a video or a PDF.'
      : r.status === 413 ? ' Choose a smaller file.' : '';
    return `${r.body.message as string}${hint}`;
  }
  if (r?.status === 413) return 'This file is too large for the box. Choose a smaller file.';
  if (r?.status === 415) return 'The box does not take this kind of file. Choose a photo, a video or a PDF.';
  return `The box refused the upload${r?.status ? ` (${r.status})` : ''}. Try again; if it is refused again, ask a manager.`;
}

interface Pending {
  key: string;
  name: string;
  percent: number;
  status: 'uploading' | 'waiting' | 'processing' | 'ready' | 'failed';
  message: string;
  serverError: string;   // the box refused the entry because of this item
  refusedIds: string[];  // …and the children it named (details.child_ids)
  notice: string;        // e.g. after a redaction
  upload?: Upload;
  stalled: boolean;      // a network failure outlasted the retries: restart when back online
  restart?: number;
  preview?: string;      // blob: URL of the chosen photo, shown until the box's thumbnail is ready
  media?: MediaItem;
  tags: string[];
  tagsTouched: boolean;
  tagsPending: boolean;  // untouched: waiting for the box to say which children it would refuse
  version: number;       // bumped by a redaction, so the thumbnail's address changes
  // Who sees it, as the box answered for the ticks in `key`; shown only while the ticks are
  // still those. Answers to anything but the latest question (audienceAsked) are dropped.
  audience?: { key: string; answer: AudienceAnswer };
  audienceAsked: number;
  audienceTimer?: number;
  audienceError: string;
}

const PAUSED = 'Paused — waiting for the network. It will resume by itself.';

// The uploader: choose photos, videos or PDFs (on a tablet, the camera or the library); each
// uploads in 8 MiB pieces with its own progress and resumes after a network drop. Staff tick
// the children in each item and see who will see it. `attachments` is what the entry sends.
@customElement('nb-media-uploader')
export class MediaUploader extends LightElement {
  @property({ attribute: false }) people: Child[] = [];   // who may be tagged
  @property({ attribute: false }) consents = new Map<string, Consent>();
  @property({ attribute: false }) existing: MediaItem[] = []; // already attached (amending)
  @property({ type: Boolean }) tagging = true;               // staff tag; parents do not
  @property() accept = 'image/*,video/*,application/pdf';
  @property() label = 'Photos, videos and documents';
  @property() hint = 'Take a photo or video, or choose from the library. Files go straight to the box; nothing is kept on the tablet.';
  // Recording photo first (issue 22): two big buttons, "Take photo" (the tablet's camera) and
  // "Choose from library" (several at once), photos and videos only.
  @property({ type: Boolean }) photoFirst = false;
  // A draft's items saved before anyone was chosen (tagged with nobody) follow the entry's
  // children like new ones, instead of keeping their empty ticks.
  @property({ type: Boolean }) untaggedFollow = false;
  @state() private items: Pending[] = [];
  @state() private redacting: Pending | null = null;
  @state() private capturing = false;   // the box camera's screen is open
  private counter = 0;
  private captured = 0;
  private peopleKey: string | null = null;
  private readonly uid = `up${++instances}`;
  private connected = false;
  dirty = false;

  private readonly online = () => { this.resumeStalled(); this.retryAudiences(); };
  private readonly offline = () => {
    for (const item of this.items) {
      if (item.status === 'uploading') { item.status = 'waiting'; item.message = PAUSED; }
    }
    this.requestUpdate();
  };

  connectedCallback(): void {
    super.connectedCallback();
    this.connected = true;
    window.addEventListener('online', this.online);
    window.addEventListener('offline', this.offline);
    sessionEvents.addEventListener('signed-in', this.online);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.connected = false;
    window.removeEventListener('online', this.online);
    window.removeEventListener('offline', this.offline);
    sessionEvents.removeEventListener('signed-in', this.online);
    // Leaving the screen stops uploads without deleting them: choosing the same file again
    // carries on where it stopped.
    for (const item of this.items) this.stop(item, false);
  }

  get attachments(): Attachment[] {
    return this.items.filter((i) => i.media && i.media.state !== 'failed').map((i) => ({ id: i.media!.id, child_ids: i.tags }));
  }

  // Saving waits for uploads, processing, and the box's answer on whom to tick by default (an
  // item sent with no ticks would go to every family).
  get busy(): boolean {
    return this.items.some((i) => i.status === 'uploading' || i.status === 'waiting' || i.status === 'processing' || i.tagsPending);
  }

  clear(): void {
    for (const item of this.items) this.stop(item, false);
    this.items = [];
    this.dirty = false;
  }

  // The box refused the entry because of an item (422 no_photo_consent; its details name the
  // item and the children without consent): says so beside that item, and marks those
  // children's boxes. Returns whether it found the item.
  placeError(error: unknown): boolean {
    if (!(error instanceof ApiError) || error.code !== 'no_photo_consent') return false;
    const mediaId = error.details?.media_id;
    const childIds = Array.isArray(error.details?.child_ids)
      ? (error.details!.child_ids as unknown[]).filter((id): id is string => typeof id === 'string') : [];
    let placed = false;
    for (const item of this.items) {
      const here = typeof mediaId === 'string' && item.media?.id === mediaId;
      item.serverError = here ? error.message : '';
      item.refusedIds = here ? childIds : [];
      placed ||= here;
    }
    this.requestUpdate();
    if (placed) void this.updateComplete.then(() => this.querySelector<HTMLElement>('.upload-item .field-error.server')?.focus());
    return placed;
  }

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('existing') && this.existing.length && !this.items.length) {
      this.items = this.existing.map((m) => this.fromExisting(m));
    }
    // Untouched items follow the entry's children: a photo of the chosen children by default.
    // (The editor hands over a new list on every render: only a change of children counts.)
    const peopleKey = this.people.map((c) => c.id).join(',');
    if (changed.has('people') && peopleKey !== this.peopleKey) {
      this.peopleKey = peopleKey;
      const allowed = new Set(this.people.map((c) => c.id));
      for (const item of this.items) {
        if (!item.tagsTouched) {
          if (item.status === 'ready') void this.defaultTags(item);
          continue;
        }
        const obscured = obscuredOf(item.media);
        const kept = item.tags.filter((id) => allowed.has(id) || obscured.includes(id));
        if (kept.length !== item.tags.length) { item.tags = kept; this.refreshAudience(item, 0); }
      }
    }
  }

  private fromExisting(m: MediaItem): Pending {
    const item: Pending = {
      key: `f${++this.counter}`, name: m.kind === 'document' ? 'Document' : m.kind === 'video' ? 'Video' : 'Photo',
      percent: 100, status: m.state, message: m.state === 'failed' ? 'The box could not read this file. Remove it.' : '',
      serverError: '', refusedIds: [], notice: '', stalled: false, media: m, tags: [...m.child_ids],
      tagsTouched: !(this.untaggedFollow && m.child_ids.length === 0),
      tagsPending: false, version: 0, audienceAsked: 0, audienceError: '',
    };
    // The entry came with the box's answer for the saved tags: asked again only if it is not
    // for these ticks.
    if (m.audience) item.audience = { key: audienceKey(m.audience.tagged ?? [], 0), answer: m.audience };
    if (m.state === 'processing') void this.process(item, m.id);
    else if (!item.tagsTouched) this.tagWhenReady(item);
    else this.refreshAudience(item, 0);
    return item;
  }

  // Asks the box who would see the item as ticked now, once the ticks have rested for a moment;
  // only the answer to the latest question is kept.
  private refreshAudience(item: Pending, delay = AUDIENCE_DEBOUNCE_MS): void {
    if (item.tagsPending) return;   // the default ticks' answer asks again when it comes
    window.clearTimeout(item.audienceTimer);
    const asked = ++item.audienceAsked;
    if (!this.tagging || item.status !== 'ready' || !item.media) return;
    if (item.audience?.key === audienceKey(item.tags, item.version)) return;   // already known
    item.audienceTimer = window.setTimeout(() => void this.askAudience(item, asked), delay);
  }

  private async askAudience(item: Pending, asked: number): Promise<void> {
    const media = item.media!, tags = [...item.tags], version = item.version;
    const current = () => asked === item.audienceAsked && this.items.includes(item);
    try {
      const answer = await fetchAudience(media.id, tags);
      if (!current()) return;
      item.audience = { key: audienceKey(tags, version), answer };
      item.audienceError = '';
    } catch (e) {
      if (!current()) return;
      item.audienceError = `The box could not say who will see this ${WHAT[media.kind]}: ${e instanceof Error ? e.message : String(e)}`;
    }
    this.requestUpdate();
  }

  private retryAudiences(): void {
    for (const item of this.items) if (item.audienceError) this.refreshAudience(item, 0);
  }

  // The children ticked by default on a new item: every child of the entry whom the box would
  // not refuse to tag (it refuses a child without photo consent unless obscured).
  private async defaultTags(item: Pending): Promise<void> {
    if (!this.tagging || !item.media) return;
    window.clearTimeout(item.audienceTimer);
    const asked = ++item.audienceAsked;
    const candidates = [...new Set([...this.people.map((c) => c.id), ...obscuredOf(item.media)])];
    if (!candidates.length) {
      item.tags = [];
      item.tagsPending = false;
      this.refreshAudience(item, 0);
      this.requestUpdate();
      return;
    }
    item.tagsPending = true;
    this.requestUpdate();
    const version = item.version;
    try {
      const answer = await fetchAudience(item.media.id, candidates);
      if (asked !== item.audienceAsked || !this.items.includes(item)) return;
      const refused = new Set((answer.refused ?? []).map((r) => r.child_id));
      item.tags = candidates.filter((id) => !refused.has(id));
      item.tagsPending = false;
      item.audienceError = '';
      if (refused.size === 0) item.audience = { key: audienceKey(candidates, version), answer };
      else this.refreshAudience(item, 0);
    } catch (e) {
      if (asked !== item.audienceAsked || !this.items.includes(item)) return;
      // Without the box's answer every child of the entry is ticked: the item is then not sent
      // to every family, and the box says at saving if it refuses anyone.
      item.tags = candidates;
      item.tagsPending = false;
      item.audienceError = `The box could not say who will see this ${WHAT[item.media.kind]}: ${e instanceof Error ? e.message : String(e)}`;
    }
    this.requestUpdate();
    // The ticks the box chose: a screen keeping a draft saves them.
    this.dispatchEvent(new CustomEvent('tags-change', { bubbles: true }));
  }

  // A new item has become ready, or an existing one has finished processing.
  private tagWhenReady(item: Pending): void {
    if (!this.tagging || item.status !== 'ready') return;
    if (item.tagsTouched) this.refreshAudience(item, 0);
    else void this.defaultTags(item);
  }

  private change(): void {
    this.dirty = true;
    this.requestUpdate();
    this.dispatchEvent(new CustomEvent('change', { bubbles: true }));
  }

  private choose(event: Event): void {
    const input = event.target as HTMLInputElement;
    for (const file of [...(input.files ?? [])]) this.start(file);
    input.value = '';
  }

  private start(file: File): void {
    const item: Pending = {
      key: `f${++this.counter}`, name: file.name, percent: 0, status: 'uploading', message: '', serverError: '', refusedIds: [],
      notice: '', stalled: false, tags: [], tagsTouched: false, tagsPending: false, version: 0, audienceAsked: 0, audienceError: '',
      preview: /^image\/(jpeg|png|webp|gif)$/.test(file.type) ? URL.createObjectURL(file) : undefined,
    };
    this.items = [...this.items, item];
    this.change();
    // tus-js-client loads with the first file chosen: families' screens never need it.
    import('tus-js-client').then(({ Upload, DefaultHttpStack }) => {
      if (this.items.includes(item)) {
        this.begin(item, new Upload(file, { ...this.options(item), httpStack: checksummedHttpStack(DefaultHttpStack) }));
      }
    }).catch(() => {
      item.status = 'failed';
      item.message = 'The uploader could not load. Check the network, then reload the page.';
      this.requestUpdate();
    });
  }

  private options(item: Pending): ConstructorParameters<typeof Upload>[1] {
    return {
      endpoint: '/api/v1/uploads',
      chunkSize: CHUNK_SIZE,
      retryDelays: RETRY_DELAYS,
      metadata: { filename: item.name },
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      // The token changes when someone signs in again over the screen; send the current one.
      onBeforeRequest: (req) => { req.setHeader('X-CSRF-Token', csrf() ?? ''); },
      onProgress: (sent, total) => {
        item.percent = total ? Math.floor((sent / total) * 100) : 0;
        if (navigator.onLine !== false) { item.status = 'uploading'; item.message = ''; }
        this.requestUpdate();
      },
      onShouldRetry: (error) => {
        if (!isTransient(error) || navigator.onLine === false) return false;  // offline: wait for the network instead
        item.status = 'waiting';
        item.message = PAUSED;
        this.requestUpdate();
        return true;
      },
      onError: (error) => {
        const r = responseOf(error);
        if (r?.status === 401) {
          item.status = 'waiting';
          item.stalled = true;
          item.message = 'Your session ended. Sign in again and the upload will carry on.';
          sessionEvents.dispatchEvent(new CustomEvent('expired', { detail: new ApiError(401, r.body?.error ?? 'session_expired', item.message) }));
        } else if (isTransient(error)) {
          // Out of retries or offline: wait for the network to come back (or try every 30 s).
          item.status = 'waiting';
          item.stalled = true;
          item.message = PAUSED;
          window.clearTimeout(item.restart);
          item.restart = window.setTimeout(() => this.resumeStalled(), 30000);
        } else {
          item.status = 'failed';
          item.message = refusalMessage(error);
          this.release(item);
        }
        this.requestUpdate();
      },
      onSuccess: () => {
        // The media item's id is the last part of the upload's address.
        const id = item.upload!.url!.split('/').pop()!;
        item.percent = 100;
        void this.process(item, id);
      },
    };
  }

  // Carries on an earlier upload of the same file (same name, size and date) if the box
  // still has it, e.g. after the page was reloaded halfway.
  private begin(item: Pending, upload: Upload): void {
    item.upload = upload;
    void upload.findPreviousUploads().then((previous) => {
      if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
      if (this.items.includes(item)) upload.start();
    });
  }

  private async process(item: Pending, id: string): Promise<void> {
    item.status = 'processing';
    item.message = '';
    this.requestUpdate();
    try {
      const media = await waitUntilProcessed(id, () => this.connected && this.items.includes(item));
      if (!media) return;
      item.media = media;
      item.status = media.state === 'ready' ? 'ready' : 'failed';
      if (item.status === 'failed') item.message = 'The box could not read this file. Remove it and try another.';
      else { this.release(item); this.tagWhenReady(item); }
    } catch (e) {
      item.status = 'failed';
      item.message = e instanceof ApiError ? e.message : 'The box did not answer. Try again.';
    }
    this.change();
  }

  // A still from the box camera (nb-camera-capture): already on the box, so it joins the list
  // as an upload that has just arrived and is being processed.
  addCaptured(media: MediaItem): void {
    const item: Pending = {
      key: `f${++this.counter}`, name: `Box camera photo ${++this.captured}`, percent: 100, status: 'processing', message: '',
      serverError: '', refusedIds: [], notice: '', stalled: false, tags: [], tagsTouched: false, tagsPending: false, version: 0,
      audienceAsked: 0, audienceError: '',
    };
    this.items = [...this.items, item];
    this.change();
    void this.process(item, media.id);
  }

  private closeCamera(): void {
    this.capturing = false;
    void this.updateComplete.then(() => this.querySelector<HTMLElement>('.camera-open')?.focus());
  }

  private resumeStalled(): void {
    for (const item of this.items) {
      if (!item.stalled || !item.upload) continue;
      item.stalled = false;
      window.clearTimeout(item.restart);
      item.status = 'uploading';
      item.message = '';
      item.upload.start();
    }
    this.requestUpdate();
  }

  private release(item: Pending): void {
    if (item.preview && item.status !== 'uploading' && item.status !== 'waiting' && item.status !== 'processing') {
      URL.revokeObjectURL(item.preview);
      item.preview = undefined;
    }
  }

  private stop(item: Pending, terminate: boolean): void {
    window.clearTimeout(item.restart);
    window.clearTimeout(item.audienceTimer);
    if (item.upload && (item.status === 'uploading' || item.status === 'waiting')) {
      item.upload.abort(terminate).catch(() => { /* offline: the box expires it after a day */ });
    }
    if (item.preview) URL.revokeObjectURL(item.preview);
    item.preview = undefined;
  }

  private removeItem(item: Pending): void {
    this.stop(item, true);
    const index = this.items.indexOf(item);
    this.items = this.items.filter((i) => i !== item);
    this.change();
    // Focus stays in the list: the next item's button, or the file button.
    void this.updateComplete.then(() => {
      const buttons = this.querySelectorAll<HTMLElement>('.upload-item .remove');
      (buttons[Math.min(index, buttons.length - 1)] ?? this.querySelector<HTMLElement>(`#${this.uid}-files`))?.focus();
    });
  }

  private toggle(item: Pending, childId: string, on: boolean): void {
    item.tagsTouched = true;
    item.serverError = '';
    item.refusedIds = [];
    item.tags = on ? [...new Set([...item.tags, childId])] : item.tags.filter((id) => id !== childId);
    this.refreshAudience(item);
    this.change();
  }

  private redacted(item: Pending, media: MediaItem): void {
    item.media = media;
    item.version += 1;
    item.serverError = '';
    item.refusedIds = [];
    item.tags = [...new Set([...item.tags, ...(media.obscured_child_ids ?? [])])];
    this.refreshAudience(item, 0);
    item.notice = media.original_kept
      ? 'Redacted. Families who may not see a child get this copy; the unredacted photo is kept for staff only.'
      : 'Redacted. The unredacted photo has been deleted.';
    this.redacting = null;
    this.change();
    void this.updateComplete.then(() => this.querySelector<HTMLElement>(`[data-key="${item.key}"] .redact-button`)?.focus());
  }

  private statusText(item: Pending): string {
    switch (item.status) {
      case 'uploading': return `Uploading… ${item.percent}%`;
      case 'waiting': return `${item.message} (${item.percent}% sent)`;
      case 'processing': return 'Uploaded (100%). Processing… making it safe to share.';
      case 'ready':
        if (item.media?.redaction === 'mosaic') return 'Redacted the old way: mark its areas again before families see it';
        return item.media?.redacted ? 'Ready (redacted)' : 'Ready';
      default: return item.message;
    }
  }

  private thumb(item: Pending) {
    if (item.media && item.status === 'ready' && item.media.kind !== 'document') {
      return html`<img class="upload-thumb" src=${mediaUrl(item.media.id, 'thumbnail', item.version)} alt="" width="72" height="72">`;
    }
    if (item.preview) return html`<img class="upload-thumb" src=${item.preview} alt="" width="72" height="72">`;
    return html`<span class="upload-thumb placeholder" aria-hidden="true">${item.media?.kind === 'document' ? 'PDF' : ''}</span>`;
  }

  private tagList(item: Pending) {
    const obscured = obscuredOf(item.media);
    // What the consent register says, as a reminder beside each name; what it means for this
    // item is the box's answer below the list.
    const consentNote = (c: Child): string => {
      const consent = this.consents.get(c.id);
      if (obscured.includes(c.id)) return 'obscured in the redacted copy';
      if (!consent) return '';
      if (consent.online_journal_opt_out) return 'opted out of online journals';
      if (!consent.own_journal_photos) return 'no photo consent';
      if (!consent.other_journals) return 'not in other children’s journals';
      return '';
    };
    return html`<fieldset class="checks compact"><legend>Who is in it?</legend>
      ${this.people.map((c) => {
        const id = `${this.uid}-${item.key}-${c.id}`;
        const note = consentNote(c);
        const refused = !!item.serverError && item.refusedIds.includes(c.id);
        const describedBy = [note ? `${id}-note` : '', refused ? `${this.uid}-${item.key}-error` : ''].filter(Boolean).join(' ');
        return html`<div class="field-check"><input type="checkbox" id=${id} .checked=${item.tags.includes(c.id)}
            ?disabled=${obscured.includes(c.id)} aria-describedby=${describedBy || nothing} aria-invalid=${refused ? 'true' : nothing}
            @change=${(e: Event) => this.toggle(item, c.id, (e.target as HTMLInputElement).checked)}>
          <label for=${id} dir="auto">${c.first_name} ${c.last_name}</label>
          ${note ? html`<p class="hint" id="${id}-note">${note}</p>` : nothing}</div>`;
      })}
    </fieldset>`;
  }

  // The box's answer for the item as ticked now, if it has come; never one for other ticks.
  private currentAudience(item: Pending): AudienceAnswer | null {
    return item.audience && item.audience.key === audienceKey(item.tags, item.version) ? item.audience.answer : null;
  }

  private audienceText(item: Pending, kids: Map<string, Child>) {
    const media = item.media!;
    const answer = this.currentAudience(item);
    const position = new Map(this.people.map((c, i) => [c.id, i]));
    const at = (id: string) => position.get(id) ?? position.size;
    const order = (ids: string[]) => [...new Set(ids)].sort((a, b) => at(a) - at(b));
    const said = answer ? describeAudience(answer, media.kind, kids, order) : null;
    return html`${said ? html`<p class="audience">${said.seen}</p>${said.warnings.map((w) => html`<p class="warning">${w}</p>`)}`
      : item.audienceError ? nothing
      : html`<p class="meta audience-pending">Checking who will see this ${WHAT[media.kind]}…</p>`}
      ${item.audienceError ? html`<p class="field-error">${item.audienceError}
        <button type="button" class="link" @click=${() => this.refreshAudience(item, 0)}>Check again</button></p>` : nothing}`;
  }

  // The photo-first buttons: the camera (one photo or video at a time) and the library (several).
  private photoFirstPick(): TemplateResult {
    const icon = (d: string) => html`<svg class="pick-icon" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">${svg`<path d=${d}></path>`}</svg>`;
    return html`<legend class="visually-hidden">${this.label}</legend>
      <div class="file-pick capture-pick">
        <input class="file-input" type="file" id="${this.uid}-camera" accept="image/*,video/*" capture="environment"
          aria-describedby="${this.uid}-hint" @change=${this.choose}>
        <label class="button primary capture-button" for="${this.uid}-camera">${icon('M4 7h3l2-3h6l2 3h3v13H4z M12 10a4 4 0 1 0 0 8a4 4 0 1 0 0-8')}Take photo</label>
        <input class="file-input" type="file" id="${this.uid}-files" multiple accept="image/*,video/*"
          aria-describedby="${this.uid}-hint" @change=${this.choose}>
        <label class="button capture-button" for="${this.uid}-files">${icon('M3 5h18v14H3z M3 16l5-5l4 4l3-3l6 6')}Choose from library</label>
      </div>
      <p class="hint" id="${this.uid}-hint">${this.hint}</p>
      ${this.tagging ? html`<button type="button" class="camera-open" @click=${() => { this.capturing = true; }}>Capture artwork with the box camera</button>` : nothing}`;
  }

  render() {
    const kids = new Map(this.people.map((c) => [c.id, c]));
    return html`<fieldset class="uploader ${this.photoFirst ? 'photo-first' : ''}">
      ${this.photoFirst ? this.photoFirstPick() : html`
      <legend>${this.label} <span class="optional">(optional)</span></legend>
      <p class="hint" id="${this.uid}-hint">${this.hint}</p>
      <div class="file-pick">
        <input class="file-input" type="file" id="${this.uid}-files" multiple accept=${this.accept}
          aria-describedby="${this.uid}-hint" @change=${this.choose}>
        <label class="button" for="${this.uid}-files">${this.items.length ? 'Add more' : 'Choose files'}</label>
        ${this.tagging ? html`<button type="button" class="camera-open" @click=${() => { this.capturing = true; }}>Capture artwork with the box camera</button>` : nothing}
      </div>`}
      ${this.items.length ? html`<ul class="upload-list" aria-label="Attached">${this.items.map((item) => {
        const sending = item.status === 'uploading' || item.status === 'waiting';
        return html`<li class="upload-item" data-key=${item.key} data-state=${item.status}>
          <div class="upload-head">
            ${this.thumb(item)}
            <div class="upload-text">
              <p class="upload-name" dir="auto">${item.name}</p>
              <p class=${item.status === 'failed' ? 'field-error' : item.status === 'waiting' ? 'meta paused' : 'meta'} aria-live="polite">${this.statusText(item)}</p>
              ${sending || item.status === 'processing'
                ? html`<progress max="100" .value=${item.percent} aria-label="Upload of ${item.name}">${item.percent}%</progress>` : nothing}
            </div>
            <button type="button" class="link remove" @click=${() => this.removeItem(item)}>${sending ? 'Cancel' : 'Remove'}<span class="visually-hidden"> ${bdi(item.name)}</span></button>
          </div>
          ${item.notice ? html`<p class="meta ok">${item.notice}</p>` : nothing}
          ${item.media?.erased_child === 'shown' ? html`<p class="warning erased-shown">A child whose data was erased still shows in
            this photo: other families see nothing of it until you redact that child out (Redact, then keep “Obscure the erased
            child” ticked).</p>` : nothing}
          ${this.tagging && item.media && item.status === 'ready' ? (item.tagsPending
            ? html`<p class="meta">Asking the box which children can be tagged…</p>`
            : html`
            ${this.people.length ? this.tagList(item) : html`<p class="meta">${this.photoFirst
              ? 'Choose who is in it below: each photo is tagged with them, and you can untick anyone here.'
              : 'Choose the children in this entry first, then tick who is in it.'}</p>`}
            ${this.audienceText(item, kids)}
            ${item.serverError ? html`<p class="field-error server" id="${this.uid}-${item.key}-error" role="alert" tabindex="-1">${item.serverError}</p>` : nothing}
            ${item.media.kind === 'image' ? html`<div class="actions"><button type="button" class="redact-button" @click=${() => { this.redacting = item; }}>
              Redact<span class="visually-hidden"> ${bdi(item.name)}</span>…</button></div>` : nothing}`) : nothing}
        </li>`;
      })}</ul>` : nothing}
      ${this.redacting?.media ? html`<nb-redactor .media=${this.redacting.media} .version=${this.redacting.version}
          .people=${this.people.filter((c) => this.redacting!.tags.includes(c.id))} .audience=${this.currentAudience(this.redacting)}
          @redacted=${(e: CustomEvent<MediaItem>) => this.redacted(this.redacting!, e.detail)}
          @close=${() => { const key = this.redacting?.key; this.redacting = null;
            void this.updateComplete.then(() => this.querySelector<HTMLElement>(`[data-key="${key}"] .redact-button`)?.focus()); }}></nb-redactor>` : nothing}
      ${this.capturing ? html`<nb-camera-capture @captured=${(e: CustomEvent<{ media: MediaItem }>) => this.addCaptured(e.detail.media)}
          @close=${this.closeCamera}></nb-camera-capture>` : nothing}
    </fieldset>`;
  }
}

// In percent of the picture; `pixelate` is chosen for a thing (a name tag, a plate), never a person.
interface Region { x: number; y: number; width: number; height: number; pixelate?: boolean }

// The redaction tool: drag rectangles over the children to obscure (or type them), choose
// which tagged children they hide, and the box writes a copy in which each area and a margin
// around it is grey (issue 32).
@customElement('nb-redactor')
export class Redactor extends LightElement {
  @property({ attribute: false }) media!: MediaItem;
  @property({ attribute: false }) version = 0;
  @property({ attribute: false }) people: Child[] = [];
  @property({ attribute: false }) audience: AudienceAnswer | null = null;   // the box's, for the ticks now
  @state() private regions: Region[] = [];
  @state() private drawing: Region | null = null;
  @state() private error = '';
  @state() private busy = false;
  @query('dialog') private dialog!: HTMLDialogElement;
  @query('.redact-canvas') private canvas!: HTMLElement;
  private origin: { x: number; y: number } | null = null;
  private pointer: number | null = null;

  firstUpdated(): void {
    this.dialog.showModal();
  }

  // Children to obscure by default: those already obscured, and those the box says keep the
  // photo from someone (it would refuse their tag, or other families would not see it).
  private needsHiding(c: Child): boolean {
    if (this.media.redacted && this.media.obscured_child_ids?.includes(c.id)) return true;
    const a = this.audience;
    return !!a && ((a.refused ?? []).some((r) => r.child_id === c.id) || (a.obscure ?? []).some((o) => o.child_id === c.id && o.hidden_from?.length > 0));
  }

  private point(event: PointerEvent): { x: number; y: number } {
    const box = this.canvas.getBoundingClientRect();
    return {
      x: Math.min(100, Math.max(0, ((event.clientX - box.left) / box.width) * 100)),
      y: Math.min(100, Math.max(0, ((event.clientY - box.top) / box.height) * 100)),
    };
  }

  private down(event: PointerEvent): void {
    if (this.pointer !== null || (event.pointerType === 'mouse' && event.button !== 0)) return;
    event.preventDefault();
    this.pointer = event.pointerId;
    this.canvas.setPointerCapture(event.pointerId);
    this.origin = this.point(event);
    this.drawing = { ...this.origin, width: 0, height: 0 };
  }

  private move(event: PointerEvent): void {
    if (!this.origin || event.pointerId !== this.pointer) return;
    const p = this.point(event);
    this.drawing = { x: Math.min(p.x, this.origin.x), y: Math.min(p.y, this.origin.y), width: Math.abs(p.x - this.origin.x), height: Math.abs(p.y - this.origin.y) };
  }

  private up(event: PointerEvent): void {
    if (event.pointerId !== this.pointer) return;
    if (this.drawing && this.drawing.width >= 1 && this.drawing.height >= 1) this.regions = [...this.regions, this.drawing];
    this.drawing = null;
    this.origin = null;
    this.pointer = null;
  }

  // Typed areas, for keyboards and switch access: percent of the photo's width and height.
  private addTyped(): void {
    const inputs = ['x', 'y', 'width', 'height'].map((n) => this.querySelector<HTMLInputElement>(`#redact-${n}`)!);
    const [x, y, width, height] = inputs.map((i) => Number(i.value.replace(',', '.')));
    if (inputs.some((i) => i.value.trim() === '') || [x, y, width, height].some((v) => !Number.isFinite(v) || v < 0) ||
        width <= 0 || height <= 0 || x + width > 100 || y + height > 100) {
      this.error = 'Give the area in percent of the photo: left and top from 0, width and height more than 0, and it must fit inside (left + width and top + height at most 100).';
      void this.updateComplete.then(() => this.querySelector<HTMLElement>('.redactor .form-error')?.focus());
      return;
    }
    this.error = '';
    this.regions = [...this.regions, { x, y, width, height }];
    for (const input of inputs) input.value = '';
    inputs[0].focus();
  }

  private typedKey(event: KeyboardEvent): void {
    if (event.key === 'Enter') {
      event.preventDefault();
      this.addTyped();
    }
  }

  private setPixelate(index: number, event: Event): void {
    const pixelate = (event.target as HTMLInputElement).checked;
    this.regions = this.regions.map((r, i) => (i === index ? { ...r, pixelate } : r));
  }

  private removeRegion(index: number): void {
    this.regions = this.regions.filter((_, i) => i !== index);
    void this.updateComplete.then(() => {
      const buttons = this.querySelectorAll<HTMLElement>('.redact-list button');
      (buttons[Math.min(index, buttons.length - 1)] ?? this.querySelector<HTMLElement>('#redact-x'))?.focus();
    });
  }

  private close(): void {
    if (this.dialog.open) this.dialog.close();
    this.dispatchEvent(new CustomEvent('close'));
  }

  // Areas in pixels of the stored original (the display copy is a scaled-down version of it).
  private originalRegions(): Array<{ x: number; y: number; width: number; height: number; style: 'cover' | 'pixelate' }> {
    const w = this.media.width ?? 0, h = this.media.height ?? 0;
    // Multiplied before dividing, so whole percentages give whole pixels without rounding noise.
    return this.regions.map((r) => {
      const x = Math.min(w - 1, Math.floor((r.x * w) / 100)), y = Math.min(h - 1, Math.floor((r.y * h) / 100));
      const right = Math.min(w, Math.ceil(((r.x + r.width) * w) / 100)), bottom = Math.min(h, Math.ceil(((r.y + r.height) * h) / 100));
      return { x, y, width: Math.max(1, right - x), height: Math.max(1, bottom - y), style: r.pixelate ? 'pixelate' : 'cover' };
    });
  }

  private async submit(): Promise<void> {
    if (!this.regions.length) {
      this.error = 'Mark at least one area to obscure: drag over the photo, or type an area.';
      void this.updateComplete.then(() => this.querySelector<HTMLElement>('.redactor .form-error')?.focus());
      return;
    }
    const obscured = [...this.querySelectorAll<HTMLInputElement>('input[name="obscured"]:checked')].map((i) => i.value);
    const body: Record<string, unknown> = { regions: this.originalRegions(), obscured_child_ids: obscured };
    if (this.querySelector<HTMLInputElement>('#obscure-erased')?.checked) body.obscure_erased = true;
    this.busy = true;
    this.error = '';
    try {
      const { media } = await api<{ media: MediaItem }>('POST', `/media/${this.media.id}/redact`, body);
      this.dialog.close();
      this.dispatchEvent(new CustomEvent('redacted', { detail: media }));
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      void this.updateComplete.then(() => this.querySelector<HTMLElement>('.redactor .form-error')?.focus());
    } finally {
      this.busy = false;
    }
  }

  private describe(r: Region): string {
    return `${Math.round(r.width)}% wide, ${Math.round(r.height)}% high, ${Math.round(r.x)}% from the left, ${Math.round(r.y)}% from the top`;
  }

  render() {
    const shown = this.drawing ? [...this.regions, this.drawing] : this.regions;
    const w = this.media.width ?? 4, h = this.media.height ?? 3;
    const scale = Math.min(1, 1600 / Math.max(w, h));
    return html`<dialog class="redactor" aria-labelledby="redact-title" @cancel=${(e: Event) => { e.preventDefault(); this.close(); }}>
      <h2 id="redact-title">Obscure children in this photo</h2>
      <p class="hint" id="redact-how">Drag a box over each child to hide (a finger works too), or type an area below. Families who may not see
        those children get a copy in which each area, and a margin around it, is grey for good: no outline, hair or clothes show.</p>
      ${this.media.redaction === 'mosaic' ? html`<p class="warning" data-testid="mark-again">This photo was redacted the old way
        (pixelated), which does not hide a child from families who know the room. No family sees it until you mark the areas again.</p>` : nothing}
      <div class="redact-canvas" @pointerdown=${this.down} @pointermove=${this.move} @pointerup=${this.up} @pointercancel=${this.up}>
        <img src=${mediaUrl(this.media.id, 'display', this.version)} alt="The photo to redact" draggable="false"
          width=${Math.round(w * scale)} height=${Math.round(h * scale)}>
        <svg class="redact-overlay" viewBox="0 0 100 100" preserveAspectRatio="none" aria-hidden="true">
          ${shown.map((r) => svg`<rect class="redact-region" x=${r.x} y=${r.y} width=${r.width} height=${r.height}></rect>`)}</svg>
      </div>
      ${this.regions.length ? html`<ol class="redact-list" aria-label="Areas to obscure">${this.regions.map((r, i) => html`<li>
          <span>Area ${i + 1}: ${this.describe(r)}${r.pixelate ? ', pixelated' : ', grey'}</span>
          <span class="field-check"><input type="checkbox" id="redact-pixelate-${i}" .checked=${!!r.pixelate}
            @change=${(e: Event) => this.setPixelate(i, e)}><label for="redact-pixelate-${i}">Pixelate instead: a thing, not a person</label></span>
          <button type="button" class="link" @click=${() => this.removeRegion(i)}>Remove<span class="visually-hidden"> area ${i + 1}</span></button></li>`)}</ol>`
        : html`<p class="meta">No areas yet.</p>`}
      <fieldset class="redact-typed" @keydown=${this.typedKey}>
        <legend>Or type an area, in percent of the photo</legend>
        ${[['x', 'Left'], ['y', 'Top'], ['width', 'Width'], ['height', 'Height']].map(([name, label]) => html`<div class="redact-number">
          <label for="redact-${name}">${label} (%)</label>
          <input id="redact-${name}" type="number" min="0" max="100" step="any" inputmode="decimal"></div>`)}
        <button type="button" @click=${this.addTyped}>Add area</button>
      </fieldset>
      ${this.people.length ? html`<fieldset class="checks compact"><legend>Who do these areas hide?</legend>
        ${this.people.map((c) => html`<div class="field-check"><input type="checkbox" name="obscured" id="obscure-${c.id}" value=${c.id} ?checked=${this.needsHiding(c)}>
          <label for="obscure-${c.id}" dir="auto">${c.first_name} ${c.last_name}</label></div>`)}</fieldset>`
        : html`<p class="meta">No child is ticked for this photo. Tick who is in it first if you want to say who these areas hide.</p>`}
      ${this.media.erased_child === 'shown' ? html`<div class="field-check erased-check"><input type="checkbox" id="obscure-erased" checked
          aria-describedby="obscure-erased-hint">
        <label for="obscure-erased">Obscure the erased child (required before other families see this photo)</label>
        <p class="hint" id="obscure-erased-hint">A child whose data was erased is in this photo. Draw over them: the box then shows
          other families only this redacted copy.</p></div>` : nothing}
      <p class="warning" id="redact-warning"><strong>Before you press “Redact photo”:</strong> the unredacted original will be deleted and
        cannot be brought back, so every family — those of the children you obscure too — will see the redacted copy. Only if your
        manager has chosen to keep unredacted originals is the original kept, for staff.</p>
      ${this.error ? html`<p class="form-error" role="alert" tabindex="-1">${this.error}</p>` : nothing}
      <div class="actions redact-actions">
        <button type="button" class="primary" ?disabled=${this.busy} aria-describedby="redact-warning" @click=${this.submit}>${this.busy ? 'Redacting…' : 'Redact photo'}</button>
        <button type="button" @click=${this.close}>Cancel</button>
      </div>
    </dialog>`;
  }
}

// How a photo or video is named to people: "Photo of Ava", "Video of Ava and Ben", "Photo"
// (only the children in `people`, this person's own, are named).
export function describeMedia(m: MediaItem, people: Map<string, Child>): string {
  const who = firstNames(people, m.child_ids.filter((id) => people.has(id)));
  const what = m.kind === 'video' ? 'Video' : 'Photo';
  return who ? `${what} of ${who}` : what;
}

// Pixel sizes of a derivative whose longest side is at most `longest` (never enlarged).
export function mediaSize(m: MediaItem, longest: number): { width: number; height: number } {
  if (!m.width || !m.height) return { width: longest, height: Math.round(longest * 0.75) };
  const scale = Math.min(1, longest / Math.max(m.width, m.height));
  return { width: Math.round(m.width * scale), height: Math.round(m.height * scale) };
}

// Photos and videos ready to be seen (not documents, nothing still being prepared).
export function viewableMedia(media: MediaItem[]): MediaItem[] {
  return media.filter((m) => m.kind !== 'document' && m.state === 'ready');
}

// The full-screen viewer's items for these photos and videos, each under `caption`.
export function lightboxItems(media: MediaItem[], people: Map<string, Child>, caption?: string): LightboxItem[] {
  return viewableMedia(media).map((m) => ({
    id: m.id, label: describeMedia(m, people), src: mediaUrl(m.id, 'display'), ...mediaSize(m, 1600), caption,
    video: m.kind === 'video' ? mediaUrl(m.id, 'original') : undefined,
  }));
}

// Thumbnails of an entry's media; photos and videos open in the full-screen viewer
// (<nb-lightbox>), documents download.
@customElement('nb-media-gallery')
export class MediaGallery extends LightElement {
  @property({ attribute: false }) media: MediaItem[] = [];
  @property({ attribute: false }) people = new Map<string, Child>();
  @query('nb-lightbox') private lightbox?: Lightbox;

  private show(m: MediaItem, event: Event): void {
    this.lightbox?.show(viewableMedia(this.media).indexOf(m), event.currentTarget as HTMLElement);
  }

  render() {
    if (!this.media.length) return nothing;
    return html`<ul class="gallery" aria-label="Photos and videos">${this.media.map((m) => {
        const thumb = mediaSize(m, 400);
        const label = describeMedia(m, this.people);
        return html`<li>
        ${m.state === 'processing' ? html`<span class="gallery-placeholder">Being prepared…</span>`
          : m.state === 'failed' ? nothing
          : m.kind === 'document' ? html`<a class="gallery-doc" href=${mediaUrl(m.id, 'original')} download>Download the document (PDF)</a>`
          : html`<button type="button" class="gallery-item" data-id=${m.id} @click=${(e: Event) => this.show(m, e)} aria-label="Open ${label}">
              <img src=${mediaUrl(m.id, 'thumbnail')} alt=${label} loading="lazy" width=${thumb.width} height=${thumb.height}>
              ${m.kind === 'video' ? html`<span class="play-badge" aria-hidden="true">▶ Video</span>` : nothing}
            </button>`}
      </li>`;
      })}</ul>
      <nb-lightbox .items=${lightboxItems(this.media, this.people)}
        .focusTarget=${(item: LightboxItem) => this.querySelector<HTMLElement>(`.gallery-item[data-id="${item.id}"]`)}></nb-lightbox>`;
  }
}
