import { Tabs } from '@mantine/core';
import {
  IconAdjustments,
  IconDatabase,
  IconLanguage,
  IconServer2,
  IconUsers,
  IconVersions,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useHashParams } from '../../app/use-hash-params';
import { PageHeader } from '../../shared/PageHeader';
import { useCan } from '../../shared/use-can';
import { BackupPanel } from './BackupPanel';
import { GeneralPanel } from './GeneralPanel';
import { OperatorsPanel } from './OperatorsPanel';
import { RulesPanel } from './RulesPanel';
import { TeamDatabasePanel } from './TeamDatabasePanel';
import { VersionsPanel } from './VersionsPanel';

const TABS = [
  { value: 'rules', icon: IconAdjustments, Panel: RulesPanel },
  { value: 'versions', icon: IconVersions, Panel: VersionsPanel },
  { value: 'operators', icon: IconUsers, Panel: OperatorsPanel },
  { value: 'backup', icon: IconDatabase, Panel: BackupPanel },
  // issue 13: which store this desk opens; admins only (R-OP-1)
  { value: 'teamdb', icon: IconServer2, Panel: TeamDatabasePanel },
  { value: 'general', icon: IconLanguage, Panel: GeneralPanel },
] as const;

/** 规则配置 and the desk's settings; the tab sits in the hash (`#/settings?tab=versions`). */
export function SettingsScreen() {
  const { t } = useTranslation('settings');
  const [params, update] = useHashParams();
  const canTeamDb = useCan('teamdb.get');
  const tabs = TABS.filter((x) => x.value !== 'teamdb' || canTeamDb);
  const tab = tabs.find((x) => x.value === params.get('tab'))?.value ?? 'rules';
  return (
    <>
      <PageHeader title={t('title')} description={t('summary')} />
      <Tabs
        value={tab}
        // another tab's own params (a, b, all) do not follow it
        onChange={(v) => v && update({ tab: v === 'rules' ? null : v, a: null, b: null, all: null })}
        keepMounted={false}
        data-testid="settings-tabs"
      >
        <Tabs.List mb="lg">
          {tabs.map(({ value, icon: Icon }) => (
            <Tabs.Tab
              key={value}
              value={value}
              leftSection={<Icon size={16} />}
              data-testid={`settings-tab-${value}`}
            >
              {t(`tabs.${value}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {tabs.map(({ value, Panel }) => (
          <Tabs.Panel key={value} value={value}>
            <Panel />
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}
