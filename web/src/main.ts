import './styles.css';
import './app';
// Staff see which families liked an entry (issue 22); registered here, used on the staff entry page.
import './views/entry-hearts';

// The service worker keeps only the app shell for offline start-up; never journal data.
if ('serviceWorker' in navigator && window.isSecureContext && import.meta.env.PROD) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => {
      // Without it the app still works online; nothing to tell the person.
    });
  });
}
