import {
  Anchor,
  Button,
  CloseButton,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconSearch, IconUserSearch } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PartnerCard } from '../../../../main/api/methods/rules.contract';
import { apiClient, toApiError, type ApiCallError } from '../../app/api-client';
import { hrefFor } from '../../app/router';
import { useApiQuery } from '../../app/use-api-query';
import { useHashParams } from '../../app/use-hash-params';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatCount } from '../../shared/format';
import { PageHeader } from '../../shared/PageHeader';
import { LevelBadge, useLevelName } from './level-badge';
import { LevelTable } from './LevelTable';
import { LEVEL_READS, OverridesTable, PartnerLevels } from './PartnerLevels';

/** Finds a partner by id, name or phone (partners.search); one exact id match opens at once. */
function PartnerPicker({
  partnerId,
  onPick,
  levelName,
}: {
  partnerId: string | null;
  onPick(id: string | null): void;
  levelName: (id: string) => string;
}) {
  const { t, i18n } = useTranslation('levels');
  const locale = i18n.language;
  const [draft, setDraft] = useState(partnerId ?? '');
  const [results, setResults] = useState<PartnerCard[] | null>(null);
  const [error, setError] = useState<ApiCallError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const q = draft.trim();
    if (!q) return;
    setBusy(true);
    setError(null);
    try {
      const found = await apiClient().api.partners.search({ query: q });
      const exact = found.find((p) => p.partner_id.toLowerCase() === q.toLowerCase());
      if (exact || found.length === 1) {
        setResults(null);
        onPick((exact ?? found[0]).partner_id);
      } else setResults(found);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)" data-testid="partner-picker">
      <Stack gap="sm">
        <form onSubmit={(e) => void submit(e)} role="search">
          <Group gap="xs" wrap="nowrap">
            <TextInput
              style={{ flex: 1 }}
              aria-label={t('picker.label')}
              placeholder={t('picker.placeholder')}
              leftSection={<IconUserSearch size={16} />}
              value={draft}
              onChange={(e) => setDraft(e.currentTarget.value)}
              rightSection={
                draft ? (
                  <CloseButton
                    size="sm"
                    aria-label={t('picker.clear')}
                    onClick={() => {
                      setDraft('');
                      setResults(null);
                      onPick(null);
                    }}
                  />
                ) : null
              }
              data-testid="partner-search"
            />
            <Button
              type="submit"
              leftSection={<IconSearch size={16} />}
              loading={busy}
              data-testid="partner-search-submit"
            >
              {t('picker.search')}
            </Button>
          </Group>
        </form>
        {error && <ErrorAlert error={error} />}
        {results && results.length === 0 && (
          <Text size="sm" c="dimmed" data-testid="partner-search-none">
            {t('picker.none', { q: draft.trim() })}
          </Text>
        )}
        {results && results.length > 0 && (
          <Table verticalSpacing={6} highlightOnHover data-testid="partner-results">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('picker.partner')}</Table.Th>
                <Table.Th>{t('picker.level')}</Table.Th>
                <Table.Th ta="right">{t('picker.experience')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {results.map((p) => (
                <Table.Tr
                  key={p.partner_id}
                  style={{ cursor: 'pointer' }}
                  onClick={() => {
                    setResults(null);
                    setDraft(p.partner_id);
                    onPick(p.partner_id);
                  }}
                  data-partner={p.partner_id}
                >
                  <Table.Td>
                    <Text size="sm" fw={600} span>
                      {p.partner_id}
                    </Text>{' '}
                    <Text size="sm" c="dimmed" span>
                      {p.name ?? ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <LevelBadge level={p.level} name={p.level ? levelName(p.level) : undefined} />
                  </Table.Td>
                  <Table.Td ta="right" className="tabular-nums">
                    {formatCount(p.experience, locale)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}

/** Every override, newest first: who is lifted or lowered by hand (R-LVL-2). */
function AllOverrides({
  onPartner,
  levels,
}: {
  onPartner(id: string): void;
  levels: Parameters<typeof OverridesTable>[0]['levels'];
}) {
  const { t } = useTranslation('levels');
  const overrides = useApiQuery((api) => api.levels.overrides({}), LEVEL_READS);
  return (
    <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)" data-testid="all-overrides">
      <Title order={3} fz={16} fw={650} mb="sm">
        {t('overrides.allTitle')}
      </Title>
      {overrides.error ? (
        <ErrorAlert error={overrides.error} onRetry={overrides.reload} />
      ) : overrides.data ? (
        <OverridesTable overrides={overrides.data} levels={levels} showPartner onPartner={onPartner} />
      ) : null}
    </Paper>
  );
}

/**
 * 等级: the level table in force with partners per level (R-LVL-1), then one partner (search or
 * `#/levels?partner=P1`): their level history, experience ledger (R-EXP-1, R-CLAW-1) and overrides
 * (R-LVL-2). Editing the level table itself is in Settings.
 */
export function LevelsScreen() {
  const { t } = useTranslation('levels');
  const [params, update] = useHashParams();
  const partnerId = params.get('partner')?.trim() || null;
  const table = useApiQuery((api) => api.levels.table({}), LEVEL_READS);
  const name = useLevelName(table.data?.levels);
  const pick = (id: string | null) => update({ partner: id, page: null, sort: null, dir: null });
  return (
    <>
      <PageHeader title={t('title')} description={t('summary')} />
      <Stack gap="lg">
        <LevelTable table={table} />
        <PartnerPicker key={partnerId ?? ''} partnerId={partnerId} onPick={pick} levelName={name} />
        {partnerId ? (
          <PartnerLevels key={partnerId} partnerId={partnerId} levels={table.data?.levels} />
        ) : (
          <>
            <Text size="sm" c="dimmed" data-testid="partner-none">
              {t('picker.hint')}{' '}
              <Anchor size="sm" href={hrefFor('lookup')}>
                {t('picker.lookup')}
              </Anchor>
            </Text>
            <AllOverrides onPartner={(id) => pick(id)} levels={table.data?.levels} />
          </>
        )}
      </Stack>
    </>
  );
}
