/**
 * Exposes exactly the methods of the contract as window.yunke (contextIsolation + sandbox).
 * Never ipcRenderer itself: each method is a function that sends one named, validated call.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { methodNames } from '../main/api/contract';
import { IPC_CHANNEL } from './channel';

type Call = (input?: unknown) => Promise<unknown>;

const api: Record<string, Record<string, Call>> = {};
for (const name of methodNames) {
  const dot = name.indexOf('.');
  const domain = name.slice(0, dot);
  const verb = name.slice(dot + 1);
  api[domain] ??= {};
  api[domain][verb] = async (input?: unknown) => {
    const result = (await ipcRenderer.invoke(IPC_CHANNEL, name, input ?? {})) as
      | { ok: true; value: unknown }
      | { ok: false; error: { code: string; message: string; details?: unknown } };
    if (result.ok) return result.value;
    throw Object.assign(new Error(result.error.message), result.error);
  };
}

contextBridge.exposeInMainWorld('yunke', api);
