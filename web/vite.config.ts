import { defineConfig } from 'vite';
import { serviceWorker } from './build/service-worker';

export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: ['es2020', 'safari14'],
    sourcemap: false,
    // Everything as files: the Content-Security-Policy allows scripts and styles from 'self' only.
    assetsInlineLimit: 0,
  },
  plugins: [serviceWorker()],
});
