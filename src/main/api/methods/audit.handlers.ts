import { exportAudit } from '../../audit/export';
import { auditFacets, listAudit } from '../../audit/list';
import { verifyAuditStore } from '../../audit/verify';
import { nowOf } from '../context';
import type { HandlersOf } from '../handler-types';
import type { auditContract } from './audit.contract';

export const auditHandlers: HandlersOf<typeof auditContract> = {
  'audit.list': async (ctx, input) => listAudit(ctx.store.db, input),
  'audit.facets': async (ctx) => auditFacets(ctx.store.db),
  'audit.verify': async (ctx) =>
    verifyAuditStore(ctx.store, { nativeBinding: ctx.storeOptions?.nativeBinding }),
  'audit.export': async (ctx, { format, ...filter }) => {
    let content = '';
    const entries = await exportAudit(ctx.store.db, format, (chunk) => void (content += chunk), filter);
    const stamp = new Date(nowOf(ctx)).toISOString().slice(0, 19).replace(/[-:T]/g, '');
    return { fileName: `yunke-audit-${stamp}.${format}`, content, entries };
  },
};
