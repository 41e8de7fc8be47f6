/** Messages between a team database's SQL port and its driver thread (pg-driver-worker.ts). */
import type { MessagePort } from 'node:worker_threads';

export interface DriverStart {
  url: string;
  application: string;
  /** Int32Array[1]: 1 when a sync reply is waiting on syncReply */
  signal: SharedArrayBuffer;
  syncReply: MessagePort;
  asyncReply: MessagePort;
}

export type DriverRequest = { id: number; sync: boolean } & (
  | { op: 'connect' }
  | { op: 'end' }
  | { op: 'query'; text: string; values: unknown[]; booleans: 'int' | 'keep' }
  /** data: COPY text, or its UTF-8 bytes (transferred, not copied) */
  | { op: 'copy'; text: string; data: string | Uint8Array }
);

export interface DriverError {
  message: string;
  code?: string;
  detail?: string;
  constraint?: string;
}

export type DriverReply =
  | { id: number; rows: unknown[][]; fields: string[]; rowCount: number; error?: undefined }
  | { id: number; error: DriverError };
