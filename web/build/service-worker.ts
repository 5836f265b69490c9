// Vite plugin: writes dist/sw.js, a service worker that caches the app shell only — the
// built HTML, scripts, styles, manifest and icons of this build — and nothing under /api/,
// so no journal data or media is ever stored by it.
import type { Plugin } from 'vite';
import { createHash } from 'node:crypto';

const WORKER = (version: string, shell: string[]) => `// Generated at build time by build/service-worker.ts.
const CACHE = 'nestbox-shell-${version}';
const SHELL = ${JSON.stringify(shell)};

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('nestbox-shell-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  // Only the app shell, from this origin; the API and anything else go straight to the network.
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    // Network first so a new version shows at once; the cached shell when the box is unreachable.
    event.respondWith(fetch(request).catch(() => caches.match('/index.html')));
    return;
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(request)));
  }
});
`;

export function serviceWorker(): Plugin {
  return {
    name: 'nestbox-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const built = Object.keys(bundle).map((file) => `/${file}`);
      const shell = ['/index.html', '/manifest.webmanifest', '/icons/icon.svg', '/icons/icon-192.png', '/icons/icon-512.png',
        ...built.filter((f) => f !== '/index.html')].sort();
      const version = createHash('sha256').update(shell.join('\n')).digest('hex').slice(0, 12);
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: WORKER(version, shell) });
    },
  };
}
