import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In development the SPA runs on Vite's server and everything the BFF answers is proxied to it, so the
// browser still sees one origin (the session cookie is SameSite=Strict and first-party).
const bff = process.env.PAYDESK_BFF_URL ?? 'http://127.0.0.1:3000';
const proxied = ['/trpc', '/exports', '/healthz', '/readyz', '/hooks'];

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    strictPort: true,
    proxy: Object.fromEntries(proxied.map((path) => [path, { target: bff, changeOrigin: false }])),
  },
  preview: { port: 4173 },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // Every browser Paydesk supports has <link rel="modulepreload">; the polyfill would only add bytes.
    modulePreload: { polyfill: false },
  },
});
