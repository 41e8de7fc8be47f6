import { Badge, Paper, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, useAppStore, type Language } from '../../app/app-store';

/** 语言: the display language of this window (the app store's), and what this window runs on. */
export function GeneralPanel() {
  const { t } = useTranslation('settings');
  const { t: tApp } = useTranslation('app');
  const language = useAppStore((s) => s.language);
  const setLanguage = useAppStore((s) => s.setLanguage);
  const info = useAppStore((s) => s.info);
  return (
    <Stack gap="lg" maw={760} data-testid="general-panel">
      <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)">
        <Stack gap="xs">
          <Title order={3} fz={17}>
            {t('general.language')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('general.languageHint')}
          </Text>
          <SegmentedControl
            mt={4}
            w={280}
            value={language}
            onChange={(v) => setLanguage(v as Language)}
            data={LANGUAGES.map((l) => ({ value: l, label: tApp(`languageNames.${l}`) }))}
            data-testid="settings-language"
          />
        </Stack>
      </Paper>
      <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)">
        <Stack gap="sm">
          <Title order={3} fz={17}>
            {t('general.app')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
            <Stack gap={2}>
              <Text size="xs" c="dimmed" fw={500}>
                {t('general.version')}
              </Text>
              <Text size="sm">{info?.version ?? '—'}</Text>
            </Stack>
            <Stack gap={2}>
              <Text size="xs" c="dimmed" fw={500}>
                {t('general.transport')}
              </Text>
              <div>
                {info && (
                  <Badge
                    variant="light"
                    radius="sm"
                    tt="none"
                    color={info.transport === 'ipc' ? 'teal' : 'grape'}
                  >
                    {tApp(`header.transport.${info.transport}`)}
                  </Badge>
                )}
              </div>
            </Stack>
            <Stack gap={2} style={{ minWidth: 0 }}>
              <Text size="xs" c="dimmed" fw={500}>
                {t('general.dataFile')}
              </Text>
              <Text
                size="sm"
                ff="monospace"
                style={{ wordBreak: 'break-all' }}
                data-testid="general-store-file"
              >
                {info?.storeFile ?? '—'}
              </Text>
            </Stack>
          </SimpleGrid>
        </Stack>
      </Paper>
    </Stack>
  );
}
