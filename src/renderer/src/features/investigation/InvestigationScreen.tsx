import 'mantine-datatable/styles.css';
import { Skeleton, Stack, Tabs } from '@mantine/core';
import { IconListDetails, IconNetwork } from '@tabler/icons-react';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate } from '../../app/router';
import { useHashParams } from '../../app/use-hash-params';
import { PageHeader } from '../../shared/PageHeader';
import { QueuePanel } from './QueuePanel';
import { SharedIpsPanel } from './SharedIpsPanel';

// The group view brings cytoscape: loaded when a group is first opened, not with the app.
const GroupView = lazy(() => import('./GroupView').then((m) => ({ default: m.GroupView })));

/**
 * 同人调查 (#/investigation): the queue of same-person groups that touch a partner, one group's
 * identity graph and evidence (`?group=ID`), and the shared IPs (`?tab=ips`) — R-SAME-1..4.
 */
export function InvestigationScreen() {
  const { t } = useTranslation('investigation');
  const [params, update] = useHashParams();
  const group = params.get('group');
  const tab = params.get('tab') === 'ips' ? 'ips' : 'queue';
  return (
    <>
      <PageHeader title={t('title')} description={t('summary')} />
      {group ? (
        <Suspense
          fallback={
            <Stack gap="md" aria-busy>
              <Skeleton h={90} radius="md" />
              <Skeleton h={560} radius="md" />
            </Stack>
          }
        >
          <GroupView key={group} groupId={group} />
        </Suspense>
      ) : (
        <Tabs
          value={tab}
          onChange={(v) => update({ tab: v === 'ips' ? 'ips' : null, page: null, sort: null, dir: null })}
          variant="outline"
          radius="md"
        >
          <Tabs.List mb="md">
            <Tabs.Tab
              value="queue"
              leftSection={<IconListDetails size={16} />}
              data-testid="investigation-tab-queue"
            >
              {t('tabs.queue')}
            </Tabs.Tab>
            <Tabs.Tab value="ips" leftSection={<IconNetwork size={16} />} data-testid="investigation-tab-ips">
              {t('tabs.sharedIps')}
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="queue">
            {tab === 'queue' && (
              <QueuePanel
                onOpen={(g) =>
                  navigate('investigation', { ...Object.fromEntries(params.entries()), group: g })
                }
              />
            )}
          </Tabs.Panel>
          <Tabs.Panel value="ips">{tab === 'ips' && <SharedIpsPanel />}</Tabs.Panel>
        </Tabs>
      )}
    </>
  );
}
