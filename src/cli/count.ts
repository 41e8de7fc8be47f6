/** `n` things in English, singular for one: `count(1, 'partner')` → "1 partner", 2 → "2 partners". */
export const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
