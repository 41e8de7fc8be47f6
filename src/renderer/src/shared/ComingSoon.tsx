import { Badge, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconHourglass } from '@tabler/icons-react';
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from './PageHeader';

export interface ComingSoonProps {
  /** The feature's i18n namespace; it must define `title` and `summary`. */
  ns: string;
  icon: ComponentType<{ size?: number; stroke?: number }>;
}

/**
 * An honest placeholder for a screen whose issue has not landed: its title, one sentence on
 * what it will do, and a visible "coming in a later release" notice. No sample data.
 */
export function ComingSoon({ ns, icon: Icon }: ComingSoonProps) {
  const { t } = useTranslation(ns);
  const { t: tApp } = useTranslation('app');
  return (
    <>
      <PageHeader title={t('title')} description={t('summary')} />
      <Paper withBorder radius="md" p={48} data-testid="coming-soon">
        <Stack align="center" gap="sm" maw={520} mx="auto" ta="center">
          <ThemeIcon size={64} radius="xl" variant="light">
            <Icon size={32} stroke={1.6} />
          </ThemeIcon>
          <Badge
            variant="light"
            color="orange"
            size="lg"
            radius="sm"
            tt="none"
            fw={600}
            data-testid="coming-soon-badge"
            leftSection={<IconHourglass size={14} />}
          >
            {tApp('comingSoon.badge')}
          </Badge>
          <Title order={3} fz={18} fw={600} mt={4}>
            {tApp('comingSoon.title')}
          </Title>
          <Text c="dimmed" size="sm">
            {tApp('comingSoon.notice')}
          </Text>
        </Stack>
      </Paper>
    </>
  );
}
