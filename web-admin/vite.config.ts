// Vite builds dist/ (embedded by embed.go). The build is deterministic:
// no source maps, no timestamps, content-hashed names only.
// `make web-dev` runs the dev server, proxying /graphql (websocket
// included) to a `mashang serve` at MASHANG_DEV_API (default 127.0.0.1:8080).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const api = process.env.MASHANG_DEV_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
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
