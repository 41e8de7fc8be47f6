import {
  Avatar,
  Badge,
  Button,
  Center,
  Group,
  Loader,
  Paper,
  PasswordInput,
  Radio,
  Stack,
  Text,
  TextInput,
  ThemeIcon,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { IconLock, IconShieldCheck, IconUserPlus } from '@tabler/icons-react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { contract } from '../../../../main/api/contract';
import { apiClient, toApiError, type ApiCallError, type OperatorInfo } from '../../app/api-client';
import { useAppStore } from '../../app/app-store';
import { useApiQuery } from '../../app/use-api-query';
import { ErrorAlert } from '../../shared/ErrorAlert';

export const roleColor = { admin: 'yunke', finance: 'teal', support: 'grape', system: 'gray' } as const;

export function RoleBadge({ role }: { role: keyof typeof roleColor }) {
  const { t } = useTranslation('app');
  return (
    <Badge
      variant="light"
      color={roleColor[role]}
      radius="sm"
      tt="none"
      data-testid="role-badge"
      data-role={role}
    >
      {t(`roles.${role}`)}
    </Badge>
  );
}

/** The first operator of an empty store: an admin with a PIN (R-OP-1). */
function FirstOperator() {
  const { t } = useTranslation('app');
  const setActor = useAppStore((s) => s.setActor);
  const [form, setForm] = useState({ operatorId: '', name: '', pin: '', pin2: '' });
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiCallError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
    const input = { operatorId: form.operatorId, name: form.name, pin: form.pin };
    const parsed = contract['operators.bootstrap'].input.safeParse(input);
    const next: Record<string, string> = {};
    if (!parsed.success)
      for (const i of parsed.error.issues)
        next[String(i.path[0])] ??= t(`session.invalid.${String(i.path[0])}`);
    // the app asks the first admin for a PIN (the command line may leave it out)
    if (!form.pin) next.pin = t('session.invalid.pin');
    else if (form.pin !== form.pin2) next.pin2 = t('session.pinMismatch');
    setIssues(next);
    if (Object.keys(next).length) return;
    setBusy(true);
    setError(null);
    try {
      const actor = await apiClient().api.operators.bootstrap(input);
      setActor(actor);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }

  const field = (k: keyof typeof form) => ({
    value: form[k],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [k]: e.currentTarget.value }),
    error: issues[k],
  });
  return (
    <Card
      icon={<IconUserPlus size={26} />}
      title={t('session.firstTitle')}
      body={t('session.firstBody')}
      testId="first-operator"
    >
      <TextInput
        label={t('session.operatorId')}
        description={t('session.operatorIdHint')}
        {...field('operatorId')}
        data-testid="first-id"
        autoFocus
      />
      <TextInput label={t('session.name')} {...field('name')} data-testid="first-name" />
      <PasswordInput
        label={t('session.pin')}
        description={t('session.pinHint')}
        inputMode="numeric"
        {...field('pin')}
        data-testid="first-pin"
      />
      <PasswordInput
        label={t('session.pinAgain')}
        inputMode="numeric"
        {...field('pin2')}
        data-testid="first-pin2"
      />
      {error && <ErrorAlert error={error} />}
      <Button
        onClick={() => void submit()}
        loading={busy}
        data-testid="first-submit"
        leftSection={<IconShieldCheck size={16} />}
      >
        {t('session.firstSubmit')}
      </Button>
    </Card>
  );
}

function Card({
  icon,
  title,
  body,
  children,
  testId,
}: {
  icon: ReactNode;
  title: string;
  body: string;
  children: ReactNode;
  testId: string;
}) {
  return (
    <Center mih={520} data-testid={testId}>
      <Paper withBorder radius="lg" p={36} w={460} shadow="sm" style={{ background: 'var(--app-card-bg)' }}>
        <Stack gap="md">
          <Group gap="sm" wrap="nowrap">
            <ThemeIcon size={46} radius="md" variant="light">
              {icon}
            </ThemeIcon>
            <Stack gap={2}>
              <Title order={3} fz={20}>
                {title}
              </Title>
              <Text size="sm" c="dimmed">
                {body}
              </Text>
            </Stack>
          </Group>
          {children}
        </Stack>
      </Paper>
    </Center>
  );
}

/**
 * Signing in, or switching operator: choose who you are; an operator with a PIN gives it
 * (R-OP-1). `onDone` closes the switcher; on the sign-in screen the app simply appears.
 */
export function SignIn({ operators, onDone }: { operators: OperatorInfo[]; onDone?: () => void }) {
  const { t } = useTranslation('app');
  const setActor = useAppStore((s) => s.setActor);
  const current = useAppStore((s) => s.actor);
  const [chosen, setChosen] = useState<string>(
    operators.find((o) => o.operatorId !== current?.operatorId)?.operatorId ?? operators[0]?.operatorId ?? '',
  );
  const [pin, setPin] = useState('');
  const [error, setError] = useState<ApiCallError | null>(null);
  const [busy, setBusy] = useState(false);
  const op = operators.find((o) => o.operatorId === chosen);

  async function submit() {
    if (!op) return;
    const pinCheck = z.string().regex(/^\d{4,12}$/);
    if (op.hasPin && !pinCheck.safeParse(pin).success) {
      setError(toApiError({ code: 'PIN_REQUIRED', message: t('session.invalid.pin') }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const actor = await apiClient().api.session.signIn({
        operatorId: op.operatorId,
        pin: op.hasPin ? pin : undefined,
      });
      setActor(actor);
      onDone?.();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack gap="md" data-testid="sign-in">
      <Radio.Group
        value={chosen}
        onChange={(v) => {
          setChosen(v);
          setPin('');
          setError(null);
        }}
      >
        <Stack gap={6}>
          {operators.map((o) => (
            <UnstyledButton
              key={o.operatorId}
              onClick={() => setChosen(o.operatorId)}
              data-testid={`operator-${o.operatorId}`}
            >
              <Paper
                withBorder
                radius="md"
                px="md"
                py={10}
                style={{
                  borderColor: o.operatorId === chosen ? 'var(--mantine-primary-color-filled)' : undefined,
                }}
              >
                <Group justify="space-between" wrap="nowrap">
                  <Group gap="sm" wrap="nowrap">
                    <Radio value={o.operatorId} aria-label={o.name} />
                    <Avatar size={32} radius="xl" color={roleColor[o.role]}>
                      {o.name.slice(0, 1)}
                    </Avatar>
                    <Stack gap={0}>
                      <Text fw={600} size="sm">
                        {o.name}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {o.operatorId}
                      </Text>
                    </Stack>
                  </Group>
                  <Group gap={6} wrap="nowrap">
                    {o.hasPin && (
                      <IconLock
                        size={14}
                        color="var(--mantine-color-dimmed)"
                        aria-label={t('session.hasPin')}
                      />
                    )}
                    <RoleBadge role={o.role} />
                  </Group>
                </Group>
              </Paper>
            </UnstyledButton>
          ))}
        </Stack>
      </Radio.Group>
      {op?.hasPin && (
        <PasswordInput
          label={t('session.pinOf', { name: op.name })}
          value={pin}
          onChange={(e) => setPin(e.currentTarget.value)}
          onKeyDown={(e) => e.key === 'Enter' && void submit()}
          inputMode="numeric"
          autoComplete="off"
          data-testid="sign-in-pin"
        />
      )}
      {error && <ErrorAlert error={error} />}
      <Button onClick={() => void submit()} loading={busy} disabled={!op} data-testid="sign-in-submit">
        {t('session.signIn')}
      </Button>
    </Stack>
  );
}

/**
 * Nobody operates yet: the first operator of an empty store, or sign in. Renders `children` (the
 * app) once someone is signed in; the session lives in main (this window's, or this bridge's).
 */
export function SessionGate({ children }: { children: ReactNode }) {
  const { t } = useTranslation('app');
  const actor = useAppStore((s) => s.actor);
  const setActor = useAppStore((s) => s.setActor);
  const status = useApiQuery((api) => api.session.status(), ['operators']);
  // Adopt main's session when a status ARRIVES, never when the actor changes here: right after a
  // switch, the status on hand is the one loaded before it, and would switch the operator back.
  const adopted = useRef<unknown>(null);
  useEffect(() => {
    if (!status.data || status.data === adopted.current) return;
    adopted.current = status.data;
    const a = status.data.actor;
    if (a && (a.operatorId !== actor?.operatorId || a.role !== actor?.role)) setActor(a);
  }, [status.data, actor, setActor]);
  if (actor) return <>{children}</>;
  if (status.error) return <ErrorAlert error={status.error} onRetry={status.reload} />;
  if (!status.data)
    return (
      <Center h={320}>
        <Loader />
      </Center>
    );
  if (status.data.needsFirstOperator) return <FirstOperator />;
  return (
    <Card
      icon={<IconShieldCheck size={26} />}
      title={t('session.signInTitle')}
      body={t('session.signInBody')}
      testId="sign-in-screen"
    >
      <SignIn operators={status.data.operators} />
    </Card>
  );
}
