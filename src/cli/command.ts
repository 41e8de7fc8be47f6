/** One yunke-desk command. `run` returns the exit code: 0 ok, 1 bad input, 2 usage. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Longer help text printed by `yunke-desk <command> --help`. */
  help?: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  isTTY: boolean;
}
