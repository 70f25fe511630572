// Cabinet login, sessions, users and API keys (C10, B4).
import { z } from 'zod';

/** Every permission a route can require; a session lists its role's (C10). */
export const Permission = {
  settingsRead: 'settings:read',
  settingsWrite: 'settings:write',
  promotionsWrite: 'promotions:write',
  catalogueWrite: 'catalogue:write',
  storesWrite: 'stores:write',
  buyersRead: 'buyers:read',
  buyersWrite: 'buyers:write',
  pointsManual: 'points:manual',
  salesRead: 'sales:read',
  salesWrite: 'sales:write',
  reportsRead: 'reports:read',
  usersManage: 'users:manage',
  auditRead: 'audit:read',
  terminalsRead: 'terminals:read',
  terminalsManage: 'terminals:manage',
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];

export const roleSchema = z.enum(['owner', 'admin', 'marketer', 'manager', 'analyst']);

const password = z
  .string()
  .min(10, 'Пароль должен быть не короче 10 символов')
  .max(200, 'Пароль слишком длинный');

export const loginRequestSchema = z.object({
  email: z.email('Укажите e-mail').max(200),
  password: z.string().min(1, 'Укажите пароль').max(200),
});

export const userSchema = z
  .object({
    id: z.uuid(),
    merchantId: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: roleSchema,
    disabled: z.boolean(),
  })
  .meta({ id: 'User' });

/** The signed-in user's merchant: the cabinet formats dates in its time zone. */
export const sessionMerchantSchema = z.object({ id: z.uuid(), name: z.string(), timeZone: z.string() });

/** `permissions` are the role's (apps/server/src/auth/permissions.ts): the cabinet's menu follows them. */
export const sessionSchema = z
  .object({
    user: userSchema,
    merchant: sessionMerchantSchema,
    csrfToken: z.string(),
    permissions: z.array(z.string()),
  })
  .meta({ id: 'Session' });

export const passwordChangeSchema = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: password,
});

/** "Forgot password": the answer is the same whether or not the e-mail belongs to a user. */
export const passwordResetRequestSchema = z.object({ email: z.email('Укажите e-mail').max(200) });

export const passwordResetSchema = z.object({ token: z.string().min(10).max(200), newPassword: password });

export const passwordResetIssuedSchema = z.object({ resetToken: z.string(), expiresAt: z.iso.datetime() });

export const userCreateSchema = z.object({
  email: z.email('Укажите e-mail').max(200),
  name: z.string().max(200).default(''),
  role: roleSchema,
  password,
});

export const userUpdateSchema = z
  .object({ name: z.string().max(200), role: roleSchema, disabled: z.boolean() })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Укажите, что изменить');

export const apiKeyCreateSchema = z.object({
  name: z.string().min(1).max(200),
  scopes: z.array(z.string().min(1).max(50)).min(1).max(50),
});

export const apiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    scopes: z.array(z.string()),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
    revoked: z.boolean(),
  })
  .meta({ id: 'ApiKey' });

/** The key itself is shown once, at creation. */
export const apiKeyCreatedSchema = apiKeySchema.extend({ key: z.string() });
