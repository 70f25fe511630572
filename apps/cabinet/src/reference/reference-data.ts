// Names the tables show instead of ids: stores and card types, fetched once per session.
import { useQuery } from '@tanstack/react-query';
import { buyerTagsSchema } from '@loyalty/protocol/api/buyers.schema';
import { programmeSchema } from '@loyalty/protocol/api/programme.schema';
import { storePageSchema } from '@loyalty/protocol/api/stores.schema';
import { api, withQuery } from '#api/http-client.ts';

/** Stores (up to 500: a merchant's whole chain) by id, for selects and cells. */
export function useStores() {
  return useQuery({
    queryKey: ['stores', 'all'],
    queryFn: () => api(storePageSchema, 'GET', withQuery('/stores', { pageSize: 500, state: 'all' })),
    staleTime: 5 * 60_000,
    select: (page) => page.items,
  });
}

/** The programme: settings, card types, rules, happy hours. */
export function useProgramme() {
  return useQuery({
    queryKey: ['programme'],
    queryFn: () => api(programmeSchema, 'GET', '/programme'),
    staleTime: 60_000,
  });
}

/** The merchant's buyer tags with their buyer counts (what promotions aimed at segments match). */
export function useBuyerTags(enabled: boolean) {
  return useQuery({
    queryKey: ['buyers', 'tags'],
    queryFn: () => api(buyerTagsSchema, 'GET', '/buyers/tags'),
    staleTime: 60_000,
    enabled,
    select: (answer) => answer.items,
  });
}

/** `id -> name` for a list of named things. */
export function namesById(list: readonly { id: string; name: string }[] | undefined): Map<string, string> {
  return new Map((list ?? []).map((item) => [item.id, item.name]));
}
