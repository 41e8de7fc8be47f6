/** The password file reader node-pg uses (npm `pgpass`), which ships no types. */
declare module 'pgpass' {
  interface ConnInfo {
    host?: string;
    port?: number | string;
    database?: string;
    user?: string;
  }
  /** The password of the first entry matching `connInfo` in PGPASSFILE or ~/.pgpass, or undefined. */
  function pgpass(connInfo: ConnInfo, cb: (password: string | undefined) => void): void;
  export default pgpass;
}
