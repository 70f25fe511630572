// Vite builds the SPA into dist/ (served by the server at /) and, in development, proxies the
// REST API to a running `npm start` so cookies stay same-origin.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const apiTarget = process.env.CABINET_API_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, proxy: { '/api': { target: apiTarget, changeOrigin: false } } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Route chunks stay small; the vendor split keeps antd and echarts out of the first paint.
    chunkSizeWarningLimit: 1500,
  },
});
