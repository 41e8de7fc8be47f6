import {
  ActionIcon,
  AppShell,
  Badge,
  Box,
  Burger,
  Center,
  Group,
  Loader,
  NavLink,
  ScrollArea,
  SegmentedControl,
  Stack,
  Text,
  ThemeIcon,
  Tooltip,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconCloud, IconDatabase, IconMoon, IconSun } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../shared/ErrorAlert';
import { baseName } from '../shared/format';
import { apiClient, type AppInfo } from './api-client';
import { LANGUAGES, useAppStore, type Language } from './app-store';
import { DEFAULT_ROUTE, findRoute, NAV_GROUPS, routes } from './routes';
import { hrefFor, redirect, useHashLocation } from './router';
import { useApiQuery } from './use-api-query';
import { OperatorMenu } from '../features/session/OperatorMenu';
import { JobsIndicator } from './JobsIndicator';
import { SessionGate } from '../features/session/SessionGate';

function LanguageSwitch() {
  const { t } = useTranslation('app');
  const language = useAppStore((s) => s.language);
  const setLanguage = useAppStore((s) => s.setLanguage);
  return (
    <SegmentedControl
      size="xs"
      radius="md"
      aria-label={t('header.language')}
      data-testid="language-switch"
      value={language}
      onChange={(v) => setLanguage(v as Language)}
      data={LANGUAGES.map((l) => ({ value: l, label: t(`languageNames.${l}`) }))}
    />
  );
}

function ColorSchemeToggle() {
  const { t } = useTranslation('app');
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme('light', { getInitialValueInEffect: false });
  const next = computed === 'dark' ? 'light' : 'dark';
  const label = t(next === 'dark' ? 'header.toDark' : 'header.toLight');
  return (
    <Tooltip label={label} withArrow>
      <ActionIcon
        variant="default"
        size={30}
        radius="md"
        aria-label={label}
        data-testid="color-scheme-toggle"
        data-scheme={computed}
        onClick={() => setColorScheme(next)}
      >
        {computed === 'dark' ? <IconSun size={16} stroke={1.8} /> : <IconMoon size={16} stroke={1.8} />}
      </ActionIcon>
    </Tooltip>
  );
}

function StoreIndicator({ info }: { info: AppInfo | null }) {
  const { t } = useTranslation('app');
  const transport = info?.transport ?? apiClient().transport;
  return (
    <Group gap={8} wrap="nowrap" data-testid="store-indicator" data-transport={transport} visibleFrom="sm">
      <Tooltip
        label={info ? t('header.storeTooltip', { file: info.storeFile }) : t('header.storeUnknown')}
        withArrow
      >
        <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
          <IconDatabase size={16} stroke={1.7} color="var(--mantine-color-dimmed)" />
          <Text size="sm" c="dimmed" truncate maw={220} data-testid="store-file">
            {info ? baseName(info.storeFile) : t('header.storeUnknown')}
          </Text>
        </Group>
      </Tooltip>
      <Tooltip label={t(`header.transportTooltip.${transport}`)} withArrow multiline w={260}>
        <Badge variant="light" color={transport === 'ipc' ? 'teal' : 'grape'} radius="sm" size="sm" tt="none">
          {t(`header.transport.${transport}`)}
        </Badge>
      </Tooltip>
    </Group>
  );
}

function Navigation({ active, onNavigate }: { active: string; onNavigate: () => void }) {
  const { t } = useTranslation('app');
  return (
    <Stack gap="md" component="nav" aria-label={t('nav.label')}>
      {NAV_GROUPS.map((group) => (
        <Stack gap={2} key={group}>
          <Text
            size="xs"
            fw={600}
            c="dimmed"
            px="sm"
            pb={4}
            tt="uppercase"
            style={{ letterSpacing: '0.04em' }}
          >
            {t(`nav.groups.${group}`)}
          </Text>
          {routes
            .filter((r) => r.group === group)
            .map((r) => (
              <NavLink
                key={r.path}
                href={hrefFor(r.path)}
                active={r.path === active}
                label={t('title', { ns: r.ns })}
                leftSection={<r.icon size={18} stroke={1.7} />}
                onClick={onNavigate}
                data-testid={`nav-${r.path}`}
                aria-current={r.path === active ? 'page' : undefined}
                styles={{ root: { borderRadius: 'var(--mantine-radius-md)' }, label: { fontSize: 14 } }}
              />
            ))}
        </Stack>
      ))}
    </Stack>
  );
}

/** The frame around every screen: header, navigation and the current route. */
export function Shell() {
  const { t } = useTranslation('app');
  const [navOpened, nav] = useDisclosure(false);
  const location = useHashLocation();
  const route = findRoute(location.path);
  const info = useApiQuery((api) => api.app.info(), 'all');
  const appState = useAppStore((s) => s.appState);
  const pending = useAppStore((s) => s.pending);
  const setInfo = useAppStore((s) => s.setInfo);
  const signedIn = useAppStore((s) => s.actor !== null);

  useEffect(() => {
    if (!route) redirect(DEFAULT_ROUTE);
  }, [route]);

  useEffect(() => {
    if (info.data) setInfo(info.data);
  }, [info.data, setInfo]);

  // "ready" once app.info and the first screen's data have loaded. The store is read directly:
  // the screen's own effect (which runs before this one) may just have started its query.
  useEffect(() => {
    const { setAppState, pending: inFlight } = useAppStore.getState();
    if (info.error && !info.data) setAppState('error');
    else if (info.data && inFlight === 0 && appState !== 'ready') setAppState('ready');
  }, [info.data, info.error, pending, appState]);

  const Screen = route?.Screen;
  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 236, breakpoint: 'sm', collapsed: { mobile: !navOpened, desktop: !signedIn } }}
      padding={0}
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={navOpened}
              onClick={nav.toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('header.openNav')}
            />
            <ThemeIcon
              size={34}
              radius="md"
              variant="gradient"
              gradient={{ from: 'yunke.5', to: 'cyan.5', deg: 135 }}
            >
              <IconCloud size={20} stroke={2} />
            </ThemeIcon>
            <Stack gap={0}>
              <Text fw={700} fz={16} lh={1.25} data-testid="product-name">
                {t('productName')}
              </Text>
              <Text fz={11} c="dimmed" lh={1.3} visibleFrom="xs">
                {t('productTagline')}
              </Text>
            </Stack>
          </Group>
          <Group gap="md" wrap="nowrap">
            {signedIn && <JobsIndicator />}
            <OperatorMenu />
            <StoreIndicator info={info.data ?? null} />
            <LanguageSwitch />
            <ColorSchemeToggle />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm">
        <AppShell.Section grow component={ScrollArea} pt={4}>
          {signedIn && <Navigation active={route?.path ?? ''} onNavigate={nav.close} />}
        </AppShell.Section>
        <AppShell.Section pt="sm">
          <Text size="xs" c="dimmed" px="sm" data-testid="app-version">
            {t('nav.version', { version: info.data?.version ?? __APP_VERSION__ })}
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main bg="var(--app-main-bg)">
        <Box
          px={{ base: 'md', md: 32 }}
          py={28}
          maw={1320}
          mx="auto"
          data-testid={`screen-${route?.path ?? 'none'}`}
        >
          {info.error && !info.data ? (
            <Stack gap="md" maw={720}>
              <Text fw={650} fz={20}>
                {t('boot.failedTitle')}
              </Text>
              <Text c="dimmed">{t('boot.failedHint')}</Text>
              <ErrorAlert error={info.error} onRetry={info.reload} />
            </Stack>
          ) : !info.data ? (
            <Center h={320}>
              <Stack align="center" gap="sm">
                <Loader size="md" />
                <Text size="sm" c="dimmed">
                  {t('boot.loading')}
                </Text>
              </Stack>
            </Center>
          ) : (
            <SessionGate>{Screen && <Screen key={route.path} />}</SessionGate>
          )}
        </Box>
      </AppShell.Main>
    </AppShell>
  );
}
