import { createTheme, type MantineColorsTuple } from '@mantine/core';

/** The brand blue of 云客 (a cloud-service blue), 10 shades light → dark. */
const yunke: MantineColorsTuple = [
  '#e8f3ff',
  '#d1e4fd',
  '#a2c6f6',
  '#70a6f0',
  '#478bea',
  '#2d7ae7',
  '#1c71e7',
  '#0c60ce',
  '#0055b9',
  '#0049a4',
];

/**
 * Latin first, then the CJK faces of each platform (macOS, Windows, Linux) so Chinese text uses
 * a proper Simplified Chinese sans-serif everywhere.
 */
const SANS =
  '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif';

export const theme = createTheme({
  primaryColor: 'yunke',
  colors: { yunke },
  primaryShade: { light: 6, dark: 5 },
  fontFamily: SANS,
  fontFamilyMonospace: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, "Noto Sans Mono CJK SC", monospace',
  headings: { fontFamily: SANS, fontWeight: '650' },
  defaultRadius: 'md',
  cursorType: 'pointer',
});
