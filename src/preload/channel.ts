/** The single IPC channel of the contract; the method name travels as the first argument. */
export const IPC_CHANNEL = 'yunke:call';
