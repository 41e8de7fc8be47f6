/**
 * The renderer's one way to call main: the same typed contract (YunkeApi) over either
 * transport, chosen once at start-up.
 *  - Electron: window.yunke, exposed by the preload over IPC.
 *  - Browser on the loopback bridge (`yunke-desk serve`): POST /api/<method> with the per-run
 *    token from `?token=`, kept in sessionStorage so hash navigation and reloads keep it.
 * Every failure is an ApiCallError carrying the contract's structured { code, message, details }.
 */
import {
  methodNames,
  contract,
  type MethodInput,
  type MethodName,
  type MethodOutput,
  type YunkeApi,
} from '../../../main/api/contract';

export type {
  AppInfo,
  DashboardSummary,
  DemoLoadResult,
  MethodName,
  YunkeApi,
} from '../../../main/api/contract';
export type { ActorView, OperatorInfo, SessionStatus } from '../../../main/api/methods/operators.contract';
export type {
  EngineRunInfo,
  OrderExplanationView,
  OrderResultRow,
  PartnerDetail,
  SamePersonGroupView,
} from '../../../main/api/methods/rules.contract';

export type Transport = 'ipc' | 'bridge';

export interface ApiErrorShape {
  code: string;
  message: string;
  details?: unknown;
}

export class ApiCallError extends Error implements ApiErrorShape {
  readonly code: string;
  readonly details?: unknown;
  constructor(shape: ApiErrorShape) {
    super(shape.message);
    this.name = 'ApiCallError';
    this.code = shape.code;
    this.details = shape.details;
  }
}

/** Normalises anything thrown by a call into the contract's error shape. */
export function toApiError(e: unknown): ApiCallError {
  if (e instanceof ApiCallError) return e;
  if (e && typeof e === 'object') {
    const o = e as { code?: unknown; message?: unknown; details?: unknown };
    if (typeof o.code === 'string') {
      return new ApiCallError({
        code: o.code,
        message: typeof o.message === 'string' ? o.message : '',
        details: o.details,
      });
    }
    if (typeof o.message === 'string') return new ApiCallError({ code: 'INTERNAL', message: o.message });
  }
  return new ApiCallError({ code: 'INTERNAL', message: String(e) });
}

export interface ApiClient {
  transport: Transport;
  /** The contract grouped by domain: `client.api.dashboard.summary()`. */
  api: YunkeApi;
  /** The same call by method name. */
  call<K extends MethodName>(name: K, input?: MethodInput<K>): Promise<MethodOutput<K>>;
  /** Tables a method writes (from the contract), so callers can refresh what shows them. */
  writes(name: MethodName): readonly string[];
}

const TOKEN_KEY = 'yunke.bridgeToken';

/** Reads `?token=` once, keeps it for this tab, and removes it from the address bar. */
export function bridgeToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

type RawCall = (name: MethodName, input: unknown) => Promise<unknown>;

function ipcCall(yunke: YunkeApi): RawCall {
  const grouped = yunke as unknown as Record<string, Record<string, (input?: unknown) => Promise<unknown>>>;
  return async (name, input) => {
    const dot = name.indexOf('.');
    const fn = grouped[name.slice(0, dot)]?.[name.slice(dot + 1)];
    if (!fn)
      throw new ApiCallError({
        code: 'UNKNOWN_METHOD',
        message: `Unknown method: ${name}`,
        details: { method: name },
      });
    try {
      return await fn(input ?? {});
    } catch (e) {
      throw toApiError(e);
    }
  };
}

function bridgeCall(token: string | null): RawCall {
  return async (name, input) => {
    let response: Response;
    try {
      response = await fetch('/api/' + encodeURIComponent(name), {
        method: 'POST',
        headers: { Authorization: 'Bearer ' + (token ?? ''), 'Content-Type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
    } catch (e) {
      throw new ApiCallError({ code: 'NETWORK', message: e instanceof Error ? e.message : String(e) });
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new ApiCallError({ code: 'NETWORK', message: `HTTP ${response.status}: response is not JSON` });
    }
    const result = body as { ok?: boolean; value?: unknown; error?: ApiErrorShape };
    if (result.ok === true) return result.value;
    if (result.error && typeof result.error.code === 'string') throw new ApiCallError(result.error);
    throw new ApiCallError({ code: 'INTERNAL', message: `HTTP ${response.status}: unexpected response` });
  };
}

function group(raw: RawCall): YunkeApi {
  const api: Record<string, Record<string, (input?: unknown) => Promise<unknown>>> = {};
  for (const name of methodNames) {
    const dot = name.indexOf('.');
    const domain = name.slice(0, dot);
    api[domain] ??= {};
    api[domain][name.slice(dot + 1)] = (input?: unknown) => raw(name, input);
  }
  return api as unknown as YunkeApi;
}

export function createApiClient(): ApiClient {
  const transport: Transport = window.yunke ? 'ipc' : 'bridge';
  const raw = window.yunke ? ipcCall(window.yunke) : bridgeCall(bridgeToken());
  return {
    transport,
    api: group(raw),
    call: <K extends MethodName>(name: K, input?: MethodInput<K>) =>
      raw(name, input) as Promise<MethodOutput<K>>,
    writes: (name) => contract[name].writes,
  };
}

let client: ApiClient | null = null;

/** The client for this window, created on first use. */
export function apiClient(): ApiClient {
  client ??= createApiClient();
  return client;
}
