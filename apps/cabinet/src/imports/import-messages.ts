// Strings of the import wizard's "map columns" step (B5), Russian first and English complete;
// ru.ts and en.ts mount them under `importsEditor`.
import type { Messages } from '#i18n/ru.ts';

export const importsEditorRu = {
  step: 'Колонки',
  title: 'Сопоставьте колонки файла с полями',
  hint: 'Колонки сопоставлены по заголовкам; поправьте, что нужно. Колонки «не загружать» пропускаются.',
  fileColumn: 'Колонка файла',
  sample: 'Первые строки',
  field: 'Поле',
  skip: 'Не загружать',
  rows: 'Строк с данными: {{rows}}',
  missing: 'Не назначены обязательные поля: {{fields}}',
  reading: 'Читаем файл…',
  noHeader: '(без заголовка)',
  column: 'Колонка {{n}}',
};

export const importsEditorEn: Messages['importsEditor'] = {
  step: 'Columns',
  title: "Match the file's columns to fields",
  hint: 'Columns were matched by their headers; correct what you need. "Skip" columns are not read.',
  fileColumn: 'File column',
  sample: 'First rows',
  field: 'Field',
  skip: 'Skip',
  rows: 'Data rows: {{rows}}',
  missing: 'Required fields not assigned: {{fields}}',
  reading: 'Reading the file…',
  noHeader: '(no header)',
  column: 'Column {{n}}',
};
