/** The app version, injected at build time by esbuild/vite `define`, else read by the caller. */
declare const __APP_VERSION__: string | undefined;
export const appVersion: string = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.1.0';
