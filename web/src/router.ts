// Path-based navigation for a single-page app: nginx answers every unknown path with
// index.html, links are intercepted here, and views re-render on change.

export type RouteListener = (path: string) => void;
const listeners = new Set<RouteListener>();

export function currentPath(): string {
  return window.location.pathname;
}

export function navigate(path: string, replace = false): void {
  if (path === currentPath() + window.location.search && !replace) return;
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  // Listeners get the path alone; a query string (e.g. ?next=) is read where it matters.
  listeners.forEach((l) => l(currentPath()));
}

export function onRouteChange(listener: RouteListener): void {
  listeners.add(listener);
}

// A layer over the page (the photo viewer) pushes a history entry when it opens, so the
// phone's Back closes it; while it is open, the next Back is the layer's, not a navigation.
let backHandler: (() => void) | null = null;
export function holdBack(handler: (() => void) | null): void {
  backHandler = handler;
}

window.addEventListener('popstate', () => {
  if (backHandler) {
    const handler = backHandler;
    backHandler = null;
    handler();
    return;
  }
  listeners.forEach((l) => l(currentPath()));
});

// Same-origin <a href="/..."> clicks navigate without reloading.
document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  const anchor = (event.target as Element | null)?.closest?.('a');
  if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
  const url = new URL(anchor.href, window.location.href);
  if (url.origin !== window.location.origin || url.pathname.startsWith('/api/')) return;
  // A place on this same page (#main, #comments): the browser's own jump.
  if (url.hash && url.pathname === window.location.pathname && url.search === window.location.search) return;
  event.preventDefault();
  // The place on the new page (e.g. #comments) goes along; the view reads it once it has loaded.
  navigate(url.pathname + url.search + url.hash);
});
