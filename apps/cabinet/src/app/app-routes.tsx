// Routes, each page its own chunk (route-level code splitting keeps the first load small), and
// each guarded by the permission its API needs, so the menu and the address bar agree.
import { Spin } from 'antd';
import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react';
import { Route, Routes } from 'react-router';
import type { Permission } from '@loyalty/protocol/api/auth.schema';
import { RequirePermission } from '#auth/require-permission.tsx';
import { AppLayout } from './app-layout.tsx';
import { NotFoundPage } from './status-pages.tsx';

const page = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  lazy(async () => ({ default: (await load())[name] }));

const DashboardPage = page(() => import('#dashboard/dashboard-page.tsx'), 'DashboardPage');
const BuyersPage = page(() => import('#buyers/buyers-page.tsx'), 'BuyersPage');
const BuyerCardPage = page(() => import('#buyers/buyer-card-page.tsx'), 'BuyerCardPage');
const SalesPage = page(() => import('#sales/sales-page.tsx'), 'SalesPage');
const TerminalsPage = page(() => import('#terminals/terminals-page.tsx'), 'TerminalsPage');
const ProgrammePage = page(() => import('#programme/programme-page.tsx'), 'ProgrammePage');
const PromotionsPage = page(() => import('#promotions/promotions-page.tsx'), 'PromotionsPage');
const ImportPage = page(() => import('#imports/import-page.tsx'), 'ImportPage');
const StoresPage = page(() => import('#stores/stores-page.tsx'), 'StoresPage');
const CashiersPage = page(() => import('#stores/cashiers-page.tsx'), 'CashiersPage');
const CouponsPage = page(() => import('#coupons/coupons-page.tsx'), 'CouponsPage');
const UsersPage = page(() => import('#users/users-page.tsx'), 'UsersPage');
const QuestionnairePage = page(() => import('#questionnaire/questionnaire-page.tsx'), 'QuestionnairePage');
const AuditPage = page(() => import('#audit/audit-page.tsx'), 'AuditPage');
const PasswordPage = page(() => import('#auth/password-page.tsx'), 'PasswordPage');
const ResetPasswordPage = page(() => import('#auth/reset-password-page.tsx'), 'ResetPasswordPage');
const SettingsPage = page(() => import('#settings/settings-page.tsx'), 'SettingsPage');

const guarded = (permission: Permission | null, Page: LazyExoticComponent<ComponentType>) => (
  <RequirePermission permission={permission}>
    <Suspense fallback={<Spin style={{ display: 'block', margin: 48 }} />}>
      <Page />
    </Suspense>
  </RequirePermission>
);

/** Every address of the cabinet. */
export function AppRoutes() {
  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route index element={guarded('reports:read', DashboardPage)} />
        <Route path="buyers" element={guarded('buyers:read', BuyersPage)} />
        <Route path="buyers/:id" element={guarded('buyers:read', BuyerCardPage)} />
        <Route path="sales" element={guarded('sales:read', SalesPage)} />
        <Route path="terminals" element={guarded('terminals:read', TerminalsPage)} />
        <Route path="programme" element={guarded('settings:write', ProgrammePage)} />
        <Route path="promotions" element={guarded('settings:read', PromotionsPage)} />
        <Route path="coupons" element={guarded('settings:read', CouponsPage)} />
        <Route path="stores" element={guarded('settings:read', StoresPage)} />
        <Route path="cashiers" element={guarded('settings:read', CashiersPage)} />
        <Route path="imports" element={guarded('buyers:write', ImportPage)} />
        <Route path="users" element={guarded('users:manage', UsersPage)} />
        <Route path="questionnaire" element={guarded('settings:write', QuestionnairePage)} />
        <Route path="audit" element={guarded('audit:read', AuditPage)} />
        <Route path="password" element={guarded(null, PasswordPage)} />
        <Route path="reset-password" element={guarded(null, ResetPasswordPage)} />
        <Route path="settings" element={guarded('settings:write', SettingsPage)} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
