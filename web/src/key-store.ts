// Keys this browser keeps in IndexedDB: the registered tablet's (device.ts) and a family's
// remembered phone's (remember.ts). Each is an ECDSA P-256 key pair made with
// extractable: false, so the private half can sign here but cannot be copied elsewhere.

function openDb(db: string, store: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(db, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(store);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

// One named value in one object store of one database.
export class KeyStore<T> {
  constructor(private readonly db: string, private readonly store: string, private readonly key: string) {}

  private async with<R>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<R>): Promise<R> {
    const db = await openDb(this.db, this.store);
    try {
      return await new Promise<R>((resolve, reject) => {
        const request = work(db.transaction(this.store, mode).objectStore(this.store));
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    } finally {
      db.close();
    }
  }

  // null when nothing is kept, or storage is switched off (private browsing).
  async get(): Promise<T | null> {
    try {
      return (await this.with<T | undefined>('readonly', (s) => s.get(this.key))) ?? null;
    } catch {
      return null;
    }
  }

  async put(value: T): Promise<void> {
    await this.with('readwrite', (s) => s.put(value, this.key));
  }

  async remove(): Promise<void> {
    try {
      await this.with('readwrite', (s) => s.delete(this.key));
    } catch {
      // Nothing kept to forget.
    }
  }
}

export function base64(bytes: ArrayBuffer): string {
  let text = '';
  for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
  return btoa(text);
}

export async function newSigningKey(): Promise<{ keys: CryptoKeyPair; publicKey: string }> {
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  return { keys, publicKey: base64(await crypto.subtle.exportKey('spki', keys.publicKey)) };
}

export async function sign(keys: CryptoKeyPair, text: string): Promise<string> {
  return base64(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keys.privateKey, new TextEncoder().encode(text)));
}
