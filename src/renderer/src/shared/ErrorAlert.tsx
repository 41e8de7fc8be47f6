import { Alert, Badge, Button, Code, Group, List, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorShape } from '../app/api-client';
import { hintValues } from './hint-values';
import { messageIn } from './message-in';

interface Issue {
  path: string[];
  message: string;
}

function issuesOf(details: unknown): Issue[] {
  if (!details || typeof details !== 'object') return [];
  const issues = (details as { issues?: unknown }).issues;
  if (!Array.isArray(issues)) return [];
  return issues.flatMap((i: unknown) => {
    const o = i as { path?: unknown; message?: unknown };
    return typeof o?.message === 'string' && Array.isArray(o.path)
      ? [{ path: o.path.map(String), message: o.message }]
      : [];
  });
}

export interface ErrorAlertProps {
  error: ApiErrorShape;
  /** What the user was doing, e.g. "Loading the demo data failed". */
  context?: string;
  onRetry?: () => void;
}

/**
 * Shows a contract error in the current language: a translated title and hint for known codes
 * (INVALID_INPUT, UNAUTHORIZED, …), the field issues of a validation error, and the raw
 * message as detail for support.
 */
export function ErrorAlert({ error, context, onRetry }: ErrorAlertProps) {
  const { t, i18n } = useTranslation('app');
  const key = i18n.exists(`errors.${error.code}.title`, { ns: 'app' }) ? error.code : 'fallback';
  const issues = issuesOf(error.details);
  return (
    <Alert
      color="red"
      variant="light"
      radius="md"
      icon={<IconAlertTriangle size={20} />}
      data-testid="error-alert"
      data-error-code={error.code}
      title={
        <Group gap="xs" wrap="nowrap">
          <span>{context ?? t(`errors.${key}.title`)}</span>
        </Group>
      }
    >
      <Stack gap={8}>
        {context && (
          <Text size="sm" fw={600} data-testid="error-title">
            {t(`errors.${key}.title`)}
          </Text>
        )}
        <Text size="sm" data-testid="error-hint">
          {t(`errors.${key}.hint`, hintValues(error.details))}
        </Text>
        {issues.length > 0 && (
          <List size="sm" spacing={4} data-testid="error-issues">
            {issues.map((issue, n) => (
              <List.Item key={n}>
                <Text span size="sm" c="dimmed">
                  {t('common.field')}
                </Text>{' '}
                <Code>{issue.path.join('.') || '—'}</Code> {messageIn(i18n.language, issue.message)}
              </List.Item>
            ))}
          </List>
        )}
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <Badge
            size="sm"
            variant="outline"
            color="red"
            radius="sm"
            style={{ flexShrink: 0 }}
            data-testid="error-code"
          >
            {error.code}
          </Badge>
          <Text size="xs" c="dimmed" style={{ wordBreak: 'break-word' }} data-testid="error-message">
            {t('common.details')}: {messageIn(i18n.language, error.message)}
          </Text>
        </Group>
        {onRetry && (
          <Group>
            <Button
              size="xs"
              variant="light"
              color="red"
              leftSection={<IconRefresh size={14} />}
              onClick={onRetry}
            >
              {t('common.retry')}
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}
