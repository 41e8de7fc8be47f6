import { Badge, type MantineColor } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { LevelRowView } from '../../../../main/api/methods/levels.contract';

/** The dashboard's level colours, so a level looks the same on every screen. */
export const LEVEL_COLORS: Record<string, MantineColor> = {
  L1: 'cyan',
  L2: 'gray',
  L3: 'yellow',
  L4: 'grape',
};

export const levelColor = (id: string | null | undefined): MantineColor => (id && LEVEL_COLORS[id]) || 'blue';

/** A level's name in the screen's language, from the level table (R-LVL-1). */
export function useLevelName(levels: readonly LevelRowView[] | undefined): (id: string) => string {
  const { i18n } = useTranslation();
  return (id) => {
    const l = levels?.find((x) => x.id === id);
    if (!l) return id;
    return i18n.language === 'en' ? l.nameEn : l.nameZh;
  };
}

export function LevelBadge({
  level,
  name,
  size = 'sm',
  variant = 'light',
}: {
  level: string | null;
  name?: string;
  size?: 'xs' | 'sm' | 'md' | 'lg';
  variant?: 'light' | 'filled' | 'outline' | 'dot';
}) {
  if (!level) return null;
  return (
    <Badge
      color={levelColor(level)}
      variant={variant}
      radius="sm"
      size={size}
      tt="none"
      fw={600}
      data-level={level}
    >
      {name && name !== level ? `${level} · ${name}` : level}
    </Badge>
  );
}
