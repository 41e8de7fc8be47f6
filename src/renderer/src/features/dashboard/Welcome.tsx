import {
  Button,
  Grid,
  Group,
  NumberInput,
  Paper,
  Progress,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDatabaseImport, IconSparkles } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiClient, toApiError, type ApiCallError } from '../../app/api-client';
import { useAppStore } from '../../app/app-store';
import { hrefFor } from '../../app/router';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatCount } from '../../shared/format';

const DEFAULT_SCALE = 0.2;

function useElapsedSeconds(since: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (since === null) return;
    const timer = window.setInterval(() => setNow(Date.now()), 250);
    return () => window.clearInterval(timer);
  }, [since]);
  return since === null ? 0 : Math.max(0, Math.floor((now - since) / 1000));
}

/**
 * First run: the store is empty. Offers the demo dataset (demo.load) and points to Data sync.
 * The scale is validated by the contract, not here, so a bad value shows the server's
 * structured INVALID_INPUT error.
 */
export function Welcome() {
  const { t, i18n } = useTranslation('dashboard');
  const refresh = useAppStore((s) => s.refresh);
  const [scale, setScale] = useState<number | string>(DEFAULT_SCALE);
  const [startedAt, setStartedAt] = useState<number | null>(null);
  const [error, setError] = useState<ApiCallError | null>(null);
  const elapsed = useElapsedSeconds(startedAt);
  const loading = startedAt !== null;

  async function loadDemo() {
    const client = apiClient();
    setError(null);
    setStartedAt(Date.now());
    try {
      const result = await client.api.demo.load({
        scale: typeof scale === 'number' ? scale : Number(scale) || DEFAULT_SCALE,
      });
      const locale = i18n.language;
      notifications.show({
        color: 'teal',
        title: t('welcome.loaded'),
        message: t('welcome.loadedBody', {
          partners: formatCount(result.partners, locale),
          customers: formatCount(result.customers, locale),
          orders: formatCount(result.orders, locale),
          seconds: (result.durationMs / 1000).toFixed(1),
        }),
      });
      refresh(client.writes('demo.load'));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setStartedAt(null);
    }
  }

  return (
    <Stack gap="lg" data-testid="welcome">
      <Stack gap={6}>
        <Title order={2} fz={24}>
          {t('welcome.title')}
        </Title>
        <Text c="dimmed" maw={760}>
          {t('welcome.body')}
        </Text>
      </Stack>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Paper withBorder radius="md" p="lg" h="100%" bg="var(--app-card-bg)">
            <Stack gap="md">
              <Group gap="sm" wrap="nowrap">
                <ThemeIcon size={40} radius="md" variant="light">
                  <IconSparkles size={22} stroke={1.7} />
                </ThemeIcon>
                <Title order={3} fz={18}>
                  {t('welcome.demoTitle')}
                </Title>
              </Group>
              <Text size="sm" c="dimmed">
                {t('welcome.demoBody')}
              </Text>
              <Group align="flex-end" gap="md" wrap="wrap">
                <NumberInput
                  label={t('welcome.scale')}
                  value={scale}
                  onChange={setScale}
                  step={0.1}
                  decimalScale={2}
                  clampBehavior="none"
                  disabled={loading}
                  w={160}
                  data-testid="demo-scale"
                />
                <Button
                  onClick={() => void loadDemo()}
                  loading={loading}
                  leftSection={<IconSparkles size={16} />}
                  data-testid="load-demo"
                >
                  {t('welcome.load')}
                </Button>
              </Group>
              <Text size="xs" c="dimmed" mt={-6}>
                {t('welcome.scaleHint')}
              </Text>
              {loading && (
                <Stack gap={6} data-testid="demo-progress">
                  <Progress value={100} striped animated size="sm" />
                  <Group justify="space-between">
                    <Text size="xs" c="dimmed">
                      {t('welcome.loading')}
                    </Text>
                    <Text size="xs" c="dimmed" className="tabular-nums">
                      {t('welcome.elapsed', { seconds: elapsed })}
                    </Text>
                  </Group>
                </Stack>
              )}
              {error && <ErrorAlert error={error} context={t('welcome.failed')} />}
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Paper withBorder radius="md" p="lg" h="100%" bg="var(--app-card-bg)">
            <Stack gap="md">
              <Group gap="sm" wrap="nowrap">
                <ThemeIcon size={40} radius="md" variant="light" color="gray">
                  <IconDatabaseImport size={22} stroke={1.7} />
                </ThemeIcon>
                <Title order={3} fz={18}>
                  {t('welcome.importTitle')}
                </Title>
              </Group>
              <Text size="sm" c="dimmed">
                {t('welcome.importBody')}
              </Text>
              <Group>
                <Button component="a" href={hrefFor('sync')} variant="default">
                  {t('welcome.openSync')}
                </Button>
              </Group>
            </Stack>
          </Paper>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
