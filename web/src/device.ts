// This tablet's registration with the box (policies 002, 004: staff use only the setting's
// own devices). At enrolment the browser makes an ECDSA P-256 key whose private half cannot be
// exported (WebCrypto, extractable: false) and keeps it in IndexedDB; the box keeps the public
// half. To sign in, switch user or renew a session, the tablet signs a fresh one-time
// challenge from the box. Residual risk (README, Security): someone with the unlocked tablet
// can use the key, but cannot copy it elsewhere; a lost tablet is revoked from any other.

import { api, ApiError } from './api';

export interface RegisteredDevice {
  id: string;
  name: string;
  keys: CryptoKeyPair;
}

export interface DeviceProof {
  device_id: string;
  challenge: string;
  signature: string;
}

const DB = 'nestbox-device';
const STORE = 'device';
const KEY = 'this';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withStore<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = work(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

export async function registeredDevice(): Promise<RegisteredDevice | null> {
  try {
    return (await withStore<RegisteredDevice | undefined>('readonly', (s) => s.get(KEY))) ?? null;
  } catch {
    return null;  // private browsing or storage switched off: not a registered tablet
  }
}

export async function forgetDevice(): Promise<void> {
  try {
    await withStore('readwrite', (s) => s.delete(KEY));
  } catch {
    // Nothing stored to forget.
  }
}

function base64(bytes: ArrayBuffer): string {
  let text = '';
  for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
  return btoa(text);
}

// Registers this browser with a manager's one-time code; returns the device's name.
export async function enrolDevice(code: string): Promise<RegisteredDevice> {
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const publicKey = base64(await crypto.subtle.exportKey('spki', keys.publicKey));
  const { device } = await api<{ device: { id: string; name: string } }>('POST', '/devices/enrol', { code, public_key: publicKey });
  const registered: RegisteredDevice = { id: device.id, name: device.name, keys };
  await withStore('readwrite', (s) => s.put(registered, KEY));
  return registered;
}

// Signs a fresh challenge from the box. A device the box no longer knows (revoked, re-enrolled
// elsewhere) is forgotten here, and null comes back.
export async function deviceProof(device?: RegisteredDevice | null): Promise<DeviceProof | null> {
  const d = device === undefined ? await registeredDevice() : device;
  if (!d) return null;
  let challenge: string;
  try {
    ({ challenge } = await api<{ challenge: string }>('POST', `/devices/${d.id}/challenge`, {}));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      await forgetDevice();
      return null;
    }
    throw error;
  }
  const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, d.keys.privateKey,
    new TextEncoder().encode(challenge));
  return { device_id: d.id, challenge, signature: base64(signature) };
}
