/// <reference types="vite/client" />

/** The package version, injected by electron-vite (`define` in electron.vite.config.ts). */
declare const __APP_VERSION__: string;
