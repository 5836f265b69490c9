#!/usr/bin/env python3
"""Fills a Nestbox database (already migrated by nestboxd, daemon stopped) with a generated
setting for benchmarks: rooms with half-termly release dates, children with two carers each,
staff, a consent record per child, entries over several years with children, curriculum
links and media (photos, videos and documents, with the children in each and some redacted
copies), and comments.

  make_setting.py DB --children 120 --years 5 --entries 150000 --media 400000 \
                  --comments 300000 --parent PARENT_ID [--seed 1]

PARENT_ID (a real, signed-in-able parent account made through the API) becomes a carer of
the first child, so its feed can be measured. A comma-separated list of them makes each the
carer of its own child, each in a live room (so a released observation reaches that family at
once); --map FILE writes which child each parent got, as JSON. Generated accounts have no usable password.
Media rows reference content hashes only; no files are written (the feed reads metadata)."""
import argparse, random, sqlite3, time

p = argparse.ArgumentParser()
p.add_argument("db")
p.add_argument("--children", type=int, default=120)
p.add_argument("--years", type=int, default=5)
p.add_argument("--entries", type=int, default=150000)
p.add_argument("--media", type=int, default=400000)
p.add_argument("--comments", type=int, default=300000)
p.add_argument("--parent", required=True)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--map")
a = p.parse_args()
rng = random.Random(a.seed)
hexid = lambda: "%032x" % rng.getrandbits(128)
now = int(time.time())
start = now - a.years * 365 * 86400

db = sqlite3.connect(a.db)
db.execute("PRAGMA foreign_keys=ON")
cur = db.cursor()
cur.execute("BEGIN")

rooms = []
for name, mode in [("Babies", "live"), ("Toddlers", "live"), ("Nursery", "live"), ("Kindergarten", "scheduled"), ("Reception", "scheduled")]:
    rid = hexid()
    rooms.append((rid, mode))
    cur.execute("INSERT INTO rooms VALUES (?,?,?,?,?)", (rid, name, mode, start, start))
    if mode == "scheduled":
        t = start
        while t < now:  # six half terms a year
            t += 61 * 86400
            if t < now:
                cur.execute("INSERT INTO room_release_points VALUES (?,?,?,?)", (rid, t, "scheduled", "bench"))

staff = []
for i in range(20):
    uid = hexid()
    staff.append(uid)
    cur.execute("INSERT INTO users (id, username, display_name, role, password_hash, password_changed_at, created_at, updated_at)"
                " VALUES (?,?,?,?,?,?,?,?)", (uid, f"staff{i}", f"Practitioner {i}", "staff", "!", start, start, start))

children = []
for i in range(a.children):
    cid = hexid()
    room = rooms[i % len(rooms)][0]
    children.append((cid, room))
    cur.execute("INSERT INTO children (id, first_name, last_name, date_of_birth, room_id, key_person_id, started_on, left_on,"
                " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (cid, f"Child{i}", f"Family{i}", "2021-01-01", room, rng.choice(staff), "2021-09-01", None, start, start))
    for j in range(2):
        pid = hexid()
        cur.execute("INSERT INTO users (id, username, display_name, role, password_hash, password_changed_at, created_at, updated_at)"
                    " VALUES (?,?,?,?,?,?,?,?)", (pid, f"parent{i}.{j}", f"Carer {i}.{j}", "parent", "!", start, start, start))
        cur.execute("INSERT INTO child_carers VALUES (?,?)", (cid, pid))
live = {rid for rid, mode in rooms if mode == "live"}
measured = [cid for cid, room in children if room in live][:len(a.parent.split(","))]
if len(measured) < len(a.parent.split(",")):
    raise SystemExit("not enough children in live rooms for every measured parent")
for pid, cid in zip(a.parent.split(","), measured):
    cur.execute("INSERT INTO child_carers VALUES (?,?)", (cid, pid))
if a.map:
    import json
    with open(a.map, "w") as f:
        json.dump([{"parent": pid, "child": cid} for pid, cid in zip(a.parent.split(","), measured)], f)

# Consent: most families agree to everything; some keep their child out of other journals,
# a few out of photos or of the online journal. The measured family agrees to everything.
consent = {}
for i, (cid, _) in enumerate(children):
    own, others, opt_out = (1, 1, 0) if cid in measured else (int(rng.random() < 0.95), int(rng.random() < 0.85), int(rng.random() < 0.02))
    consent[cid] = (own, others, opt_out)
    cur.execute("INSERT INTO consents VALUES (?,?,?,?,?,?,?)", (cid, own, others, opt_out, staff[0], start, ""))
    cur.execute("INSERT INTO consent_history (child_id, own_journal_photos, other_journals, online_journal_opt_out,"
                " recorded_by, recorded_at, note) VALUES (?,?,?,?,?,?,?)", (cid, own, others, opt_out, staff[0], start, ""))

by_room = {}
for cid, room in children:
    by_room.setdefault(room, []).append(cid)
aspects = ["eyfs.cl.lau", "eyfs.cl.sp", "eyfs.psed.sr", "eyfs.pd.gm", "eyfs.l.c", "eyfs.m.n", "eyfs.uw.nw", "eyfs.ead.cm"]
pairs = []
media_made = 0
media_per_entry = a.media / a.entries
span = now - start
for i in range(a.entries):
    eid = hexid()
    t = start + (i * span) // a.entries
    room, _ = rooms[rng.randrange(len(rooms))]
    if rng.random() < 0.1:
        kind, room_id, kids = "room_post", room, []
    else:
        kind, room_id = "observation", None
        kids = rng.sample(by_room[room], k=min(len(by_room[room]), rng.choice([1, 1, 1, 2, 3])))
    status = "journal" if rng.random() < 0.92 else rng.choice(["draft", "staff_only"])
    day = time.strftime("%Y-%m-%d", time.gmtime(t))
    cur.execute("INSERT INTO entries (id, kind, status, room_id, title, body, next_steps, observed_on, author_id, version,"
                " created_at, updated_at, journal_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (eid, kind, status, room_id, f"Observation {i}", "Played and explored with the others. " * 4, "", day,
                 rng.choice(staff), 1, t, t, t if status == "journal" else None))
    for cid in kids:
        cur.execute("INSERT INTO entry_children VALUES (?,?)", (eid, cid))
        pairs.append((eid, cid))
    # Who receives it, with the room each child was in (issue 13) and its journal time while
    # it is in the journal (issue 14): the children it is about, or on a room post the room's.
    for cid in (kids or by_room[room]):
        cur.execute("INSERT INTO entry_audience VALUES (?,?,?,?)", (eid, cid, room, t if status == "journal" else None))
    for asp in rng.sample(aspects, k=rng.choice([0, 1, 2])):
        cur.execute("INSERT INTO entry_links VALUES (?,?)", (eid, asp))
    # Media: on average media_per_entry items; the children in each are some of the entry's
    # (or, on a room post, some of the room's) who have photo consent.
    due = int(media_per_entry * (i + 1)) - int(media_per_entry * i)
    pool = [c for c in (kids or rng.sample(by_room[room], k=min(4, len(by_room[room])))) if consent[c][0]]
    for pos in range(due):
        mid = hexid()
        r = rng.random()
        kind, mime, w, h, dur = (("video", "video/mp4", 1920, 1080, rng.randrange(3000, 60000)) if r < 0.05 else
                                 ("image", "image/jpeg", 1600, 1200, None))
        tagged = rng.sample(pool, k=rng.randint(1, len(pool))) if pool and rng.random() < 0.9 else []
        hidden = [c for c in tagged if not consent[c][1]]
        redacted = "%064x" % rng.getrandbits(256) if hidden and rng.random() < 0.5 else None
        cur.execute("INSERT INTO media (id, entry_id, position, kind, mime, bytes, sha256, redacted_sha256, width, height,"
                    " duration_ms, state, uploaded_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (mid, eid, pos, kind, mime, rng.randrange(200_000, 4_000_000), "%064x" % rng.getrandbits(256),
                     redacted, w, h, dur, "ready", rng.choice(staff), t))
        for cid in tagged:
            cur.execute("INSERT INTO media_children VALUES (?,?,?)", (mid, cid, int(bool(redacted) and cid in hidden)))
        media_made += 1

for i in range(a.comments):
    eid, cid = pairs[rng.randrange(len(pairs))]
    cur.execute("INSERT INTO comments (id, entry_id, child_id, author_id, body, created_at) VALUES (?,?,?,?,?,?)",
                (hexid(), eid, cid, rng.choice(staff), "Lovely to see!", now))
db.commit()
db.execute("ANALYZE")
db.close()
print(f"generated {a.children} children, {a.entries} entries ({len(pairs)} child tags), {media_made} media, "
      f"{a.comments} comments")
