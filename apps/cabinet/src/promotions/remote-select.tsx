// A select over a server list that searches as the user types (products, buyers), and shows the
// names of the ids already chosen by asking the server for each of them once.
import { useQueries, useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useState } from 'react';
import type { z } from 'zod';
import { buyerPageSchema, buyerSchema } from '@loyalty/protocol/api/buyers.schema';
import { productPageSchema, productSchema } from '@loyalty/protocol/api/catalogue.schema';
import { api, withQuery } from '#api/http-client.ts';

type Option = { value: string; label: string };
type Source = {
  key: string;
  search: (text: string) => Promise<Option[]>;
  label: (id: string) => Promise<string>;
};

const productLabel = (p: z.output<typeof productSchema>) => `${p.name} (${p.sku})`;
const buyerLabel = (b: z.output<typeof buyerSchema>) =>
  [b.lastName, b.firstName].filter(Boolean).join(' ') + (b.phone ? ` ${b.phone}` : '');

export const productSource: Source = {
  key: 'products',
  search: async (search) =>
    (await api(productPageSchema, 'GET', withQuery('/products', { search, pageSize: 20 }))).items.map(
      (p) => ({
        value: p.id,
        label: productLabel(p),
      }),
    ),
  label: async (id) => productLabel(await api(productSchema, 'GET', `/products/${id}`)),
};

export const buyerSource: Source = {
  key: 'buyers',
  search: async (search) =>
    (await api(buyerPageSchema, 'GET', withQuery('/buyers', { search, pageSize: 20 }))).items.map((b) => ({
      value: b.id,
      label: buyerLabel(b),
    })),
  label: async (id) => buyerLabel(await api(buyerSchema, 'GET', `/buyers/${id}`)),
};

type Props = {
  source: Source;
  id?: string;
  placeholder?: string;
  disabled?: boolean;
} & (
  | { multiple: true; value?: string[]; onChange?: (value: string[]) => void }
  | { multiple?: false; value?: string; onChange?: (value: string) => void }
);

/** The select; a Form.Item gives it `id`, `value` and `onChange`. */
export function RemoteSelect(props: Props) {
  const [search, setSearch] = useState('');
  const found = useQuery({
    // Own keys: the preview caches product pages under ['products', ...] in another shape.
    queryKey: ['remote-select', props.source.key, 'search', search],
    queryFn: () => props.source.search(search),
  });
  const chosen = props.multiple ? (props.value ?? []) : props.value ? [props.value] : [];
  const labels = useQueries({
    queries: chosen.map((id) => ({
      queryKey: ['remote-select', props.source.key, 'label', id],
      queryFn: () => props.source.label(id),
      staleTime: 5 * 60_000,
      // An id that no longer exists still shows as itself.
      retry: false,
    })),
  });
  const options = new Map<string, string>();
  chosen.forEach((id, i) => options.set(id, labels[i]?.data ?? id));
  for (const o of found.data ?? []) options.set(o.value, o.label);
  return (
    <Select
      id={props.id}
      mode={props.multiple ? 'multiple' : undefined}
      allowClear
      disabled={props.disabled}
      placeholder={props.placeholder}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      loading={found.isFetching}
      value={props.multiple ? (props.value ?? []) : props.value}
      onChange={(value: string | string[]) => {
        setSearch('');
        if (props.multiple) props.onChange?.((value as string[] | undefined) ?? []);
        else props.onChange?.((value as string | undefined) ?? '');
      }}
      options={[...options].map(([value, label]) => ({ value, label }))}
      style={{ width: '100%' }}
    />
  );
}
