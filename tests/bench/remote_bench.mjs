// Remote access (issue 31): what the relay costs. In the namespace topology of tests/remote
// (the box behind a NAT, WireGuard to the relay, nginx stream forwarding TLS by name), the same
// load twice in one run, from the same home: through the relay, and straight to the box through
// the setting's router forwarding 443 (as in direct mode), so both cross the same simulated
// internet. Each figure is the relay's divided by the straight one (issue 31 asks for 0.8 or
// better), first with the WireGuard tunnel as deployed (wireguard-go at both ends here: this
// kernel has no WireGuard, and both ends share the box's 2 cores), then with the tunnel's
// addresses on a plain link, which leaves the relay's own cost:
//   - 40 parents reading their feeds at once (wrk, 50 connections, the 40 sessions in turn),
//     on a generated setting, with staff posting a released observation every 2 s meanwhile;
//   - a 300 MB video uploaded with tus in 8 MiB chunks;
// and what the relay spends per connection (its nginx and wireguard-go: memory per open
// connection, CPU per request), for the README's "one relay for many settings".
//   node tests/bench/remote_bench.mjs   (root; tests/bench/run builds the release tree first)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { benchSetup, repo } from './bench_stack.mjs';

const { root, Stack } = await benchSetup('nestbox-remote-bench-');
const { Topology, IFACES } = await import('../remote/netns.mjs');
const { Client, tusUpload, netnsConnection, makePublicCertificate, PUBLIC_NAME } = await import('../integration/harness.mjs');

const PARENTS = Number(process.env.NESTBOX_BENCH_PARENTS || 40);
const SECONDS = Number(process.env.NESTBOX_BENCH_SECONDS || 8);
const SIZE = 300 * 1000 * 1000;
const ms = (text) => { const m = text.match(/([\d.]+)(us|ms|s)/); return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]]; };

const net = await Topology.create({ mode: 'relay' });
const A = net.addresses;
let stack;
try {
  stack = await Stack.start({ netns: net.ns.box, extraConfig: `threads = ${process.env.NESTBOX_THREADS || 4}` });
  const manager = await stack.setUp();
  const parents = [];
  for (let i = 0; i < PARENTS; i++) parents.push(await stack.addUser(manager, `bench.parent${i}`, 'parent', 'blue whale singing'));
  await stack.daemon.stop();
  const mapFile = path.join(root, 'map.json');
  execFileSync('python3', [path.join(repo, 'tests/bench/make_setting.py'), path.join(stack.dataDir, 'nestbox.db'),
    '--parent', parents.map((p) => p.id).join(','), '--map', mapFile,
    '--children', '80', '--years', '1', '--entries', '6000', '--media', '16000', '--comments', '6000'], { stdio: 'inherit' });
  const childOf = Object.fromEntries(JSON.parse(fs.readFileSync(mapFile, 'utf8')).map((m) => [m.parent, m.child]));
  await stack.daemon.start();
  for (const p of parents) {
    await p.client.signIn(`bench.parent${parents.indexOf(p)}`, 'blue whale singing');
    await p.client.post('/api/v1/agreement/accept', { version: (await p.client.get('/api/v1/agreement')).json.version });
  }
  const staff = await stack.addUser(manager, 'bench.staff', 'staff', 'green apple orchard');

  // Remote access by relay, as IT turns it on; a certificate from a stand-in public CA (the
  // ACME step is the journey test's, not a cost of every request).
  const env = {
    NESTBOX_REMOTE_ETC: path.join(root, 'remote-etc'), NESTBOX_DATA_DIR: stack.dataDir, NESTBOX_NGINX_SITE: stack.nginxDir,
    NESTBOX_LIBEXEC: path.join(repo, 'systemd'), NESTBOX_REMOTE_SHARE: path.join(repo, 'systemd/relay'),
    NESTBOX_OUTSIDE_TEMPLATE: path.join(repo, 'systemd/nginx/nestbox-outside.conf.in'), NESTBOX_WG_DIR: path.join(root, 'wg'),
    NESTBOX_WG_UP: 'true', NESTBOX_NGINX_RELOAD: 'true',
  };
  await net.execAsync('box', path.join(repo, 'systemd/nestbox-remote'), ['remote', 'relay', '--public-name', PUBLIC_NAME,
    '--relay-endpoint', A.relay.public, '--relay-key', net.keys.relayPublic], { env });
  const publicCa = makePublicCertificate(path.join(stack.dataDir, 'tls/public'), PUBLIC_NAME);
  process.kill(stack.nginx.pid, 'SIGHUP');
  // Straight to the box from the same home: the setting's router forwarding 443 to it (as in
  // direct mode), so both paths cross the same simulated internet and differ by the relay alone.
  net.exec('lan', 'nft', ['add', 'rule', 'ip', 'nestbox_router', 'prerouting', 'iifname', IFACES.lanWan, 'tcp', 'dport', '443',
    'dnat', 'to', `${A.box.private}:${stack.httpsPort}`]);
  net.exec('lan', 'nft', ['add', 'rule', 'ip', 'nestbox_router', 'forward', 'iifname', IFACES.lanWan, 'ct', 'status', 'dnat', 'accept']);
  const boxLan = `https://${A.lan.public}`;
  const viaRelay = `https://${PUBLIC_NAME}`;
  const viaHome = { httpsPort: 443, hostName: PUBLIC_NAME, ca: publicCa, client() { return new Client(this); }, async tablet() { return null; },
    connect(done) { done(null, tls.connect({ socket: netnsConnection(net.ns.home, A.relay.public, 443), servername: PUBLIC_NAME, ca: publicCa })); } };
  const viaLan = { httpsPort: 443, hostName: A.lan.public, ca: stack.ca, client() { return new Client(this); }, async tablet() { return null; },
    connect(done) { done(null, tls.connect({ socket: netnsConnection(net.ns.home, A.lan.public, 443), servername: 'localhost', ca: stack.ca })); } };
  await net.waitFor(async () => (await viaHome.client().get('/api/v1/box').then((r) => r.status, () => 0)) === 200, 'the public name through the relay');

  // wrk from `ns` (home: through the relay; lan: straight to the box), the parents' sessions in turn.
  const script = path.join(root, 'cookies.lua');
  fs.writeFileSync(script, `local cookies = {${parents.map((p) => `"__Host-nestbox=${p.client.cookie}"`).join(',')}}\nlocal i = 0\n` +
    'request = function()\n  i = i % #cookies + 1\n  wrk.headers["Cookie"] = cookies[i]\n  return wrk.format()\nend\n');
  const wrk = async (ns, base) => {
    const { stdout } = await net.execAsync(ns, 'wrk', ['-t2', '-c50', `-d${SECONDS}s`, '--latency', '-s', script, `${base}/api/v1/feed?limit=20`]);
    const non2xx = stdout.match(/Non-2xx or 3xx responses: (\d+)/);
    if (non2xx) throw new Error(`${ns}: ${non2xx[1]} error responses`);
    return { rps: Number(stdout.match(/Requests\/sec:\s+([\d.]+)/)[1]), p99: ms(stdout.match(/\s99%\s+(\S+)/)[1]), requests: Number(stdout.match(/(\d+) requests in/)[1]) };
  };
  // Staff post a released observation every 2 s while `during` runs.
  const today = new Date().toISOString().slice(0, 10);
  const writing = async (during) => {
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        const next = Date.now() + 2000;
        await staff.client.post('/api/v1/entries', { kind: 'observation', status: 'journal', title: `Bench ${i}`, body: 'Sand.',
          observed_on: today, child_ids: [childOf[parents[i % parents.length].id]], aspect_ids: [] });
        await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
      }
    })();
    const result = await during();
    stop = true;
    await writer;
    return result;
  };
  // CPU seconds (user + system) and resident memory of the relay's processes.
  // The processes of one namespace whose name matches (/proc is the host's: filtered by netns).
  const pidsIn = (role, names) => execFileSync('ip', ['netns', 'pids', net.ns[role]], { encoding: 'utf8' }).split(/\s+/).filter(Boolean)
    .filter((pid) => { try { return names.test(fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim()); } catch { return false; } });
  const relayPids = () => pidsIn('relay', /^(nginx|wireguard-go)$/);
  const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
  const relayCpu = () => relayPids().reduce((sum, pid) => {
    try { const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return sum + (Number(f[11]) + Number(f[12])) / ticks; } catch { return sum; }
  }, 0);
  // The box's nginx and nestboxd (not its wireguard-go: the tunnel's cost is counted apart).
  const boxPids = () => pidsIn('box', /^(nginx|nestboxd)$/);
  const boxCpu = () => boxPids().reduce((sum, pid) => {
    try { const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return sum + (Number(f[11]) + Number(f[12])) / ticks; } catch { return sum; }
  }, 0);
  const relayRss = () => relayPids().reduce((sum, pid) => {
    try { return sum + Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]); } catch { return sum; }
  }, 0);

  // The 300 MB video (a real MP4 grown with a 'free' box), uploaded by a parent.
  const file = path.join(root, 'video.mp4');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=1280x720:rate=25', '-t', '5',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-y', file]);
  const head = fs.readFileSync(file);
  const bytes = Buffer.alloc(SIZE);
  head.copy(bytes);
  bytes.writeUInt32BE(SIZE - head.length, head.length);
  bytes.write('free', head.length + 4);
  const upload = async (via) => {
    const c = via.client();
    await c.signIn('bench.parent0', 'blue whale singing');
    const t = process.hrtime.bigint();
    await tusUpload(c, bytes, { filename: 'video.mp4' });
    return SIZE / 1e6 / (Number(process.hrtime.bigint() - t) / 1e9);
  };

  // One configuration of the relay against straight to the box: each twice, alternating, the
  // better of each taken (the machine's other work varies).
  const compare = async (label) => {
    const feed = { relay: [], lan: [] };
    const up = { relay: [], lan: [] };
    let relaySeconds = 0, relayRequests = 0, busyRss = 0, boxRelayed = 0, boxStraight = 0;
    const idleRss = relayRss();
    for (let round = 0; round < 2; round++) {
      const before = relayCpu();
      const boxBefore = boxCpu();
      let peak = 0;
      const sampler = setInterval(() => { peak = Math.max(peak, relayRss()); }, 500);
      const r = await writing(() => wrk('home', viaRelay));
      clearInterval(sampler);
      relaySeconds += relayCpu() - before;
      relayRequests += r.requests;
      boxRelayed += (boxCpu() - boxBefore) / r.requests;
      busyRss = Math.max(busyRss, peak);
      feed.relay.push(r);
      const straightBefore = boxCpu();
      const l = await writing(() => wrk('home', boxLan));
      boxStraight += (boxCpu() - straightBefore) / l.requests;
      feed.lan.push(l);
    }
    for (let round = 0; round < 2; round++) {
      up.relay.push(await upload(viaHome));
      up.lan.push(await upload(viaLan));
    }
    const best = (xs) => xs.reduce((a, b) => (b.rps > a.rps ? b : a));
    const fr = best(feed.relay), fl = best(feed.lan);
    const ur = Math.max(...up.relay), ul = Math.max(...up.lan);
    console.log(`== ${label}`);
    console.log(`${PARENTS} parents' feeds, staff writing every 2 s: through the relay ${fr.rps.toFixed(0)} req/s (p99 ${fr.p99.toFixed(1)} ms), ` +
      `straight to the box ${fl.rps.toFixed(0)} req/s (p99 ${fl.p99.toFixed(1)} ms): ratio ${(fr.rps / fl.rps).toFixed(2)}`);
    console.log(`300 MB video upload (tus, 8 MiB chunks): through the relay ${ur.toFixed(1)} MB/s, straight to the box ${ul.toFixed(1)} MB/s: ` +
      `ratio ${(ur / ul).toFixed(2)}`);
    console.log(`the box's own CPU per feed request (nginx and nestboxd): ${(boxRelayed / 2 * 1e6).toFixed(0)} µs through the relay, ` +
      `${(boxStraight / 2 * 1e6).toFixed(0)} µs straight: the box serves ${(boxStraight / boxRelayed).toFixed(2)} as many through the relay ` +
      'when the relay is another machine');
    console.log(`the relay host's processes: ${(relaySeconds * 1e6 / relayRequests).toFixed(0)} µs of CPU per feed request, ` +
      `${((busyRss - idleRss) / 50).toFixed(0)} KiB resident per open connection (50 connections; ${idleRss} KiB idle)`);
  };

  await compare('relay over WireGuard, as deployed (here wireguard-go at both ends, on the same 2 cores as the box)');

  // The relay's own cost: the same relay, the tunnel's addresses moved onto a plain link (no
  // WireGuard): what nginx stream, SNI and the PROXY header cost, apart from the tunnel's
  // crypto, which a Pi and a relay host do in their kernels.
  for (const [ns, iface, address] of [['relay', 'nbx-box', A.relay.tunnel], ['box', 'nbx-relay', A.box.tunnel]]) {
    net.ip(ns, 'addr', 'del', `${address}/32`, 'dev', iface);
    net.ip(ns, 'link', 'set', iface, 'down');
  }
  net.ip('relay', 'link', 'add', 'plain-r', 'type', 'veth', 'peer', 'name', 'plain-b', 'netns', net.ns.box);
  for (const [ns, iface, address, peer] of [['relay', 'plain-r', A.relay.tunnel, A.box.tunnel], ['box', 'plain-b', A.box.tunnel, A.relay.tunnel]]) {
    net.ip(ns, 'addr', 'add', `${address}/32`, 'dev', iface);
    net.ip(ns, 'link', 'set', iface, 'up');
    net.ip(ns, 'route', 'replace', `${peer}/32`, 'dev', iface);
  }
  await net.waitFor(async () => (await viaHome.client().get('/api/v1/box').then((r) => r.status, () => 0)) === 200, 'the relay over the plain link');
  await compare('the relay alone (nginx stream + PROXY header; the tunnel replaced by a plain link)');
} finally {
  if (stack) await stack.stop();
  await net.destroy();
  fs.rmSync(root, { recursive: true, force: true });
}
