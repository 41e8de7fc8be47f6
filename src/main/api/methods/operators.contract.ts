/**
 * 操作员与会话: who operates this desk (R-OP-1). Before anyone has signed in only the public
 * methods answer: the sign-in screen, and the first operator of an empty store. No Node imports.
 */
import { z } from 'zod';
import { ADMINS, method, READERS, type Role } from '../define';

export interface ActorView {
  operatorId: string;
  name: string;
  role: Role | 'system';
}

export interface OperatorInfo {
  operatorId: string;
  name: string;
  role: Role;
  hasPin: boolean;
  createdAt: number;
  createdBy: string | null;
}

export interface SessionStatus {
  actor: ActorView | null;
  /** the store has no operator yet: the app asks for the first one (an admin, with a PIN) */
  needsFirstOperator: boolean;
  /** who may sign in (names and roles, never PINs) */
  operators: OperatorInfo[];
}

export const ROLES = ['admin', 'finance', 'support'] as const;
export const operatorId = z
  .string()
  .trim()
  .max(40)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/,
    '字母、数字及 _ . -（最多 40 个）/ letters, digits, _ . - (at most 40)',
  );
export const pin = z
  .string()
  .max(12)
  .regex(/^\d{4,12}$/, 'PIN 须为 4–12 位数字 / 4 to 12 digits');

export const operatorsContract = {
  'session.status': method<SessionStatus>()(z.object({}).strict(), 'public'),
  /** Signing in (or switching operator) asks for that operator's PIN where one is set. */
  'session.signIn': method<ActorView>()(z.object({ operatorId, pin: pin.optional() }).strict(), 'public'),
  'session.signOut': method<{ signedOut: boolean }>()(z.object({}).strict(), 'public'),
  /**
   * The first operator of an empty store: an admin (the app asks for a PIN; a script may leave it
   * out); refused once any operator exists.
   */
  'operators.bootstrap': method<ActorView>()(
    z.object({ operatorId, name: z.string().trim().min(1).max(60), pin: pin.optional() }).strict(),
    'public',
    ['operators', 'audit_log'],
  ),
  'operators.list': method<OperatorInfo[]>()(z.object({}).strict(), READERS),
  'operators.add': method<OperatorInfo>()(
    z
      .object({
        operatorId,
        name: z.string().trim().min(1).max(60),
        role: z.enum(ROLES),
        pin: pin.optional(),
      })
      .strict(),
    ADMINS,
    ['operators', 'audit_log'],
  ),
};
