// Cabinet users and integration API keys (C10, B4) over REST; both need `users:manage`.
import { z } from 'zod';
import {
  apiKeyCreatedSchema,
  apiKeySchema,
  userSchema,
  type apiKeyCreateSchema,
  type userCreateSchema,
  type userUpdateSchema,
} from '@loyalty/protocol/api/auth.schema';
import { api, apiNoContent } from '#api/http-client.ts';

export type User = z.output<typeof userSchema>;
export type ApiKey = z.output<typeof apiKeySchema>;
export type ApiKeyCreated = z.output<typeof apiKeyCreatedSchema>;

export const fetchUsers = () => api(z.array(userSchema), 'GET', '/users');

export const createUser = (body: z.input<typeof userCreateSchema>) => api(userSchema, 'POST', '/users', body);

export const updateUser = (id: string, body: z.input<typeof userUpdateSchema>) =>
  api(userSchema, 'PATCH', `/users/${id}`, body);

export const fetchApiKeys = () => api(z.array(apiKeySchema), 'GET', '/api-keys');

export const createApiKey = (body: z.input<typeof apiKeyCreateSchema>) =>
  api(apiKeyCreatedSchema, 'POST', '/api-keys', body);

export const revokeApiKey = (id: string) => apiNoContent('DELETE', `/api-keys/${id}`);
