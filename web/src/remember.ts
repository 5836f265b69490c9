// A family's remembered phone (issue 32; README "Sessions"). "Keep me signed in on this phone"
// makes an ECDSA P-256 key whose private half cannot leave this browser (extractable: false),
// kept in IndexedDB; the box keeps the public half with the session. The cookie alone is not
// enough for long: at least daily, and after every idle spell, the box asks for a fresh token
// and gives one only for this key's signature over its challenge. A copied cookie stops
// working at the next renewal, and using it after the phone has renewed ends every session
// of the account.

import { request } from './api';
import { KeyStore, newSigningKey, sign } from './key-store';

const kept = new KeyStore<CryptoKeyPair>('nestbox-remember', 'remember', 'this');

// A new key for a new remembered sign-in; its public half goes with the sign-in. null when this
// browser cannot keep one (private browsing): the sign-in then is an ordinary one.
export async function newRememberKey(): Promise<string | null> {
  try {
    const { keys, publicKey } = await newSigningKey();
    await kept.put(keys);
    return publicKey;
  } catch {
    return null;
  }
}

export async function forgetRememberKey(): Promise<void> {
  await kept.remove();
}

// One renewal at a time: every request that found the token due waits for the same one.
let renewing: Promise<boolean> | null = null;

export function renewRememberedSession(): Promise<boolean> {
  renewing ??= (async () => {
    try {
      const keys = await kept.get();
      if (!keys) return false;
      const { challenge } = await request<{ challenge: string }>('POST', '/auth/remember/challenge', {});
      await request('POST', '/auth/remember/renew', { challenge, signature: await sign(keys, challenge) });
      return true;
    } catch {
      return false;
    } finally {
      renewing = null;
    }
  })();
  return renewing;
}
