import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Relative asset paths: the static files work from any directory the server maps them to.
export default defineConfig({
  base: './',
  plugins: [react()],
  build: { target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 1024 },
});
