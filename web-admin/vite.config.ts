// Vite builds dist/ (embedded by embed.go). The build is deterministic:
// no source maps, no timestamps, content-hashed names only.
// `make web-dev` runs the dev server, proxying /graphql (websocket
// included) to a `mashang serve` at MASHANG_DEV_API (default 127.0.0.1:8080).
//
// The scan station (/station, issue 14) is an installable PWA: the web
// manifest (manifest.webmanifest, icons from scripts/icons.mjs in public/)
// and a service worker (sw.js, Workbox generateSW) that precaches the built
// assets and answers navigations with index.html so /station loads offline.
// Only the station registers it, with scope /station (src/pages/station/
// sw.ts): the other pages are never controlled by it, so they can never be
// served stale; the SW is served with Cache-Control: no-cache (embed.go).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

const api = process.env.MASHANG_DEV_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [
    react(),
    VitePWA({
      strategies: 'generateSW',
      filename: 'sw.js',
      manifestFilename: 'manifest.webmanifest',
      // Registered by the station page itself, never by the shell.
      injectRegister: false,
      registerType: 'autoUpdate',
      scope: '/station',
      includeAssets: [],
      manifest: {
        name: '码上扫码工作台',
        short_name: '扫码工作台',
        description: '“人人有码、码上行动”门岗扫码测温登记（离线可用）',
        lang: 'zh-CN',
        id: '/station',
        start_url: '/station',
        scope: '/station',
        display: 'standalone',
        orientation: 'any',
        background_color: '#ffffff',
        theme_color: '#1a7f37',
        icons: [
          { src: '/station-icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/station-icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/station-icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/station-icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        globPatterns: ['index.html', 'assets/*.{js,css}', 'station-icon*.{png,svg}'],
        // The largest chunks (charts, the editor) are precached too: the
        // station needs few of them, but a build's chunks are all or none.
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        navigateFallback: '/index.html',
        navigateFallbackAllowlist: [/^\/station(?:\/|$)/],
        // /graphql and the websocket are never cached: scans go through the
        // station's own IndexedDB queue.
        navigateFallbackDenylist: [/^\/graphql/, /^\/healthz/, /^\/\.well-known\//],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
        sourcemap: false,
        // One file, sw.js: no workbox-<hash>.js beside it.
        inlineWorkboxRuntime: true,
      },
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        // One long-lived vendor chunk for what every page needs; pages
        // are split by React.lazy in src/routes.tsx.
        manualChunks(id) {
          if (/node_modules\/(react|react-dom|scheduler|react-router|react-router-dom|@remix-run)\//.test(id)) return 'react';
          return undefined;
        },
      },
    },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: false,
    proxy: {
      '/graphql': {
        target: api,
        ws: true,
        // The server accepts websockets from its own origin only
        // (MASHANG_ALLOWED_ORIGINS): present the API's origin.
        configure(proxy) {
          proxy.on('proxyReqWs', (req) => req.setHeader('origin', api));
          proxy.on('proxyReq', (req) => req.setHeader('origin', api));
        },
      },
    },
  },
});
