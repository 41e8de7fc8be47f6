import { ScrollArea, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SyncRejection } from '../../../../main/api/methods/sync.contract';

/** Line, column, value, message (in the UI language) of rows that would be rejected. */
export function RejectionsTable({
  rejections,
  testId,
}: {
  rejections: readonly Pick<SyncRejection, 'line' | 'column' | 'value' | 'messageZh' | 'messageEn'>[];
  testId: string;
}) {
  const { t, i18n } = useTranslation('sync');
  const en = i18n.language === 'en';
  return (
    <ScrollArea.Autosize mah={260} type="auto">
      <Table verticalSpacing={6} fz="sm" data-testid={testId} className="tabular-nums" stickyHeader>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={72} style={{ whiteSpace: 'nowrap' }}>
              {t('file.line')}
            </Table.Th>
            <Table.Th w={150}>{t('file.errorColumn')}</Table.Th>
            <Table.Th w={200}>{t('file.errorValue')}</Table.Th>
            <Table.Th>{t('file.errorMessage')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rejections.map((r, i) => (
            <Table.Tr key={`${r.line}-${r.column}-${i}`} data-line={r.line} data-column={r.column ?? ''}>
              <Table.Td data-cell="line">{r.line}</Table.Td>
              <Table.Td data-cell="column">
                {r.column ? (
                  <Text span ff="monospace" fz="xs">
                    {r.column}
                  </Text>
                ) : (
                  '—'
                )}
              </Table.Td>
              <Table.Td data-cell="value">
                {r.value ? (
                  <Text
                    span
                    ff="monospace"
                    fz="xs"
                    c="var(--mantine-color-red-text)"
                    style={{ wordBreak: 'break-all' }}
                  >
                    {r.value}
                  </Text>
                ) : (
                  <Text span c="dimmed" fz="xs">
                    —
                  </Text>
                )}
              </Table.Td>
              <Table.Td data-cell="message">{en ? r.messageEn : r.messageZh}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}
