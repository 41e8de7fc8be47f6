/**
 * The main window's size, position and maximised state, kept in window-state.json in the
 * user-data folder and restored at the next start — moved back onto a display if the display it
 * was on is gone (a laptop undocked, a monitor unplugged).
 */
import type { TrackedWindow } from './shapes';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIN_WINDOW } from './security';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** absent: let the OS place the window */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1360, height: 860, maximized: false };

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The saved state, or null when the file is missing, not JSON, or holds anything but numbers. */
export function parseWindowState(text: string): WindowState | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  if (!finite(o.width) || !finite(o.height) || o.width <= 0 || o.height <= 0) return null;
  const state: WindowState = {
    width: Math.round(o.width),
    height: Math.round(o.height),
    maximized: o.maximized === true,
  };
  if (finite(o.x) && finite(o.y)) {
    state.x = Math.round(o.x);
    state.y = Math.round(o.y);
  }
  return state;
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Fits a saved state to today's displays (their work areas, primary first): the window goes to
 * the display it overlaps most (the primary one when it overlaps none), is no larger than that
 * display's work area nor smaller than the minimum, and lies wholly inside it.
 */
export function clampToDisplays(
  state: WindowState,
  workAreas: readonly Rect[],
  min: { width: number; height: number } = MIN_WINDOW,
): WindowState {
  if (workAreas.length === 0) return state;
  const width0 = Math.max(state.width, min.width);
  const height0 = Math.max(state.height, min.height);
  let area = workAreas[0];
  let placed = false;
  if (state.x !== undefined && state.y !== undefined) {
    const rect = { x: state.x, y: state.y, width: width0, height: height0 };
    let best = 0;
    for (const a of workAreas) {
      const o = overlap(rect, a);
      if (o > best) {
        best = o;
        area = a;
      }
    }
    placed = best > 0;
  }
  const width = Math.min(width0, area.width);
  const height = Math.min(height0, area.height);
  if (!placed) {
    // its display is gone (or it was never placed): centre it on the primary display
    return {
      x: Math.round(area.x + (area.width - width) / 2),
      y: Math.round(area.y + (area.height - height) / 2),
      width,
      height,
      maximized: state.maximized,
    };
  }
  const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
  return {
    x: clamp(state.x!, area.x, area.x + area.width - width),
    y: clamp(state.y!, area.y, area.y + area.height - height),
    width,
    height,
    maximized: state.maximized,
  };
}

/** The state to restore: the saved one fitted to the displays, else the default, centred. */
export function loadWindowState(file: string, workAreas: readonly Rect[]): WindowState {
  let saved: WindowState | null = null;
  try {
    saved = parseWindowState(readFileSync(file, 'utf8'));
  } catch {
    saved = null;
  }
  return clampToDisplays(saved ?? DEFAULT_WINDOW_STATE, workAreas);
}

/** Written whole to a temporary file and renamed, so a crash never leaves half a file. */
export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n');
  renameSync(tmp, file);
}

export type { TrackedWindow } from './shapes';

/** The state a window is in now: its normal (un-maximised) bounds and whether it is maximised. */
export function stateOf(win: TrackedWindow): WindowState {
  const b = win.getNormalBounds();
  return { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() };
}

/** Saves the window's state when it closes (a failed write never blocks closing). */
export function keepWindowState(win: TrackedWindow, file: string): void {
  win.on('close', () => {
    try {
      saveWindowState(file, stateOf(win));
    } catch {
      // a read-only profile folder: the next start uses the default size
    }
  });
}
