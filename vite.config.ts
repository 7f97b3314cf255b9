import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

export default defineConfig({
  // Relative URLs: dist/ works from any sub-path (a course site, a static host), not only from a domain's root.
  base: './',
  plugins: [
    react(),
    // A service worker precaches the built page, the simulator worker and the shipped scenarios: after one visit
    // the lab opens and reloads offline (Workbox precaching, https://vite-pwa-org.netlify.app/guide/).
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script-defer',
      includeAssets: ['favicon.svg', 'scenarios/*.json'],
      manifest: {
        name: 'GETLab — GET VPN multicast rekey over DMVPN',
        short_name: 'GETLab',
        description: 'GET VPN multicast rekey over DMVPN, simulated packet by packet in the browser',
        start_url: './',
        scope: './',
        display: 'standalone',
        background_color: '#eef1f4',
        theme_color: '#1f4e79',
        icons: [{ src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,json,webmanifest}'],
        // The page bundle (Cytoscape, React) is larger than Workbox's 2 MiB default limit allows for comfort.
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
        // The first visit's page is taken over at once, so it already works offline (no second visit needed).
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  worker: { format: 'es' },
  server: { port: 5173, strictPort: true },
  preview: { port: 4173, strictPort: true },
  build: { chunkSizeWarningLimit: 1500 },
});
