import { Group, Paper, Stack, Text, ThemeIcon, type MantineColor } from '@mantine/core';
import type { ComponentType, ReactNode } from 'react';

export interface StatCardProps {
  label: string;
  value: string;
  hint?: ReactNode;
  icon: ComponentType<{ size?: number; stroke?: number }>;
  color?: MantineColor;
  /** Stable id for tests: data-stat="<id>" on the card, data-value on the figure. */
  id: string;
}

export function StatCard({ label, value, hint, icon: Icon, color = 'yunke', id }: StatCardProps) {
  return (
    <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)" data-stat={id} h="100%">
      <Stack gap={10} h="100%" justify="space-between">
        <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
          <Text size="sm" c="dimmed" fw={500} lh={1.4}>
            {label}
          </Text>
          <ThemeIcon variant="light" color={color} size={30} radius="md" style={{ flexShrink: 0 }}>
            <Icon size={17} stroke={1.8} />
          </ThemeIcon>
        </Group>
        <Stack gap={2}>
          <Text fz={26} fw={650} lh={1.15} className="tabular-nums" data-value>
            {value}
          </Text>
          {hint && (
            <Text size="xs" c="dimmed" lh={1.4}>
              {hint}
            </Text>
          )}
        </Stack>
      </Stack>
    </Paper>
  );
}
