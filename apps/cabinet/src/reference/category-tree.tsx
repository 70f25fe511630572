// The merchant's category tree for every category select of the cabinet: the whole tree (rules
// resolve a subcategory to its nearest ancestor with a rule, promotions match subcategories), so
// a select of top-level categories only would hide most of the catalogue. GET /categories/tree
// returns the tree in one answer; it is small next to the products it sorts.
import { useQuery } from '@tanstack/react-query';
import { TreeSelect } from 'antd';
import type { CSSProperties } from 'react';
import { z } from 'zod';
import { categoryNodeSchema } from '@loyalty/protocol/api/catalogue.schema';
import { api } from '#api/http-client.ts';

export type CategoryNode = z.output<typeof categoryNodeSchema>;

/** A tree option: `title` is searched and shown in the tree, `path` on the chosen tag. */
type CategoryOption = { value: string; title: string; path: string; children: CategoryOption[] };

/** The category tree, fetched once and shared by every select and table of the session. */
export function useCategoryTree() {
  return useQuery({
    queryKey: ['categories', 'tree'],
    queryFn: () => api(z.array(categoryNodeSchema), 'GET', '/categories/tree'),
    staleTime: 60_000,
  });
}

/** Every category of the tree by id with its path from the root ("Молочные / Сыры"). */
export function categoryPaths(tree: readonly CategoryNode[] | undefined): Map<string, string> {
  const paths = new Map<string, string>();
  const walk = (nodes: readonly CategoryNode[], prefix: string) => {
    for (const node of nodes) {
      const path = prefix ? `${prefix} / ${node.name}` : node.name;
      paths.set(node.id, path);
      walk(node.children, path);
    }
  };
  walk(tree ?? [], '');
  return paths;
}

const toOptions = (nodes: readonly CategoryNode[], prefix: string): CategoryOption[] =>
  nodes.map((node) => {
    const path = prefix ? `${prefix} / ${node.name}` : node.name;
    return { value: node.id, title: node.name, path, children: toOptions(node.children, path) };
  });

type Props = {
  id?: string;
  value?: string[] | string | null;
  onChange?: (value: string[] | string | undefined) => void;
  multiple?: boolean;
  placeholder?: string;
  style?: CSSProperties;
  /** Open with every branch expanded (for short trees, e.g. a questionnaire condition). */
  expandAll?: boolean;
  'data-testid'?: string;
};

/** A searchable select over the whole category tree; a chosen category shows its path. */
export function CategoryTreeSelect({ expandAll = false, multiple = true, ...props }: Props) {
  const tree = useCategoryTree();
  return (
    <TreeSelect
      {...props}
      value={props.value ?? undefined}
      multiple={multiple}
      allowClear
      showSearch
      treeNodeFilterProp="title"
      treeNodeLabelProp="path"
      treeDefaultExpandAll={expandAll}
      loading={tree.isFetching}
      treeData={toOptions(tree.data ?? [], '')}
      popupMatchSelectWidth={false}
      style={{ width: '100%', ...props.style }}
    />
  );
}
