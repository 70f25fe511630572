// Vite builds the cashier renderer into dist/renderer, which the terminal core's browser-mode
// server serves at /; Electron loads the same files.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'src/renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../../dist/renderer', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
});
