import { Group, NumberInput, Paper, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { RuleConfig } from '../../../../main/rules/config';
import { formatParam, ruleParams, type ValueKind } from './rule-fields';

const CYCLES = ['monthly', 'semi-monthly', 'weekly'] as const;

/** Field errors keyed by the zod path (`levels.1.threshold`, `attribution.window_days`). */
export type FieldErrors = Record<string, string>;

const num = (v: string | number) => (v === '' ? Number.NaN : Number(v));
const shown = (n: number) => (Number.isFinite(n) ? n : '');

/** The paths whose value differs from `base` (the version in force). */
export function changedPaths(config: RuleConfig, base: RuleConfig): Set<string> {
  const before = new Map(ruleParams(base).map((p) => [p.path, JSON.stringify(p.value)]));
  return new Set(
    ruleParams(config)
      .filter((p) => before.get(p.path) !== JSON.stringify(p.value))
      .map((p) => p.path),
  );
}

const changedStyle = { input: { borderColor: 'var(--mantine-color-orange-6)', borderWidth: 2 } };

interface ParamProps {
  label: string;
  hint?: string;
  kind: ValueKind;
  value: number;
  /** shown in the input: the stored value converted (bp → %, fen → ¥) */
  inputValue?: number;
  onChange?: (v: number) => void;
  editing: boolean;
  changed: boolean;
  error?: string;
  testId: string;
  suffix?: string;
  prefix?: string;
  decimalScale?: number;
}

function Param(p: ParamProps) {
  const { t, i18n } = useTranslation('settings');
  return (
    <Group justify="space-between" wrap="nowrap" gap="md" align="center" data-testid={p.testId}>
      <Stack gap={0} style={{ minWidth: 0 }}>
        <Text size="sm" fw={500}>
          {p.label}
        </Text>
        {p.hint && (
          <Text size="xs" c="dimmed">
            {p.hint}
          </Text>
        )}
      </Stack>
      {p.editing ? (
        <NumberInput
          size="sm"
          w={150}
          value={shown(p.inputValue ?? p.value)}
          onChange={(v) => p.onChange?.(num(v))}
          suffix={p.suffix}
          prefix={p.prefix}
          decimalScale={p.decimalScale ?? 0}
          thousandSeparator=","
          min={0}
          hideControls
          error={p.error}
          styles={p.changed && !p.error ? changedStyle : undefined}
          aria-label={p.label}
          data-changed={p.changed || undefined}
          data-testid={`${p.testId}-input`}
          style={{ flexShrink: 0 }}
        />
      ) : (
        <Text
          size="sm"
          fw={600}
          className="tabular-nums"
          style={{ flexShrink: 0 }}
          data-testid={`${p.testId}-value`}
        >
          {formatParam(p.kind, p.value, i18n.language, t)}
        </Text>
      )}
    </Group>
  );
}

function Section({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)">
      <Stack gap="sm">
        <Title order={4} fz={15}>
          {title}
        </Title>
        {children}
        {footer && (
          <Text size="xs" c="dimmed">
            {footer}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

/**
 * The rule configuration, shown (or edited, for admins) in the terms of RULES.md: the level table,
 * attribution, clawback, experience and the risk flag. Ratios are edited in %, money in ¥; the
 * configuration keeps basis points and fen.
 */
export function RuleConfigForm({
  config,
  base,
  editing,
  onChange,
  errors = {},
}: {
  config: RuleConfig;
  base: RuleConfig;
  editing: boolean;
  onChange?: (next: RuleConfig) => void;
  errors?: FieldErrors;
}) {
  const { t, i18n } = useTranslation('settings');
  const locale = i18n.language;
  const changed = editing ? changedPaths(config, base) : new Set<string>();
  const set = (f: (c: RuleConfig) => void) => {
    const next = structuredClone(config);
    f(next);
    onChange?.(next);
  };
  const common = (path: string) => ({ editing, changed: changed.has(path), error: errors[path] });
  const cell = (kind: ValueKind, v: unknown) => (
    <Text size="sm" className="tabular-nums">
      {formatParam(kind, v, locale, t)}
    </Text>
  );

  return (
    <Stack gap="md" data-testid="rule-config" data-editing={editing}>
      <Section title={t('sections.levels')} footer={t('sections.levelsHint')}>
        <Table
          verticalSpacing={editing ? 6 : 8}
          withTableBorder
          highlightOnHover={!editing}
          data-testid="level-table"
          style={{ background: 'var(--app-card-bg)' }}
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('fields.level')}</Table.Th>
              <Table.Th>
                {t('fields.threshold')}{' '}
                <Text span size="xs" c="dimmed" fw={400}>
                  ({t('fields.thresholdHint')})
                </Text>
              </Table.Th>
              <Table.Th>{t('fields.ratio')}</Table.Th>
              <Table.Th>{t('fields.cap')}</Table.Th>
              <Table.Th>{t('fields.cycle')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {config.levels.map((l, i) => {
              const path = (k: string) => `levels.${l.id}.${k}`;
              const err = (k: string) => errors[`levels.${i}.${k}`];
              const style = (k: string) => (changed.has(path(k)) && !err(k) ? changedStyle : undefined);
              return (
                <Table.Tr key={l.id} data-level={l.id}>
                  <Table.Td>
                    <Group gap={8} wrap="nowrap">
                      <Text size="sm" fw={650}>
                        {l.id}
                      </Text>
                      <Text size="sm" c="dimmed">
                        {locale === 'en' ? l.name_en : l.name_zh}
                      </Text>
                    </Group>
                  </Table.Td>
                  <Table.Td data-col="threshold">
                    {editing ? (
                      <NumberInput
                        size="xs"
                        w={110}
                        value={shown(l.threshold)}
                        onChange={(v) => set((c) => void (c.levels[i].threshold = num(v)))}
                        disabled={i === 0}
                        min={0}
                        hideControls
                        thousandSeparator=","
                        error={err('threshold')}
                        styles={style('threshold')}
                        aria-label={`${l.id} ${t('fields.threshold')}`}
                        data-testid={`level-${l.id}-threshold`}
                      />
                    ) : (
                      cell('count', l.threshold)
                    )}
                  </Table.Td>
                  <Table.Td data-col="ratio">
                    {editing ? (
                      <NumberInput
                        size="xs"
                        w={110}
                        value={shown(l.ratio_bp / 100)}
                        onChange={(v) => set((c) => void (c.levels[i].ratio_bp = Math.round(num(v) * 100)))}
                        suffix="%"
                        decimalScale={2}
                        min={0}
                        max={100}
                        hideControls
                        error={err('ratio_bp')}
                        styles={style('ratio_bp')}
                        aria-label={`${l.id} ${t('fields.ratio')}`}
                        data-testid={`level-${l.id}-ratio`}
                      />
                    ) : (
                      cell('bp', l.ratio_bp)
                    )}
                  </Table.Td>
                  <Table.Td data-col="cap">
                    {editing ? (
                      <NumberInput
                        size="xs"
                        w={150}
                        value={shown(l.cap_fen / 100)}
                        onChange={(v) => set((c) => void (c.levels[i].cap_fen = Math.round(num(v) * 100)))}
                        prefix="¥"
                        decimalScale={2}
                        thousandSeparator=","
                        min={0}
                        hideControls
                        error={err('cap_fen')}
                        styles={style('cap_fen')}
                        aria-label={`${l.id} ${t('fields.cap')}`}
                        data-testid={`level-${l.id}-cap`}
                      />
                    ) : (
                      cell('fen', l.cap_fen)
                    )}
                  </Table.Td>
                  <Table.Td data-col="cycle">
                    {editing ? (
                      <Select
                        size="xs"
                        w={130}
                        value={l.cycle}
                        allowDeselect={false}
                        data={CYCLES.map((c) => ({ value: c, label: t(`cycles.${c}`) }))}
                        onChange={(v) =>
                          v && set((c) => void (c.levels[i].cycle = v as (typeof CYCLES)[number]))
                        }
                        styles={style('cycle')}
                        aria-label={`${l.id} ${t('fields.cycle')}`}
                        data-testid={`level-${l.id}-cycle`}
                      />
                    ) : (
                      cell('cycle', l.cycle)
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Section>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Section title={t('sections.attribution')}>
          <Param
            label={t('fields.windowDays')}
            hint={t('fields.windowDaysHint')}
            kind="days"
            value={config.attribution.window_days}
            onChange={(v) => set((c) => void (c.attribution.window_days = v))}
            suffix={t('units.daysSuffix')}
            decimalScale={2}
            testId="param-window-days"
            {...common('attribution.window_days')}
          />
          <Param
            label={t('fields.lockDays')}
            hint={t('fields.lockDaysHint')}
            kind="days"
            value={config.attribution.lock_days}
            onChange={(v) => set((c) => void (c.attribution.lock_days = v))}
            suffix={t('units.daysSuffix')}
            decimalScale={2}
            testId="param-lock-days"
            {...common('attribution.lock_days')}
          />
          <Param
            label={t('fields.lookbackDays')}
            hint={t('fields.lookbackDaysHint')}
            kind="days"
            value={config.not_attributed_lookback_days}
            onChange={(v) => set((c) => void (c.not_attributed_lookback_days = v))}
            suffix={t('units.daysSuffix')}
            decimalScale={2}
            testId="param-lookback-days"
            {...common('not_attributed_lookback_days')}
          />
        </Section>
        <Section title={t('sections.clawback')}>
          <Param
            label={t('fields.clawbackDays')}
            hint={t('fields.clawbackDaysHint')}
            kind="days"
            value={config.clawback.window_days}
            onChange={(v) => set((c) => void (c.clawback.window_days = v))}
            suffix={t('units.daysSuffix')}
            decimalScale={2}
            testId="param-clawback-days"
            {...common('clawback.window_days')}
          />
        </Section>
        <Section
          title={t('sections.exp')}
          footer={t('sections.expFormula', {
            base: Number.isFinite(config.exp.base) ? config.exp.base : '?',
            step: formatParam('yuan', config.exp.step_yuan, locale, t),
            per: Number.isFinite(config.exp.per_step) ? config.exp.per_step : '?',
          })}
        >
          <Param
            label={t('fields.expBase')}
            kind="count"
            value={config.exp.base}
            onChange={(v) => set((c) => void (c.exp.base = v))}
            testId="param-exp-base"
            {...common('exp.base')}
          />
          <Param
            label={t('fields.expStep')}
            kind="yuan"
            value={config.exp.step_yuan}
            onChange={(v) => set((c) => void (c.exp.step_yuan = v))}
            prefix="¥"
            decimalScale={2}
            testId="param-exp-step"
            {...common('exp.step_yuan')}
          />
          <Param
            label={t('fields.expPerStep')}
            kind="count"
            value={config.exp.per_step}
            onChange={(v) => set((c) => void (c.exp.per_step = v))}
            testId="param-exp-per-step"
            {...common('exp.per_step')}
          />
        </Section>
        <Section
          title={t('sections.risk')}
          footer={t('sections.riskSentence', {
            days: formatParam('days', config.risk.window_days, locale, t),
            orders: Number.isFinite(config.risk.min_clawed_orders) ? config.risk.min_clawed_orders : '?',
            share: formatParam('bp', config.risk.min_clawed_share_bp, locale, t),
          })}
        >
          <Param
            label={t('fields.riskOrders')}
            kind="count"
            value={config.risk.min_clawed_orders}
            onChange={(v) => set((c) => void (c.risk.min_clawed_orders = v))}
            testId="param-risk-orders"
            {...common('risk.min_clawed_orders')}
          />
          <Param
            label={t('fields.riskShare')}
            kind="bp"
            value={config.risk.min_clawed_share_bp}
            inputValue={config.risk.min_clawed_share_bp / 100}
            onChange={(v) => set((c) => void (c.risk.min_clawed_share_bp = Math.round(v * 100)))}
            suffix="%"
            decimalScale={2}
            testId="param-risk-share"
            {...common('risk.min_clawed_share_bp')}
          />
          <Param
            label={t('fields.riskDays')}
            kind="days"
            value={config.risk.window_days}
            onChange={(v) => set((c) => void (c.risk.window_days = v))}
            suffix={t('units.daysSuffix')}
            decimalScale={2}
            testId="param-risk-days"
            {...common('risk.window_days')}
          />
        </Section>
      </SimpleGrid>
    </Stack>
  );
}
