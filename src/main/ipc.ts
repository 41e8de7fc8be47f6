import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { IPC_CHANNEL } from '../preload/channel';
import type { ApiContext } from './api/context';
import { dispatch } from './api/dispatch';

/**
 * Registers the contract on the one IPC channel. Only calls that `isTrusted` accepts are served
 * (our window's main frame showing one of our pages: security.ts isTrustedSender); every input
 * is validated by dispatch() against the method's zod schema.
 */
export function registerContract(ctx: ApiContext, isTrusted: (event: IpcMainInvokeEvent) => boolean): void {
  ipcMain.handle(IPC_CHANNEL, async (event, name: unknown, input: unknown) => {
    if (!isTrusted(event)) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'call from an unknown frame' } };
    }
    if (typeof name !== 'string')
      return { ok: false, error: { code: 'UNKNOWN_METHOD', message: 'method name must be a string' } };
    return dispatch(ctx, name, input);
  });
}
