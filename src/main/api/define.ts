import type { z } from 'zod';
import type { TableName } from '../store/database';

/** Declares one contract method; `output` is a phantom type carrier, never read at run time. */
export function method<O>() {
  return <I extends z.ZodType>(input: I, writes: TableName[] = []) => ({
    input,
    writes,
    output: undefined as unknown as O,
  });
}
