import { createBrowserRouter, Navigate, type RouteObject } from 'react-router';
import { Loading } from '../components/states.tsx';
import { RequirePermission, RequireSignedIn } from './guards.tsx';
import { RootError, RouteError } from './error-boundary.tsx';
import { screen, sessionsPath, type ScreenId } from './navigation.ts';
import { StartPage } from './start-page.tsx';

type LazyRoute = NonNullable<RouteObject['lazy']>;

/** A screen of navigation.ts: its path, guarded by its permission, its code loaded on first visit. */
function guarded(id: ScreenId, lazy: LazyRoute): RouteObject {
  const { path, permission } = screen(id);
  return {
    path: path.slice(1),
    element: <RequirePermission permission={permission} />,
    children: [{ index: true, lazy }],
  };
}

export const routes: RouteObject[] = [
  {
    errorElement: <RootError />,
    // Lazy routes render this while their chunk loads on the first page load.
    hydrateFallbackElement: <Loading fullPage label="Loading Paydesk…" />,
    children: [
      { path: 'sign-in', lazy: () => import('../routes/sign-in/index.tsx') },
      { path: 'setup', lazy: () => import('../routes/setup/index.tsx') },
      {
        element: <RequireSignedIn />,
        children: [
          {
            errorElement: <RouteError />,
            children: [
              { index: true, element: <StartPage /> },
              guarded('transactions', () => import('../routes/transactions/index.tsx')),
              {
                path: 'transactions/:id',
                element: <RequirePermission permission="transaction.read" />,
                children: [{ index: true, lazy: () => import('../routes/transaction/index.tsx') }],
              },
              {
                path: 'customers/:email',
                element: <RequirePermission permission="transaction.read" />,
                children: [{ index: true, lazy: () => import('../routes/customer/index.tsx') }],
              },
              guarded('approvals', () => import('../routes/approvals/index.tsx')),
              guarded('analytics', () => import('../routes/analytics/index.tsx')),
              guarded('reports', () => import('../routes/reports/index.tsx')),
              guarded('connections', () => import('../routes/connections/index.tsx')),
              guarded('webhooks', () => import('../routes/webhooks/index.tsx')),
              guarded('users', () => import('../routes/users/index.tsx')),
              guarded('refunds-settings', () => import('../routes/refunds-settings/index.tsx')),
              guarded('security', () => import('../routes/security/index.tsx')),
              guarded('audit-log', () => import('../routes/audit-log/index.tsx')),
              { path: sessionsPath.slice(1), lazy: () => import('../routes/sessions/index.tsx') },
              { path: 'settings', element: <Navigate to="/" replace /> },
              { path: '*', lazy: () => import('../routes/not-found/index.tsx') },
            ],
          },
        ],
      },
    ],
  },
];

export const router = createBrowserRouter(routes);
