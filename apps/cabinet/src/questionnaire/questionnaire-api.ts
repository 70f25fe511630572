// The buyer questionnaire (D2) over REST: read it (buyers:read), switch standard fields and manage
// the merchant's own fields (settings:write).
import type { z } from 'zod';
import {
  questionnaireFieldSchema,
  questionnaireSchema,
  type questionnaireFieldCreateSchema,
  type questionnaireFieldUpdateSchema,
  type standardFieldsUpdateSchema,
} from '@loyalty/protocol/api/questionnaire.schema';
import { api, apiNoContent } from '#api/http-client.ts';

export type Questionnaire = z.output<typeof questionnaireSchema>;
export type QuestionnaireField = z.output<typeof questionnaireFieldSchema>;
export type StandardFieldName = keyof Questionnaire['standardFields'];

export const fetchQuestionnaire = () => api(questionnaireSchema, 'GET', '/questionnaire');

export const updateStandardFields = (body: z.input<typeof standardFieldsUpdateSchema>) =>
  api(questionnaireSchema.shape.standardFields, 'PATCH', '/questionnaire/standard-fields', body);

export const createField = (body: z.input<typeof questionnaireFieldCreateSchema>) =>
  api(questionnaireFieldSchema, 'POST', '/questionnaire/fields', body);

export const updateField = (id: string, body: z.input<typeof questionnaireFieldUpdateSchema>) =>
  api(questionnaireFieldSchema, 'PATCH', `/questionnaire/fields/${id}`, body);

export const deleteField = (id: string) => apiNoContent('DELETE', `/questionnaire/fields/${id}`);
