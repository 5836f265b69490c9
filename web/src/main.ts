import './styles.css';
import './app';

// The service worker keeps only the app shell for offline start-up; never journal data.
if ('serviceWorker' in navigator && window.isSecureContext && import.meta.env.PROD) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => {
      // Without it the app still works online; nothing to tell the person.
    });
  });
}
