// The "export to Excel" button of a table (B5): asks the server's /exports/{list}.xlsx with the
// table's own filters and sort (paging left out), so the file has the rows the table pages through.
import { DownloadOutlined } from '@ant-design/icons';
import { App, Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { download, withQuery, type Query } from './http-client.ts';

type Props = {
  /** The export under /api/v1, e.g. `/exports/stores.xlsx`. */
  path: string;
  /** The table's query; `page` and `pageSize` are dropped. */
  query?: Query;
  'data-testid'?: string;
  size?: 'small' | 'middle';
};

/** Downloads the table's export; a refusal shows the server's message. */
export function ExportButton({ path, query = {}, size, ...rest }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const { page: _page, pageSize: _pageSize, ...filters } = query;
  const run = async () => {
    setBusy(true);
    try {
      await download(withQuery(path, filters));
    } catch (error) {
      void message.error(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button icon={<DownloadOutlined />} loading={busy} size={size} onClick={() => void run()} {...rest}>
      {t('common.exportXlsx')}
    </Button>
  );
}
