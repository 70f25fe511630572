// Cabinet login, sessions, users and API keys (C10, B4).
import { z } from 'zod';

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

export const sessionSchema = z
  .object({ user: userSchema, csrfToken: z.string(), permissions: z.array(z.string()) })
  .meta({ id: 'Session' });

export const passwordChangeSchema = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: password,
});

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
