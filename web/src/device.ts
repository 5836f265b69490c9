// This tablet's registration with the box (policies 002, 004: staff use only the setting's
// own devices). At enrolment the browser makes an ECDSA P-256 key whose private half cannot be
// exported (WebCrypto, extractable: false) and keeps it in IndexedDB; the box keeps the public
// half. To sign in, switch user or renew a session, the tablet signs a fresh one-time
// challenge from the box. Residual risk (README, Security): someone with the unlocked tablet
// can use the key, but cannot copy it elsewhere; a lost tablet is revoked from any other.

import { api, ApiError } from './api';
import { KeyStore, newSigningKey, sign } from './key-store';

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

const kept = new KeyStore<RegisteredDevice>('nestbox-device', 'device', 'this');

export async function registeredDevice(): Promise<RegisteredDevice | null> {
  return kept.get();  // null: not a registered tablet
}

export async function forgetDevice(): Promise<void> {
  await kept.remove();
}

// Registers this browser with a manager's one-time code; returns the device's name.
export async function enrolDevice(code: string): Promise<RegisteredDevice> {
  const { keys, publicKey } = await newSigningKey();
  const { device } = await api<{ device: { id: string; name: string } }>('POST', '/devices/enrol', { code, public_key: publicKey });
  const registered: RegisteredDevice = { id: device.id, name: device.name, keys };
  await kept.put(registered);
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
  return { device_id: d.id, challenge, signature: await sign(d.keys, challenge) };
}
