import 'mantine-datatable/styles.css';
import { Button, Drawer, Skeleton, Tabs, Text } from '@mantine/core';
import { IconAlertOctagon, IconBan, IconListDetails } from '@tabler/icons-react';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useHashParams } from '../../app/use-hash-params';
import { PageHeader } from '../../shared/PageHeader';
import { useCan } from '../../shared/use-can';
import { BlacklistDecision } from './BlacklistDecision';
import { EntriesPanel } from './EntriesPanel';
import { HistoryPanel } from './HistoryPanel';

// Risk review brings the charts (recharts): loaded when its tab is first opened, not with the app.
const RiskPanel = lazy(() => import('./RiskPanel').then((m) => ({ default: m.RiskPanel })));

/**
 * 黑名单 (#/blacklist): entries and their frozen amounts, adding and lifting after the engine's
 * what-if (R-BL-1..3), a partner's history (`?partner=ID`), and 风险复核 (`?tab=risk`, R-CLAW-4).
 */
export function BlacklistScreen() {
  const { t } = useTranslation('blacklist');
  const [params, update] = useHashParams();
  const tab = params.get('tab') === 'risk' ? 'risk' : 'entries';
  const partner = params.get('partner');
  const [shown, setShown] = useState(partner);
  if (partner && partner !== shown) setShown(partner);
  const canAdd = useCan('blacklist.add');
  const [flow, setFlow] = useState<{ action: 'add' | 'lift'; partnerId: string | null } | null>(null);

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('summary')}
        actions={
          canAdd && tab === 'entries' ? (
            <Button
              color="red"
              leftSection={<IconBan size={16} />}
              onClick={() => setFlow({ action: 'add', partnerId: null })}
              data-testid="blacklist-add"
            >
              {t('actions.add')}
            </Button>
          ) : undefined
        }
      />
      <Tabs
        value={tab}
        onChange={(v) => update({ tab: v === 'risk' ? 'risk' : null, page: null, sort: null, dir: null })}
        variant="outline"
        radius="md"
      >
        <Tabs.List mb="md">
          <Tabs.Tab
            value="entries"
            leftSection={<IconListDetails size={16} />}
            data-testid="blacklist-tab-entries"
          >
            {t('tabs.entries')}
          </Tabs.Tab>
          <Tabs.Tab
            value="risk"
            leftSection={<IconAlertOctagon size={16} />}
            data-testid="blacklist-tab-risk"
          >
            {t('tabs.risk')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="entries">
          {tab === 'entries' && (
            <EntriesPanel
              onOpen={(p) => update({ partner: p })}
              onLift={(p) => setFlow({ action: 'lift', partnerId: p })}
            />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="risk">
          {tab === 'risk' && (
            <Suspense fallback={<Skeleton h={320} radius="md" />}>
              <RiskPanel />
            </Suspense>
          )}
        </Tabs.Panel>
      </Tabs>
      <Drawer
        opened={partner !== null}
        onClose={() => update({ partner: null })}
        position="right"
        size={620}
        padding="lg"
        title={
          shown ? (
            <Text fw={650} fz="lg">
              {t('history.title', { partner: shown })}
            </Text>
          ) : null
        }
        closeButtonProps={{ 'aria-label': t('history.close') }}
        withOverlay={false}
        closeOnClickOutside={false}
        trapFocus={false}
        lockScroll={false}
        shadow="xl"
        styles={{ inner: { top: 'var(--app-shell-header-height, 60px)', height: 'auto', bottom: 0 } }}
        // below the decision dialogs' overlay (200), so a dialog opened from here dims it too
        zIndex={150}
        data-testid="history-drawer"
      >
        {shown && (
          <HistoryPanel
            key={shown}
            partnerId={shown}
            onAdd={() => setFlow({ action: 'add', partnerId: shown })}
            onLift={() => setFlow({ action: 'lift', partnerId: shown })}
          />
        )}
      </Drawer>
      <BlacklistDecision
        action={flow?.action ?? null}
        partnerId={flow?.partnerId ?? null}
        onClose={() => setFlow(null)}
      />
    </>
  );
}
