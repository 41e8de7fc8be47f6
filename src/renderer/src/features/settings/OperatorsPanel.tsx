import {
  Badge,
  Button,
  Group,
  Modal,
  PasswordInput,
  Radio,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconLock, IconLockOpen, IconUserPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../../main/api/contract';
import { ROLES } from '../../../../main/api/methods/operators.contract';
import { useAppStore } from '../../app/app-store';
import { useApiQuery } from '../../app/use-api-query';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatDateTime } from '../../shared/format';
import { useCan } from '../../shared/use-can';
import { useWrite } from '../../shared/use-write';
import { RoleBadge } from '../session/SessionGate';

type Role = (typeof ROLES)[number];
const EMPTY = { operatorId: '', name: '', role: '' as Role | '', pin: '' };

/** Adds an operator (R-OP-1: admins), validated by the contract's own schema. */
function AddOperator({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const { t } = useTranslation('settings');
  const { t: tApp } = useTranslation('app');
  const [form, setForm] = useState(EMPTY);
  const [issues, setIssues] = useState<Record<string, string>>({});
  const write = useWrite('operators.add', {
    success: (o) => t('operators.added', { name: o.name, role: tApp(`roles.${o.role}`) }),
  });
  function close() {
    setForm(EMPTY);
    setIssues({});
    write.reset();
    onClose();
  }
  async function submit() {
    const input = {
      operatorId: form.operatorId,
      name: form.name,
      role: form.role,
      ...(form.pin ? { pin: form.pin } : {}),
    };
    const parsed = contract['operators.add'].input.safeParse(input);
    if (!parsed.success) {
      const next: Record<string, string> = {};
      for (const i of parsed.error.issues)
        next[String(i.path[0])] ??= tApp(`session.invalid.${String(i.path[0])}`, { defaultValue: i.message });
      setIssues(next);
      return;
    }
    setIssues({});
    if (await write.run(parsed.data)) close();
  }
  const field = (k: 'operatorId' | 'name' | 'pin') => ({
    value: form[k],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [k]: e.currentTarget.value }),
    error: issues[k],
  });
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={t('operators.addTitle')}
      centered
      size="md"
      data-testid="add-operator"
    >
      <Stack gap="md">
        <TextInput
          label={t('operators.id')}
          description={t('operators.idHint')}
          withAsterisk
          autoFocus
          spellCheck={false}
          {...field('operatorId')}
          data-testid="add-operator-id"
        />
        <TextInput
          label={t('operators.name')}
          withAsterisk
          {...field('name')}
          data-testid="add-operator-name"
        />
        <Radio.Group
          label={t('operators.role')}
          withAsterisk
          value={form.role}
          onChange={(v) => setForm({ ...form, role: v as Role })}
          error={issues.role}
          data-testid="add-operator-role"
        >
          <Stack gap={8} mt={6}>
            {ROLES.map((r) => (
              <Radio
                key={r}
                value={r}
                label={tApp(`roles.${r}`)}
                description={t(`operators.roleHint.${r}`)}
                data-testid={`add-operator-role-${r}`}
              />
            ))}
          </Stack>
        </Radio.Group>
        <PasswordInput
          label={t('operators.pin')}
          description={t('operators.pinHint')}
          inputMode="numeric"
          autoComplete="new-password"
          {...field('pin')}
          data-testid="add-operator-pin"
        />
        {write.error && <ErrorAlert error={write.error} />}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close}>
            {t('operators.cancel')}
          </Button>
          <Button
            loading={write.pending}
            onClick={() => void submit()}
            leftSection={<IconUserPlus size={16} />}
            data-testid="add-operator-submit"
          >
            {t('operators.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** 操作员: who may operate this store, their role and whether they have a PIN. */
export function OperatorsPanel() {
  const { t, i18n } = useTranslation('settings');
  const locale = i18n.language;
  const operators = useApiQuery((api) => api.operators.list(), ['operators']);
  const canAdd = useCan('operators.add');
  const me = useAppStore((s) => s.actor?.operatorId);
  const [adding, setAdding] = useState(false);
  return (
    <Stack gap="md" data-testid="operators-panel">
      <Group justify="space-between">
        <Title order={3} fz={17}>
          {t('operators.title')}
        </Title>
        {canAdd ? (
          <Button
            leftSection={<IconUserPlus size={16} />}
            onClick={() => setAdding(true)}
            data-testid="operator-add"
          >
            {t('operators.add')}
          </Button>
        ) : (
          <Group gap={6}>
            <IconLock size={15} color="var(--mantine-color-dimmed)" />
            <Text size="sm" c="dimmed" data-testid="operators-read-only">
              {t('operators.adminOnly')}
            </Text>
          </Group>
        )}
      </Group>
      {operators.error && <ErrorAlert error={operators.error} onRetry={operators.reload} />}
      {!operators.data && !operators.error ? (
        <Skeleton h={160} radius="md" />
      ) : (
        operators.data && (
          <Table
            withTableBorder
            highlightOnHover
            verticalSpacing={8}
            data-testid="operators-table"
            style={{ background: 'var(--app-card-bg)' }}
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('operators.id')}</Table.Th>
                <Table.Th>{t('operators.name')}</Table.Th>
                <Table.Th>{t('operators.role')}</Table.Th>
                <Table.Th>{t('operators.pinFlag')}</Table.Th>
                <Table.Th>{t('operators.createdAt')}</Table.Th>
                <Table.Th>{t('operators.createdBy')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {operators.data.map((o) => (
                <Table.Tr
                  key={o.operatorId}
                  data-operator={o.operatorId}
                  data-role={o.role}
                  data-has-pin={o.hasPin}
                >
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" fw={600} ff="monospace">
                        {o.operatorId}
                      </Text>
                      {o.operatorId === me && (
                        <Badge size="xs" variant="outline" radius="sm" tt="none">
                          {t('operators.you')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{o.name}</Text>
                  </Table.Td>
                  <Table.Td>
                    <RoleBadge role={o.role} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      {o.hasPin ? (
                        <IconLock size={14} color="var(--mantine-color-teal-6)" />
                      ) : (
                        <IconLockOpen size={14} color="var(--mantine-color-dimmed)" />
                      )}
                      <Text size="sm" c={o.hasPin ? undefined : 'dimmed'}>
                        {o.hasPin ? t('operators.hasPin') : t('operators.noPin')}
                      </Text>
                    </Group>
                  </Table.Td>
                  <Table.Td className="tabular-nums">
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {o.createdAt ? formatDateTime(o.createdAt, locale) : '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={o.createdBy ? undefined : 'dimmed'}>
                      {o.createdBy ?? t('operators.firstOperator')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )
      )}
      {canAdd && <AddOperator opened={adding} onClose={() => setAdding(false)} />}
    </Stack>
  );
}
