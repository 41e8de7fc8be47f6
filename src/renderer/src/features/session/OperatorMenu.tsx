import { Avatar, Group, Menu, Modal, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconLogout, IconSwitchHorizontal } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiClient } from '../../app/api-client';
import { useAppStore } from '../../app/app-store';
import { useApiQuery } from '../../app/use-api-query';
import { RoleBadge, roleColor, SignIn } from './SessionGate';

/** The header's operator: who operates and their role; switching asks for the PIN (R-OP-1). */
export function OperatorMenu() {
  const { t } = useTranslation('app');
  const actor = useAppStore((s) => s.actor);
  const setActor = useAppStore((s) => s.setActor);
  const [switching, setSwitching] = useState(false);
  const status = useApiQuery((api) => api.session.status(), ['operators'], switching ? 'open' : 'closed');
  if (!actor) return null;
  return (
    <>
      <Menu position="bottom-end" withinPortal shadow="md">
        <Menu.Target>
          <UnstyledButton data-testid="operator-menu" data-operator={actor.operatorId} data-role={actor.role}>
            <Group gap={8} wrap="nowrap">
              <Avatar size={28} radius="xl" color={roleColor[actor.role]}>
                {actor.name.slice(0, 1)}
              </Avatar>
              <Text size="sm" fw={600} truncate maw={140} data-testid="operator-name">
                {actor.name}
              </Text>
              <RoleBadge role={actor.role} />
              <IconChevronDown size={14} />
            </Group>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{actor.operatorId}</Menu.Label>
          <Menu.Item
            leftSection={<IconSwitchHorizontal size={16} />}
            onClick={() => setSwitching(true)}
            data-testid="switch-operator"
          >
            {t('session.switch')}
          </Menu.Item>
          <Menu.Item
            leftSection={<IconLogout size={16} />}
            onClick={() =>
              void apiClient()
                .api.session.signOut()
                .then(() => setActor(null))
            }
            data-testid="sign-out"
          >
            {t('session.signOut')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Modal opened={switching} onClose={() => setSwitching(false)} title={t('session.switchTitle')} centered>
        {status.data && <SignIn operators={status.data.operators} onDone={() => setSwitching(false)} />}
      </Modal>
    </>
  );
}
