import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Paper,
  PasswordInput,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  ThemeIcon,
  Title,
} from '@mantine/core';
import {
  IconCircleCheck,
  IconDatabase,
  IconDeviceDesktop,
  IconLock,
  IconPlugConnected,
  IconServer2,
} from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  TeamDatabaseSaveResult,
  TeamDatabaseTestResult,
  TeamDatabaseView,
} from '../../../../main/api/methods/team-database.contract';
import { useAppStore } from '../../app/app-store';
import { useApiQuery } from '../../app/use-api-query';
import { DecisionDialog } from '../../shared/DecisionDialog';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatDateTime } from '../../shared/format';
import { useCan } from '../../shared/use-can';
import { useWrite } from '../../shared/use-write';

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Stack gap={2} style={{ minWidth: 0 }} data-testid={testId}>
      <Text size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <div>{children}</div>
    </Stack>
  );
}

function StoreBadge({ kind }: { kind: 'sqlite' | 'postgres' }) {
  const { t } = useTranslation('settings');
  return (
    <Badge
      variant="light"
      radius="sm"
      tt="none"
      color={kind === 'postgres' ? 'grape' : 'gray'}
      leftSection={kind === 'postgres' ? <IconServer2 size={12} /> : <IconDeviceDesktop size={12} />}
      data-kind={kind}
    >
      {kind === 'postgres' ? t('teamdb.team') : t('teamdb.local')}
    </Badge>
  );
}

/** Where this desk runs now and what it opens at the next start. */
function Status({ view }: { view: TeamDatabaseView }) {
  const { t, i18n } = useTranslation('settings');
  const info = useAppStore((s) => s.info);
  return (
    <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)" data-testid="teamdb-status">
      <Group gap="md" wrap="nowrap" align="flex-start">
        <ThemeIcon variant="light" size={40} radius="md">
          <IconDatabase size={22} />
        </ThemeIcon>
        <Stack gap="sm" style={{ minWidth: 0, flex: 1 }}>
          <Text size="sm" c="dimmed" maw={760}>
            {t('teamdb.intro')}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
            <Fact label={t('teamdb.runningNow')} testId="teamdb-running">
              <Stack gap={4}>
                <StoreBadge kind={view.running} />
                {view.running === 'sqlite' && info?.storeFile && (
                  <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: 'break-all' }}>
                    {info.storeFile}
                  </Text>
                )}
                {view.runningUrl && (
                  <Text
                    size="xs"
                    ff="monospace"
                    style={{ wordBreak: 'break-all' }}
                    data-testid="teamdb-running-url"
                  >
                    {view.runningUrl}
                  </Text>
                )}
              </Stack>
            </Fact>
            <Fact label={t('teamdb.nextStart')} testId="teamdb-next">
              <Stack gap={4}>
                <StoreBadge kind={view.configured ? 'postgres' : 'sqlite'} />
                {view.configured && view.url && (
                  <>
                    <Text
                      size="xs"
                      ff="monospace"
                      style={{ wordBreak: 'break-all' }}
                      data-testid="teamdb-url"
                    >
                      {view.url}
                    </Text>
                    {view.hasPassword ? (
                      <Group gap={4} wrap="nowrap">
                        <IconLock size={12} color="var(--mantine-color-dimmed)" />
                        <Text size="xs" c="dimmed">
                          {t('teamdb.passwordSealed')}
                        </Text>
                      </Group>
                    ) : (
                      <Text size="xs" c="dimmed">
                        {t('teamdb.noPassword')}
                      </Text>
                    )}
                    {view.savedAt !== null && (
                      <Text size="xs" c="dimmed">
                        {t('teamdb.savedMeta', {
                          by: view.savedBy ?? '—',
                          at: formatDateTime(view.savedAt, i18n.language),
                        })}
                      </Text>
                    )}
                  </>
                )}
              </Stack>
            </Fact>
          </SimpleGrid>
        </Stack>
      </Group>
    </Paper>
  );
}

/** A URL as typed, any password in it hidden (the confirmation repeats the URL). */
function masked(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    if (u.searchParams.has('password')) u.searchParams.set('password', '***');
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

/** The test's findings: server version, migrations applied now and already there, what it holds. */
function TestResult({ r }: { r: TeamDatabaseTestResult }) {
  const { t, i18n } = useTranslation('settings');
  const n = (v: number) => v.toLocaleString(i18n.language);
  return (
    <Alert
      color="teal"
      variant="light"
      radius="md"
      icon={<IconCircleCheck size={20} />}
      title={t('teamdb.testOk')}
      data-testid="teamdb-test-result"
    >
      <Text size="xs" ff="monospace" mb="sm" style={{ wordBreak: 'break-all' }}>
        {r.url}
      </Text>
      <SimpleGrid cols={{ base: 2, md: 3 }} spacing="md" verticalSpacing="sm">
        <Fact label={t('teamdb.serverVersion')} testId="teamdb-server-version">
          <Code>{r.serverVersion}</Code>
        </Fact>
        <Fact label={t('teamdb.migrations')} testId="teamdb-migrations">
          <Text size="sm">
            {r.migrationsApplied > 0
              ? t('teamdb.migrationsApplied', { count: r.migrationsApplied })
              : t('teamdb.migrationsThere', { before: r.migrationsBefore, total: r.migrationsTotal })}
          </Text>
        </Fact>
        <Fact label={t('teamdb.partners')}>
          <Text size="sm" className="tabular-nums">
            {n(r.counts.partners)}
          </Text>
        </Fact>
        <Fact label={t('teamdb.orders')}>
          <Text size="sm" className="tabular-nums">
            {n(r.counts.orders)}
          </Text>
        </Fact>
        <Fact label={t('teamdb.auditEntries')}>
          <Text size="sm" className="tabular-nums">
            {n(r.counts.auditEntries)}
          </Text>
        </Fact>
      </SimpleGrid>
      <Text size="xs" c="dimmed" mt="sm">
        {t('teamdb.testMs', { ms: r.ms })}
      </Text>
    </Alert>
  );
}

/** 团队数据库: which store this desk opens at its next start (admins, R-OP-1). */
export function TeamDatabasePanel() {
  const { t } = useTranslation('settings');
  const info = useAppStore((s) => s.info);
  const canRead = useCan('teamdb.get');
  const canSave = useCan('teamdb.save');
  // saving and clearing append to the audit log: its refresh reads the choice again
  const view = useApiQuery((api) => api.teamdb.get(), ['audit_log']);
  const [url, setUrl] = useState('');
  const [password, setPassword] = useState('');
  const [tested, setTested] = useState<TeamDatabaseTestResult | null>(null);
  const [saved, setSaved] = useState<TeamDatabaseSaveResult | null>(null);
  const [dialog, setDialog] = useState<'save' | 'clear' | null>(null);
  const test = useWrite('teamdb.test', { notify: false });

  if (!canRead)
    return (
      <Group gap={6} data-testid="teamdb-admin-only">
        <IconLock size={15} color="var(--mantine-color-dimmed)" />
        <Text size="sm" c="dimmed">
          {t('teamdb.adminOnly')}
        </Text>
      </Group>
    );
  if (view.error) return <ErrorAlert error={view.error} onRetry={view.reload} />;
  if (!view.data) return <Skeleton h={200} radius="md" />;
  const v = view.data;
  const connection = { url: url.trim(), ...(password ? { password } : {}) };
  const edited = () => {
    setTested(null);
    test.reset();
  };
  const runTest = async () => {
    setSaved(null);
    setTested(await test.run(connection));
  };

  return (
    <Stack gap="lg" maw={980} data-testid="teamdb-panel">
      <Status view={v} />
      {v.problem && (
        <Alert
          color="orange"
          variant="light"
          radius="md"
          title={t('teamdb.problem')}
          data-testid="teamdb-problem"
        >
          <Text size="sm">{v.problem}</Text>
        </Alert>
      )}
      {saved && (
        <Alert
          color="teal"
          variant="light"
          radius="md"
          icon={<IconCircleCheck size={20} />}
          title={t('teamdb.savedTitle')}
          withCloseButton
          onClose={() => setSaved(null)}
          data-testid="teamdb-saved"
        >
          <Text size="sm">{t('teamdb.savedBody', { url: saved.url })}</Text>
        </Alert>
      )}
      {canSave && (
        <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)">
          <Stack gap="sm">
            <Title order={3} fz={17}>
              {t('teamdb.formTitle')}
            </Title>
            <TextInput
              label={t('teamdb.url')}
              description={t('teamdb.urlHint')}
              placeholder={t('teamdb.urlPlaceholder')}
              value={url}
              onChange={(e) => {
                setUrl(e.currentTarget.value);
                edited();
              }}
              spellCheck={false}
              autoComplete="off"
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              data-testid="teamdb-url-input"
            />
            <PasswordInput
              label={t('teamdb.password')}
              description={v.canSealPassword ? t('teamdb.passwordHint') : t('teamdb.noSecrets')}
              value={password}
              onChange={(e) => {
                setPassword(e.currentTarget.value);
                edited();
              }}
              autoComplete="new-password"
              maw={560}
              data-testid="teamdb-password-input"
            />
            <Group gap="xs" mt={4}>
              <Button
                variant="default"
                leftSection={<IconPlugConnected size={16} />}
                loading={test.pending}
                disabled={!connection.url}
                onClick={() => void runTest()}
                data-testid="teamdb-test"
              >
                {t('teamdb.test')}
              </Button>
              <Button
                leftSection={<IconServer2 size={16} />}
                disabled={!connection.url || test.pending}
                onClick={() => setDialog('save')}
                data-testid="teamdb-save"
              >
                {t('teamdb.save')}
              </Button>
              {(v.configured || v.problem) && (
                <Button
                  variant="light"
                  color="orange"
                  leftSection={<IconDeviceDesktop size={16} />}
                  onClick={() => setDialog('clear')}
                  data-testid="teamdb-clear"
                >
                  {t('teamdb.useLocal')}
                </Button>
              )}
            </Group>
            {test.error && <ErrorAlert error={test.error} context={t('teamdb.testFailed')} />}
            {tested && <TestResult r={tested} />}
          </Stack>
        </Paper>
      )}
      {dialog === 'save' && (
        <DecisionDialog
          opened
          onClose={() => setDialog(null)}
          method="teamdb.save"
          title={t('teamdb.saveTitle')}
          input={connection}
          confirmLabel={t('teamdb.saveConfirm')}
          success={() => t('teamdb.saved')}
          onDone={(out) => {
            setSaved(out);
            setTested(out.test);
            setPassword('');
          }}
        >
          <Stack gap={6} data-testid="teamdb-save-summary">
            <Text size="sm" fw={500}>
              {t('teamdb.saveWhat')}
            </Text>
            <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
              {masked(connection.url)}
            </Code>
            <Text size="sm" c="dimmed">
              {t('teamdb.saveNextStart')}
            </Text>
          </Stack>
        </DecisionDialog>
      )}
      {dialog === 'clear' && (
        <DecisionDialog
          opened
          onClose={() => setDialog(null)}
          method="teamdb.clear"
          title={t('teamdb.clearTitle')}
          input={{}}
          confirmLabel={t('teamdb.clearConfirm')}
          confirmColor="orange"
          success={() => t('teamdb.cleared')}
          onDone={() => setSaved(null)}
        >
          <Stack gap={6} data-testid="teamdb-clear-summary">
            <Text size="sm" fw={500}>
              {t('teamdb.clearWhat')}
            </Text>
            <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
              {info?.storeFile ?? '—'}
            </Code>
            <Text size="sm" c="dimmed">
              {t('teamdb.clearNextStart')}
            </Text>
          </Stack>
        </DecisionDialog>
      )}
    </Stack>
  );
}
