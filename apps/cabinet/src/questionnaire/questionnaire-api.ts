// The buyer questionnaire (D2) over REST: read it (buyers:read), switch standard fields and manage
// the merchant's own fields (settings:write).
import { z } from 'zod';
import { categoryNodeSchema } from '@loyalty/protocol/api/catalogue.schema';
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
export type CategoryNode = z.output<typeof categoryNodeSchema>;

export const fetchQuestionnaire = () => api(questionnaireSchema, 'GET', '/questionnaire');

export const updateStandardFields = (body: z.input<typeof standardFieldsUpdateSchema>) =>
  api(questionnaireSchema.shape.standardFields, 'PATCH', '/questionnaire/standard-fields', body);

export const createField = (body: z.input<typeof questionnaireFieldCreateSchema>) =>
  api(questionnaireFieldSchema, 'POST', '/questionnaire/fields', body);

export const updateField = (id: string, body: z.input<typeof questionnaireFieldUpdateSchema>) =>
  api(questionnaireFieldSchema, 'PATCH', `/questionnaire/fields/${id}`, body);

export const deleteField = (id: string) => apiNoContent('DELETE', `/questionnaire/fields/${id}`);

/** The merchant's category tree, to choose the categories that make a field required. */
export const fetchCategoryTree = () => api(z.array(categoryNodeSchema), 'GET', '/categories/tree');

/** Every category of the tree by id, subcategories included, for the fields table. */
export function categoryNames(tree: readonly CategoryNode[]): Map<string, string> {
  const names = new Map<string, string>();
  const walk = (nodes: readonly CategoryNode[]) => {
    for (const node of nodes) {
      names.set(node.id, node.name);
      walk(node.children);
    }
  };
  walk(tree);
  return names;
}
