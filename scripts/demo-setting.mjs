// The living demo setting (issue 15): six weeks of a nursery's journal, made through the API
// as a manager, staff (on the demo's own registered tablet key) and parents would make it.
// History is written under the daemon's clock seam: the test clock offset file is stepped
// forward day by day, so dates, release points and versions are real. Nothing is written to
// the database directly. Photos, a short video and a newsletter PDF are generated here
// (ffmpeg test patterns and drawn scenes, never photographs of people) and sent with tus, so
// they go through sniffing, metadata stripping and derivatives like any upload.
//
//   node scripts/demo-setting.mjs --https-port 8443 --ca var/demo/data/tls/ca.crt \
//        --clock var/demo/clock-offset --setup-code-file var/demo/data/setup-code.txt \
//        --state var/demo
//
// Idempotent: on a box already set up it makes nothing and only gives the demo tablet a fresh
// enrolment code (replacing an unused one). Prints the code last; the demo script shows it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Tablet, tusUpload, mediaReady } from './lib/client.mjs';

export const DEMO = {
  setting: 'Rainbow Nursery (demo)',
  manager: { username: 'beth', name: 'Beth McNerlin', password: 'paper kite sunrise', pin: '4071' },
  staff: [
    { username: 'kate', name: 'Kate Key (practitioner)', password: 'green apple orchard' },
    { username: 'tom', name: 'Tom Reyes (practitioner)', password: 'quiet river stones' },
  ],
  parents: [
    { username: 'sam.parent', name: 'Sam Okafor', password: 'blue whale singing', children: ['Amara', 'Tobi'] },
    { username: 'jo.parent', name: 'Jo Lindqvist', password: 'red kite flying', children: ['Freya'] },
  ],
};

// Rooms and children: consent is [photos in own journal, in other journals, opted out].
const ROOMS = [
  { name: 'Babies', mode: 'live' },
  { name: 'Nursery', mode: 'live' },
  { name: 'Reception', mode: 'scheduled' },
];
const CHILDREN = [
  ['Tobi', 'Okafor', 'Babies', '2024-08-14', 'kate', [true, true, false]],
  ['Mia', 'Chen', 'Babies', '2024-11-02', 'kate', [true, true, false]],
  ['Alfie', 'Jones', 'Babies', '2025-01-20', 'tom', [true, true, false]],
  ['Amara', 'Okafor', 'Nursery', '2022-06-03', 'kate', [true, true, false]],
  ['Freya', 'Lindqvist', 'Nursery', '2022-09-21', 'tom', [true, true, false]],
  ['Zara', 'Hussain', 'Nursery', '2022-04-11', 'kate', [true, false, false]],  // own journal only
  ['Oscar', 'Nowak', 'Nursery', '2022-12-30', 'tom', [false, false, false]],  // no photo consent
  ['Ruby', 'Evans', 'Nursery', '2023-02-17', 'kate', [true, true, false]],
  ['Isaac', 'Patel', 'Reception', '2021-05-09', 'tom', [true, true, false]],
  ['Lily', "O'Neill", 'Reception', '2021-07-25', 'kate', [true, true, false]],
  ['Sofia', 'Rossi', 'Reception', '2021-10-13', 'tom', [true, true, true]],  // family opted out of the online journal
  ['Noah', 'Brown', 'Reception', '2021-03-30', 'kate', [true, true, false]],
];
const DAY = 86400;

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, '').replace(/-(\w)/g, (_, c) => c.toUpperCase())] = argv[i + 1];
  return out;
}

// The setting's local date (Europe/London, the default) of a Unix time.
const localDate = (unix) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(unix * 1000));
const weekday = (unix) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'short' }).format(new Date(unix * 1000));

// Images and a video drawn by ffmpeg: test patterns, fractals and painted-looking scenes.
function makeMedia(dir) {
  const ffmpeg = (name, args) => {
    const file = path.join(dir, name);
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', ...args, file]);
    return fs.readFileSync(file);
  };
  const still = (name, source) => ffmpeg(name, ['-f', 'lavfi', '-i', source, '-frames:v', '1', '-q:v', '3']);
  const scene = (sky, ground, extra) => `color=c=${sky}:s=1200x900,drawbox=x=0:y=620:w=1200:h=280:color=${ground}:t=fill,${extra}`;
  return {
    sandTower: still('sand-tower.jpg', scene('skyblue', 'khaki', 'drawbox=x=480:y=380:w=90:h=240:color=orange:t=fill,drawbox=x=600:y=460:w=90:h=160:color=red:t=fill')),
    painting: still('painting.jpg', 'mandelbrot=size=1200x900:end_pts=20,hue=s=2'),
    blocks: still('blocks.jpg', scene('lightyellow', 'tan', 'drawbox=x=300:y=420:w=160:h=200:color=blue:t=fill,drawbox=x=470:y=300:w=160:h=320:color=green:t=fill,drawbox=x=640:y=500:w=160:h=120:color=purple:t=fill')),
    garden: still('garden.jpg', scene('lightskyblue', 'forestgreen', 'drawbox=x=150:y=520:w=40:h=100:color=yellow:t=fill,drawbox=x=260:y=540:w=40:h=80:color=pink:t=fill,drawbox=x=900:y=80:w=140:h=140:color=gold:t=fill')),
    pattern: still('pattern.jpg', 'testsrc2=size=1200x900'),
    lifeGame: still('life.jpg', 'life=size=300x225:mold=10:ratio=0.2:death_color=#224466:life_color=#ffcc33,scale=1200x900:flags=neighbor'),
    rainbow: still('rainbow.jpg', 'gradients=size=1200x900:c0=red:c1=violet:nb_colors=2:speed=1'),
    // The group photo: three children at the water tray, drawn as coloured figures; the
    // first is obscured in the redacted copy.
    group: still('group.jpg', scene('lightcyan', 'lightgrey', 'drawbox=x=120:y=300:w=220:h=380:color=tomato:t=fill,drawbox=x=490:y=280:w=220:h=400:color=seagreen:t=fill,drawbox=x=860:y=320:w=220:h=360:color=royalblue:t=fill,drawbox=x=0:y=640:w=1200:h=120:color=steelblue:t=fill')),
    homeCooking: still('home-cooking.jpg', scene('wheat', 'sienna', 'drawbox=x=500:y=420:w=220:h=160:color=white:t=fill')),
    video: ffmpeg('bubbles.mp4', ['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=3', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-movflags', '+faststart']),
  };
}

// A one-page newsletter as a minimal, valid PDF (Helvetica, no fonts embedded).
function newsletterPdf(lines) {
  const text = lines.map((l, i) => `BT /F1 ${i === 0 ? 20 : 12} Tf 60 ${760 - i * 26} Td (${l.replace(/[()\\]/g, '\\$&')}) Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(text)} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((o, i) => { offsets.push(Buffer.byteLength(pdf)); pdf += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = Buffer.byteLength(pdf);
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf);
}

export async function seedDemo({ httpsPort, ca, clockFile, setupCode, state, log = console.log }) {
  const box = {
    httpsPort, ca,
    client() { return new Client(this); },
    seedingTablet: null,
    async tablet() { return this.seedingTablet; },
  };
  const expectOk = (res, what) => {
    if (res.status >= 300) throw new Error(`demo: ${what}: ${res.status} ${res.text.slice(0, 300)}`);
    return res.json;
  };
  const realNow = Math.floor(Date.now() / 1000);
  const setClock = (unix) => {  // moves the daemon's clock to `unix` (atomically: never an empty file)
    const tmp = `${clockFile}.tmp`;
    fs.writeFileSync(tmp, String(unix === null ? 0 : unix - Math.floor(Date.now() / 1000)));
    fs.renameSync(tmp, clockFile);
  };
  const signIn = async (user, { tablet = false } = {}) => {
    const client = box.client();
    const res = await client.signIn(user.username, user.password, tablet ? {} : { tablet: null });
    expectOk(res, `sign in ${user.username}`);
    return client;
  };

  const setup = await box.client().get('/api/v1/setup');
  const created = setup.status === 200;
  if (created) {
    if (!setupCode) throw new Error('demo: the box is not set up and no setup code was given');
    log('Making the demo setting (six weeks of a nursery’s journal; about 20 seconds)...');
    const started = Date.now();
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nestbox-demo-'));
    try {
      const media = makeMedia(work);
      const first = realNow - 42 * DAY;  // six weeks ago
      setClock(first);
      const m = DEMO.manager;
      const manager = box.client();
      expectOk(await manager.post('/api/v1/setup', { code: setupCode, setting_name: DEMO.setting, framework: 'eyfs',
        username: m.username, display_name: m.name, password: m.password, pin: m.pin }), 'setup');
      const ids = {};
      for (const u of [...DEMO.staff, ...DEMO.parents]) {
        const role = DEMO.staff.includes(u) ? 'staff' : 'parent';
        const made = expectOk(await manager.post('/api/v1/users', { username: u.username, display_name: u.name, role }), `user ${u.username}`);
        expectOk(await box.client().post('/api/v1/auth/redeem-code', { username: u.username, code: made.one_time_code.code, new_password: u.password }), 'redeem');
        ids[u.username] = made.user.id;
      }
      const rooms = {};
      for (const r of ROOMS) rooms[r.name] = expectOk(await manager.post('/api/v1/rooms', { name: r.name, release_mode: r.mode }), 'room').room.id;
      // Reception is released at half terms: one has passed, the next is set.
      for (const at of [realNow - 20 * DAY, realNow + 22 * DAY]) {
        expectOk(await manager.post(`/api/v1/rooms/${rooms.Reception}/releases`, { at: String(at) }), 'release date');
      }
      const child = {};
      for (const [first_name, last_name, room, dob, key, [own, others, optOut]] of CHILDREN) {
        const c = expectOk(await manager.post('/api/v1/children', { first_name, last_name, date_of_birth: dob, room_id: rooms[room],
          started_on: '2025-09-01', key_person_id: ids[key] }), `child ${first_name}`).child;
        child[first_name] = c.id;
        expectOk(await manager.request('PUT', `/api/v1/children/${c.id}/consent`, { body: { own_journal_photos: own,
          other_journals: others, online_journal_opt_out: optOut, note: 'Recorded from the signed consent form.' } }), 'consent');
      }
      for (const p of DEMO.parents) {
        for (const name of p.children) expectOk(await manager.request('PUT', `/api/v1/children/${child[name]}/carers/${ids[p.username]}`), 'carer');
      }
      // The demo's own recording tablet: its key lives only in this process.
      box.seedingTablet = await Tablet.enrol(box, manager, 'Seeding tablet (made the demo history)');
      for (const p of DEMO.parents) {
        const c = await signIn(p);
        const agreement = expectOk(await c.get('/api/v1/agreement'), 'agreement');
        expectOk(await c.post('/api/v1/agreement/accept', { version: agreement.version }), 'accept');
      }

      // Six weeks of working days. Each day a practitioner signs in on the tablet and records.
      const staffFor = (i) => DEMO.staff[i % 2];
      const upload = async (client, bytes, filename) => { const id = await tusUpload(client, bytes, { filename }); await mediaReady(client, id); return id; };
      const entry = async (client, body) => expectOk(await client.post('/api/v1/entries', body), `entry ${body.title}`).entry;
      const nursery = ['Amara', 'Freya', 'Zara', 'Ruby', 'Oscar'];
      const babies = ['Tobi', 'Mia', 'Alfie'];
      const reception = ['Isaac', 'Lily', 'Noah', 'Sofia'];
      const days = [];
      for (let t = first + 9 * 3600; t < realNow - 3600; t += DAY) {
        if (!['Sat', 'Sun'].includes(weekday(t))) days.push(t);
      }
      let amendable = null;
      let groupEntry = null;
      for (const [i, t] of days.entries()) {
        setClock(t);
        const staff = await signIn(staffFor(i), { tablet: true });
        const today = localDate(t);
        const w = Math.floor(i / 5);
        switch (weekday(t)) {
          case 'Mon': {
            const name = nursery[w % nursery.length];
            const photo = name === 'Oscar' ? [] : [{ id: await upload(staff, media.sandTower, 'sand.jpg'), child_ids: [child[name]] }];
            await entry(staff, { kind: 'observation', status: 'journal', title: `${name} builds a sandcastle tower`, observed_on: today,
              body: `${name} filled the bucket, patted it down and counted the towers: “one, two, three, four!”`,
              next_steps: 'Count objects beyond five; compare tall and short.', child_ids: [child[name]], aspect_ids: ['eyfs.m.n'], media: photo });
            if (w === 1) {
              const pdf = await upload(staff, newsletterPdf(['Rainbow Nursery newsletter', 'This half term: growing beans, the pond, and our trip to the farm.',
                'Please label wellies and spare clothes.', 'Parents evening: Thursday from 4pm.']), 'newsletter.pdf');
              await entry(staff, { kind: 'newsletter', status: 'journal', title: 'Newsletter: spring half term', observed_on: today, room_id: rooms.Nursery,
                body: 'The newsletter for this half term is attached.', media: [{ id: pdf, child_ids: [] }] });
            }
            break;
          }
          case 'Tue': {
            const name = babies[w % babies.length];
            await entry(staff, { kind: 'snapshot', status: 'journal', title: `${name}’s day`, observed_on: today, child_ids: [child[name]],
              body: `${name} had a good sleep after lunch, enjoyed the sensory bottles and waved at the birds in the garden.` });
            break;
          }
          case 'Wed': {
            const name = reception[w % reception.length];
            await entry(staff, { kind: 'observation', status: 'journal', title: `${name} reads a story to a friend`, observed_on: today,
              body: `${name} chose “The Gruffalo” and read the repeated lines with great expression.`, next_steps: 'Retell a story in their own words.',
              child_ids: [child[name]], aspect_ids: ['eyfs.l.c', 'eyfs.cl.sp'] });
            if (w === 3) {
              // The group observation: Zara may not appear in other children's journals, so the
              // families of Amara and Freya get the copy with Zara obscured.
              const id = await upload(staff, media.group, 'water-tray.jpg');
              expectOk(await staff.post(`/api/v1/media/${id}/redact`, { regions: [{ x: 100, y: 280, width: 260, height: 420 }],
                obscured_child_ids: [child.Zara] }), 'redact');
              groupEntry = await entry(staff, { kind: 'observation', status: 'journal', title: 'Boats at the water tray', observed_on: today,
                body: 'Amara, Freya and Zara built boats from corks and lolly sticks and tested which ones floated.',
                next_steps: 'Try heavier cargo: what makes a boat sink?', child_ids: [child.Amara, child.Freya, child.Zara],
                aspect_ids: ['eyfs.uw.nw', 'eyfs.cl.lau'], media: [{ id, child_ids: [child.Amara, child.Freya, child.Zara] }] });
            }
            break;
          }
          case 'Thu': {
            const name = [...nursery, ...babies][(w * 2) % 8];
            const item = name === 'Oscar' ? null : { id: await upload(staff, [media.painting, media.blocks, media.lifeGame, media.rainbow][w % 4], 'art.jpg'), child_ids: [child[name]] };
            const e = await entry(staff, { kind: 'observation', status: 'journal', title: `${name}’s painting`, observed_on: today,
              body: `${name} mixed blue and yellow and said “it’s green like the grass!”`, next_steps: 'Explore mixing other colours.',
              child_ids: [child[name]], aspect_ids: ['eyfs.ead.cm'], media: item ? [item] : [] });
            if (w === 2) amendable = e;
            if (w === 4) {
              await entry(staff, { kind: 'observation', status: 'staff_only', title: 'Note for the key person: Oscar settling in', observed_on: today,
                body: 'Oscar was unsettled at drop-off this week; agree a settling plan with the family.', child_ids: [child.Oscar] });
            }
            break;
          }
          case 'Fri': {
            const photo = await upload(staff, w % 2 ? media.garden : media.pattern, 'friday.jpg');
            const post = { kind: 'room_post', status: 'journal', title: `Feedback Friday: week ${w + 1}`, observed_on: today, room_id: rooms.Nursery,
              body: 'This week we planted beans, visited the pond and practised our counting songs. Thank you for the spare wellies!',
              media: [{ id: photo, child_ids: [] }] };
            if (w === 5) post.media.push({ id: await upload(staff, media.video, 'bubbles.mp4'), child_ids: [] });
            await entry(staff, post);
            if (amendable && w === 2) {
              expectOk(await staff.patch(`/api/v1/entries/${amendable.id}`, { body: `${amendable.body} Later she painted a whole meadow.` }), 'amend');
            }
            break;
          }
          default: break;
        }
        if (groupEntry && !groupEntry.commented && weekday(t) === 'Thu') {
          // The families comment on the group observation the next day, each in their own thread; staff reply.
          const sam = await signIn(DEMO.parents[0]);
          const jo = await signIn(DEMO.parents[1]);
          expectOk(await sam.post(`/api/v1/entries/${groupEntry.id}/threads/${child.Amara}`, { body: 'Amara has been making boats in the bath all week!' }), 'comment');
          expectOk(await jo.post(`/api/v1/entries/${groupEntry.id}/threads/${child.Freya}`, { body: 'Freya told us the cork boat won. Thank you!' }), 'comment');
          expectOk(await staff.post(`/api/v1/entries/${groupEntry.id}/threads/${child.Amara}`, { body: 'She was brilliant at predicting which would float.' }), 'reply');
          groupEntry.commented = true;
        }
      }
      // Yesterday, at home: a pending home observation with a photo, and one returned with a reason.
      setClock(realNow - 6 * 3600);
      const sam = await signIn(DEMO.parents[0]);
      const homePhoto = await upload(sam, media.homeCooking, 'baking.jpg');
      expectOk(await sam.post('/api/v1/contributions', { child_id: child.Tobi, title: 'Tobi helped bake bread', observed_on: localDate(realNow - DAY),
        body: 'He poured the flour and kneaded the dough with both hands.', media_ids: [homePhoto] }), 'home observation');
      const jo = await signIn(DEMO.parents[1]);
      const returned = expectOk(await jo.post('/api/v1/contributions', { child_id: child.Freya, title: 'Bike ride',
        observed_on: localDate(realNow - DAY), body: 'Freya rode without stabilisers!' }), 'home observation').contribution;
      setClock(null);
      const kate = await signIn(DEMO.staff[0], { tablet: true });
      expectOk(await kate.post(`/api/v1/contributions/${returned.id}/return`, { reason: 'Lovely news! Could you add where this was, so we can talk about it with Freya?' }), 'return');
      await entry(kate, { kind: 'observation', status: 'draft', title: 'Ruby’s puppet show (draft)', observed_on: localDate(realNow),
        body: 'Ruby used two puppets and gave each a different voice.', child_ids: [child.Ruby] });
      fs.writeFileSync(path.join(state, 'demo-made'), `${new Date().toISOString()}\n`);
      log(`Made the demo setting in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    } finally {
      setClock(null);
      fs.rmSync(work, { recursive: true, force: true });
    }
  }

  if (!created && state && !fs.existsSync(path.join(state, 'demo-made'))) {
    log('This box was set up, but the demo setting was not finished making. Delete var/demo/ to start afresh.');
  }
  // Every start: the demo tablet gets a fresh enrolment code (replacing an unused one).
  const manager = await signIn(DEMO.manager);
  const devices = expectOk(await manager.get('/api/v1/devices'), 'devices').devices;
  const existing = devices.find((d) => d.name === 'Demo tablet');
  let enrolment = null;
  if (!existing) {
    enrolment = expectOk(await manager.post('/api/v1/devices', { name: 'Demo tablet', room_id: null }), 'demo tablet').enrolment;
  } else if (existing.state === 'pending') {
    enrolment = expectOk(await manager.post(`/api/v1/devices/${existing.id}/re-enrol`, {}), 'demo tablet code').enrolment;
  }
  await manager.post('/api/v1/auth/sign-out', {});
  return { created, enrolment };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = parseArgs(process.argv.slice(2));
  const setupCode = args.setupCodeFile && fs.existsSync(args.setupCodeFile) ? fs.readFileSync(args.setupCodeFile, 'utf8').trim() : null;
  const result = await seedDemo({ httpsPort: Number(args.httpsPort), ca: fs.readFileSync(args.ca), clockFile: args.clock,
    setupCode, state: args.state });
  if (result.enrolment) fs.writeFileSync(path.join(args.state, 'tablet-code'), `${result.enrolment.code}\n${result.enrolment.expires_at}\n`);
  else fs.rmSync(path.join(args.state, 'tablet-code'), { force: true });
}
