import { useSyncExternalStore } from 'react';

/**
 * A tiny hash router: `#/blacklist?partner=P1` → { path: 'blacklist', params }. Hash routes keep
 * deep links working under file:// (the packaged app) as well as on the loopback bridge.
 */
export interface HashLocation {
  path: string;
  params: URLSearchParams;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const getHash = (): string => window.location.hash;

export function parseHash(hash: string): HashLocation {
  const raw = hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = (q < 0 ? raw : raw.slice(0, q)).replace(/\/+$/, '');
  return { path, params: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
}

export function useHashLocation(): HashLocation {
  const hash = useSyncExternalStore(subscribe, getHash);
  return parseHash(hash);
}

/** Query parameters of a hash route; empty and undefined values are left out. */
export type HashParams = Record<string, string | null | undefined>;

function withParams(path: string, params?: HashParams): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** `hrefFor('lookup', { order: 'O1' })` → `#/lookup?order=O1`. */
export function hrefFor(path: string, params?: HashParams): string {
  return '#/' + withParams(path, params);
}

/** Replaces the current entry (no extra history step), e.g. to redirect an unknown route. */
export function redirect(path: string, params?: HashParams): void {
  const url = new URL(window.location.href);
  url.hash = '/' + withParams(path, params);
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function navigate(path: string, params?: HashParams): void {
  window.location.hash = '/' + withParams(path, params);
}
