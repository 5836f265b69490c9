#!/usr/bin/env python3
"""Fills a Nestbox database (already migrated by nestboxd, daemon stopped) with a generated
setting for benchmarks: rooms with half-termly release dates, children with two carers each,
staff, entries over several years with children and curriculum links, and comments.

  make_setting.py DB --children 120 --years 5 --entries 150000 --comments 300000 \
                  --parent PARENT_ID [--seed 1]

PARENT_ID (a real, signed-in-able parent account made through the API) becomes a carer of
the first child, so its feed can be measured. Generated accounts have no usable password.
Media references come with the media issue; this generator does not make them yet."""
import argparse, random, sqlite3, time

p = argparse.ArgumentParser()
p.add_argument("db")
p.add_argument("--children", type=int, default=120)
p.add_argument("--years", type=int, default=5)
p.add_argument("--entries", type=int, default=150000)
p.add_argument("--comments", type=int, default=300000)
p.add_argument("--parent", required=True)
p.add_argument("--seed", type=int, default=1)
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
    cur.execute("INSERT INTO children VALUES (?,?,?,?,?,?,?,?,?,?)",
                (cid, f"Child{i}", f"Family{i}", "2021-01-01", room, rng.choice(staff), "2021-09-01", None, start, start))
    for j in range(2):
        pid = hexid()
        cur.execute("INSERT INTO users (id, username, display_name, role, password_hash, password_changed_at, created_at, updated_at)"
                    " VALUES (?,?,?,?,?,?,?,?)", (pid, f"parent{i}.{j}", f"Carer {i}.{j}", "parent", "!", start, start, start))
        cur.execute("INSERT INTO child_carers VALUES (?,?)", (cid, pid))
cur.execute("INSERT INTO child_carers VALUES (?,?)", (children[0][0], a.parent))

by_room = {}
for cid, room in children:
    by_room.setdefault(room, []).append(cid)
aspects = ["eyfs.cl.lau", "eyfs.cl.sp", "eyfs.psed.sr", "eyfs.pd.gm", "eyfs.l.c", "eyfs.m.n", "eyfs.uw.nw", "eyfs.ead.cm"]
pairs = []
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
    for asp in rng.sample(aspects, k=rng.choice([0, 1, 2])):
        cur.execute("INSERT INTO entry_links VALUES (?,?)", (eid, asp))

for i in range(a.comments):
    eid, cid = pairs[rng.randrange(len(pairs))]
    cur.execute("INSERT INTO comments (id, entry_id, child_id, author_id, body, created_at) VALUES (?,?,?,?,?,?)",
                (hexid(), eid, cid, rng.choice(staff), "Lovely to see!", now))
db.commit()
db.execute("ANALYZE")
db.close()
print(f"generated {a.children} children, {a.entries} entries ({len(pairs)} child tags), {a.comments} comments")
