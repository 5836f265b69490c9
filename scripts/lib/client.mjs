// A client of the box's API as a browser or tablet is one: a cookie jar, the CSRF token,
// HTTPS verified against the box CA, a registered tablet's key (P-256, signing the box's
// challenges as WebCrypto does) and tus uploads. Used by the test harness and by the demo
// seeder (scripts/demo-setting.mjs). A client's `stack` is the box it talks to:
// { httpsPort, httpPort, ca, client(), tablet() }.
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

// One browser-like user agent: a cookie jar, the CSRF token, HTTPS verified against the box CA.
export class Client {
  constructor(stack) {
    this.stack = stack;
    this.cookie = null;
    this.csrf = null;
  }

  // `tls`: extra TLS options, e.g. { pfx, passphrase } for a client certificate.
  request(method, target, { body, headers = {}, raw, useCookie = true, port, plain = false, tls = {} } = {}) {
    const payload = raw !== undefined ? raw : body !== undefined ? JSON.stringify(body) : undefined;
    // A stack may name the box differently (its public name, issue 31) and bring its own
    // connection (through a relay: a PROXY header, then TLS).
    const name = this.stack.hostName || 'localhost';
    const allHeaders = { host: `${name}:${this.stack.httpsPort}`, ...headers };
    if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      allHeaders['content-type'] = 'application/json';
    }
    if (this.cookie && useCookie) allHeaders.cookie = `__Host-nestbox=${this.cookie}`;
    if (this.csrf && method !== 'GET') allHeaders['x-csrf-token'] = this.csrf;
    const transport = plain ? http : https;
    return new Promise((resolve, reject) => {
      const req = transport.request({
        host: '127.0.0.1', port: port || (plain ? this.stack.httpPort : this.stack.httpsPort), method, path: target,
        headers: allHeaders, ca: this.stack.ca, servername: name, agent: false,
        // Node uses createConnection only when no agent is given at all.
        ...(this.stack.connect && !plain ? { agent: undefined, createConnection: (_, done) => this.stack.connect(done) } : {}),
        ...tls,
      }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => { text += d; });
        res.on('end', () => {
          let json = null;
          try { json = JSON.parse(text); } catch { /* not JSON */ }
          resolve({ status: res.statusCode, headers: res.headers, text, json });
        });
      });
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  get(target, options) { return this.request('GET', target, options); }
  post(target, body, options = {}) { return this.#remember(this.request('POST', target, { ...options, body })); }
  patch(target, body, options = {}) { return this.request('PATCH', target, { ...options, body }); }
  delete(target, options) { return this.request('DELETE', target, options); }

  async #remember(promise) {
    const res = await promise;
    const setCookie = res.headers['set-cookie'];
    if (setCookie) {
      const match = setCookie[0].match(/^__Host-nestbox=([^;]*)/);
      if (match) this.cookie = match[1] || null;
    }
    if (res.json && res.json.csrf_token) this.csrf = res.json.csrf_token;
    return res;
  }

  // Signs in on the stack's registered tablet (its proof goes with the password), or with
  // { tablet: null } from a browser that is not a registered device.
  async signIn(username, password, { tablet } = {}) {
    const device = tablet === undefined ? await this.stack.tablet() : tablet;
    return this.post('/api/v1/auth/sign-in', { username, password, ...(device ? await device.proof() : {}) });
  }
}

// A registered tablet: a P-256 key like the one its browser keeps, enrolled with a manager's
// one-time code; proof() signs a fresh challenge from the box (P1363, as WebCrypto does).
export class Tablet {
  static async enrol(stack, manager, name = 'Test tablet') {
    const created = await manager.post('/api/v1/devices', { name });
    if (created.status !== 201) throw new Error(`device create failed: ${created.text}`);
    const tablet = new Tablet(stack, created.json.device.id);
    const enrolled = await stack.client().post('/api/v1/devices/enrol', {
      code: created.json.enrolment.code, public_key: tablet.publicKey });
    if (enrolled.status !== 201) throw new Error(`enrol failed: ${enrolled.text}`);
    return tablet;
  }

  constructor(stack, id) {
    this.stack = stack;
    this.id = id;
    const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    this.privateKey = privateKey;
    this.publicKey = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  }

  async proof() {
    const res = await this.stack.client().post(`/api/v1/devices/${this.id}/challenge`);
    if (res.status !== 200) return { device_id: this.id, challenge: 'none', signature: 'none' };
    const { challenge } = res.json;
    return { device_id: this.id, challenge, signature: this.sign(challenge) };
  }

  sign(text) {
    return crypto.sign('sha256', Buffer.from(text), { key: this.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64');
  }
}

// Uploads `bytes` (a Buffer) with the tus protocol as `client`, in pieces of `chunk` bytes;
// returns the upload's id (which is also the media item's).
export async function tusUpload(client, bytes, { chunk = 8 << 20, filename = 'file.bin' } = {}) {
  const created = await client.request('POST', '/api/v1/uploads', {
    headers: { 'tus-resumable': '1.0.0', 'upload-length': String(bytes.length),
               'upload-metadata': `filename ${Buffer.from(filename).toString('base64')}` },
  });
  if (created.status !== 201) throw new Error(`tus create: ${created.status} ${created.text}`);
  const id = created.headers.location.split('/').pop();
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    const res = await client.request('PATCH', `/api/v1/uploads/${id}`, {
      raw: bytes.subarray(offset, Math.min(offset + chunk, bytes.length)),
      headers: { 'tus-resumable': '1.0.0', 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
    });
    if (res.status !== 204) {
      const error = new Error(`tus patch at ${offset}: ${res.status} ${res.text}`);
      error.response = res;
      throw error;
    }
  }
  return id;
}

// Waits until a media item is no longer being processed; returns its record.
export async function mediaReady(client, id, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await client.get(`/api/v1/media/${id}`);
    if (res.status !== 200) throw new Error(`media ${id}: ${res.status} ${res.text}`);
    if (res.json.media.state !== 'processing') return res.json.media;
    if (Date.now() > deadline) throw new Error(`media ${id} still processing`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
