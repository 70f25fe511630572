// The sales log's cashier filter (issue 6, G5): the merchant's cashiers, archived ones included
// (their sales stay in the log), searched on the server by name as the user types. With a store
// chosen it offers that store's cashiers and those not tied to a store, who may sell anywhere.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchCashiers, type Cashier } from '#stores/store-api.ts';

/** Cashiers a search shows at most; typing narrows a larger staff. */
const PAGE = 100;

/** True when `cashier` may have sold in `storeId` (none chosen: every cashier). */
export const worksIn = (cashier: Cashier, storeId: string | undefined): boolean =>
  !storeId || cashier.storeId === null || cashier.storeId === storeId;

type Props = {
  storeId: string | undefined;
  value: readonly Cashier[];
  onChange: (cashiers: Cashier[]) => void;
};

/** A searchable multiple select of cashiers; the chosen ones come back whole, for their store. */
export function CashierSelect({ storeId, value, onChange }: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const found = useQuery({
    queryKey: ['cashiers', 'sales-filter', search],
    queryFn: () => fetchCashiers({ search: search || undefined, state: 'all', sort: 'name', pageSize: PAGE }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  const known = new Map<string, Cashier>(value.map((c) => [c.id, c]));
  for (const c of found.data?.items ?? []) if (worksIn(c, storeId)) known.set(c.id, c);
  const label = (c: Cashier) => (c.archivedAt ? t('sales.cashierArchived', { name: c.name }) : c.name);
  return (
    <Select
      id="sales-cashier"
      data-testid="sales-cashier"
      mode="multiple"
      allowClear
      maxTagCount="responsive"
      placeholder={t('sales.cashiers')}
      style={{ minWidth: 240 }}
      loading={found.isFetching}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      value={value.map((c) => c.id)}
      options={[...known.values()].map((c) => ({ value: c.id, label: label(c) }))}
      onChange={(ids: string[]) => {
        setSearch('');
        onChange(ids.flatMap((id) => known.get(id) ?? []));
      }}
    />
  );
}
