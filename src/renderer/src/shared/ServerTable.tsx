import 'mantine-datatable/styles.css';
import { Stack, Text } from '@mantine/core';
import { IconDatabaseOff } from '@tabler/icons-react';
import {
  DataTable,
  type DataTableColumn,
  type DataTableProps,
  type DataTableSortStatus,
} from 'mantine-datatable';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { YunkeApi } from '../app/api-client';
import { pageParam, useHashParams } from '../app/use-hash-params';
import { useApiQuery } from '../app/use-api-query';
import { ErrorAlert } from './ErrorAlert';
import { formatCount } from './format';

export interface PageRequest {
  limit: number;
  offset: number;
  /** the column sorted by and its direction, when the table offers sorting */
  sort?: { column: string; direction: 'asc' | 'desc' };
}

export interface ServerTableProps<T> {
  /** One page from the store: paging, sorting and filters happen there, never here. */
  load: (api: YunkeApi, page: PageRequest) => Promise<{ rows: T[]; total: number }>;
  /** Tables the rows come from: a write to one of them loads the page again. */
  reads: readonly string[];
  /** The filters' identity (a new key loads page 1 of the new filters). */
  filterKey: string;
  columns: DataTableColumn<T>[];
  idAccessor: keyof T & string;
  pageSize?: number;
  /** Sorting offered on these columns; the default first. */
  sortable?: { default: { column: string; direction: 'asc' | 'desc' } };
  empty: ReactNode;
  onRowClick?: (row: T) => void;
  rowAttributes?: (row: T) => Record<string, string>;
  highlighted?: (row: T) => boolean;
  testId: string;
}

/**
 * The one server-side table: page and sort live in the hash URL (`page`, `sort`, `dir`), rows come
 * a page at a time from a contract method, with loading, empty and error states; money and dates
 * are the columns' business (shared/format.ts).
 */
export function ServerTable<T>(props: ServerTableProps<T>) {
  const { t, i18n } = useTranslation('app');
  const locale = i18n.language;
  const [params, update] = useHashParams();
  const pageSize = props.pageSize ?? 20;
  const page = pageParam(params);
  const sort =
    props.sortable &&
    (params.get('sort')
      ? { column: params.get('sort')!, direction: params.get('dir') === 'asc' ? 'asc' : ('desc' as const) }
      : props.sortable.default);
  const data = useApiQuery(
    (api) =>
      props.load(api, {
        limit: pageSize,
        offset: (page - 1) * pageSize,
        sort: sort ? { column: sort.column, direction: sort.direction as 'asc' | 'desc' } : undefined,
      }),
    props.reads,
    `${props.filterKey}|${page}|${sort?.column ?? ''}|${sort?.direction ?? ''}`,
  );
  const total = data.data?.total ?? 0;
  const tableProps = {
    withTableBorder: true,
    borderRadius: 'md',
    highlightOnHover: true,
    verticalSpacing: 10,
    minHeight: data.data && total === 0 ? 200 : undefined,
    idAccessor: props.idAccessor,
    records: data.data?.rows ?? [],
    columns: props.columns,
    fetching: data.loading,
    loaderType: 'dots',
    totalRecords: total,
    recordsPerPage: pageSize,
    page,
    onPageChange: (p: number) => update({ page: p > 1 ? String(p) : null }),
    ...(sort
      ? {
          sortStatus: { columnAccessor: sort.column, direction: sort.direction } as DataTableSortStatus<T>,
          onSortStatusChange: (st: DataTableSortStatus<T>) =>
            update({ sort: String(st.columnAccessor), dir: st.direction, page: null }),
        }
      : {}),
    paginationText: ({ from, to, totalRecords }: { from: number; to: number; totalRecords: number }) =>
      t('table.pagination', {
        from: formatCount(from, locale),
        to: formatCount(to, locale),
        total: formatCount(totalRecords, locale),
      }),
    noRecordsText: '',
    emptyState:
      data.data && total === 0 ? (
        <Stack align="center" gap={6} data-testid={`${props.testId}-empty`}>
          <IconDatabaseOff size={28} stroke={1.4} color="var(--mantine-color-dimmed)" />
          <Text size="sm" c="dimmed">
            {props.empty}
          </Text>
        </Stack>
      ) : undefined,
    onRowClick: props.onRowClick ? ({ record }: { record: T }) => props.onRowClick!(record) : undefined,
    rowStyle: (r: T) =>
      props.highlighted?.(r) ? { background: 'var(--mantine-primary-color-light)' } : undefined,
    customRowAttributes: props.rowAttributes,
    style: { background: 'var(--app-card-bg)' },
    'data-testid': props.testId,
    'data-total': data.data ? total : undefined,
  };
  return (
    <Stack gap="sm">
      {data.error && <ErrorAlert error={data.error} onRetry={data.reload} />}
      <DataTable<T> {...(tableProps as DataTableProps<T>)} />
    </Stack>
  );
}
