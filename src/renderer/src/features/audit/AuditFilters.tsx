import { Button, Group, Paper, Select, TextInput } from '@mantine/core';
import { IconFilterOff, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiQuery } from '../../app/use-api-query';
import { actionKey, AUDIT_ROLES, hasFilters, type AuditFilters, type AuditRole } from './params';

/** `payout.line.approved` → `payout.`, `payout.line.`: every family an action belongs to. */
function familiesOf(actions: string[]): string[] {
  const out = new Set<string>();
  for (const a of actions) {
    const parts = a.split('.');
    for (let i = 1; i < parts.length; i++) out.add(parts.slice(0, i).join('.') + '.');
  }
  return [...out].sort();
}

/** Filters of the log (R-OP-2): operator, role, action or family, entity id, Beijing days. */
export function AuditFiltersBar({
  filters,
  onChange,
}: {
  filters: AuditFilters;
  onChange(changes: Partial<AuditFilters>): void;
}) {
  const { t } = useTranslation('audit');
  const { t: tApp } = useTranslation('app');
  const facets = useApiQuery((api) => api.audit.facets(), ['audit_log']);
  const [entity, setEntity] = useState(filters.entity ?? '');
  const commitEntity = () => {
    const v = entity.trim() || null;
    if (v !== filters.entity) onChange({ entity: v });
  };
  const operators = facets.data?.operators ?? [];
  const actions = facets.data?.actions ?? [];
  const familyLabel = (f: string) => {
    const name = f.slice(0, -1);
    const label = t(`families.${actionKey(name)}`, { defaultValue: '' });
    return t('filters.family', { family: label ? `${label} · ${f}` : f });
  };
  const actionLabel = (a: string) => {
    const label = t(`actions.${actionKey(a)}`, { defaultValue: '' });
    return label ? `${label} · ${a}` : a;
  };
  // a linked filter the log does not hold (yet) stays selectable
  const withCurrent = (list: string[], current: string | null) =>
    current && !list.includes(current) ? [current, ...list] : list;
  const families = familiesOf(actions);
  return (
    <Paper withBorder radius="md" p="sm" bg="var(--app-card-bg)" data-testid="audit-filters">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Select
          label={t('filters.operator')}
          placeholder={t('filters.operatorAll')}
          data={withCurrent(operators, filters.operator)}
          value={filters.operator}
          onChange={(v) => onChange({ operator: v })}
          clearable
          searchable
          w={150}
          data-testid="filter-operator"
        />
        <Select
          label={t('filters.role')}
          placeholder={t('filters.roleAll')}
          data={AUDIT_ROLES.map((r) => ({ value: r, label: tApp(`roles.${r}`) }))}
          value={filters.role}
          onChange={(v) => onChange({ role: v as AuditRole | null })}
          clearable
          w={110}
          data-testid="filter-role"
        />
        <Select
          label={t('filters.action')}
          placeholder={t('filters.actionAll')}
          data={[
            {
              group: t('filters.groupFamilies'),
              items: withCurrent(families, filters.action?.endsWith('.') ? filters.action : null).map(
                (f) => ({ value: f, label: familyLabel(f) }),
              ),
            },
            {
              group: t('filters.groupActions'),
              items: withCurrent(
                actions,
                filters.action && !filters.action.endsWith('.') ? filters.action : null,
              ).map((a) => ({ value: a, label: actionLabel(a) })),
            },
          ]}
          value={filters.action}
          onChange={(v) => onChange({ action: v })}
          clearable
          searchable
          w={220}
          comboboxProps={{ width: 320, position: 'bottom-start' }}
          data-testid="filter-action"
        />
        <TextInput
          label={t('filters.entity')}
          placeholder={t('filters.entityPlaceholder')}
          value={entity}
          onChange={(e) => setEntity(e.currentTarget.value)}
          onBlur={commitEntity}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commitEntity();
          }}
          leftSection={<IconSearch size={14} />}
          w={170}
          spellCheck={false}
          data-testid="filter-entity"
        />
        <TextInput
          type="date"
          label={t('filters.from')}
          title={t('filters.dateHint')}
          value={filters.from ?? ''}
          max={filters.to ?? undefined}
          onChange={(e) => onChange({ from: e.currentTarget.value || null })}
          w={140}
          data-testid="filter-from"
        />
        <TextInput
          type="date"
          label={t('filters.until')}
          title={t('filters.dateHint')}
          value={filters.to ?? ''}
          min={filters.from ?? undefined}
          onChange={(e) => onChange({ to: e.currentTarget.value || null })}
          w={140}
          data-testid="filter-until"
        />
        {hasFilters(filters) && (
          <Button
            variant="subtle"
            leftSection={<IconFilterOff size={15} />}
            onClick={() => {
              setEntity('');
              onChange({ operator: null, role: null, action: null, entity: null, from: null, to: null });
            }}
            data-testid="filter-clear"
          >
            {t('filters.clear')}
          </Button>
        )}
      </Group>
    </Paper>
  );
}
