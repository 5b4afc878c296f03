// The routes (DESIGN.md §10: these paths are part of the contract). Every
// page is its own lazy chunk (React.lazy), so the first load carries only
// the shell. To add a page: a folder src/pages/<page>/ with an index.tsx
// default-exporting the component, and one entry here; `nav` puts it in the
// header menu, `access` (src/access.ts) hides it from accounts the server
// would refuse.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { RouteAccess } from './access';

export interface AppRoute {
  path: string;
  page: LazyExoticComponent<ComponentType>;
  access: RouteAccess;
  /** i18n key of the menu entry; routes without one are not in the menu. */
  nav?: string;
  /** The menu entry to highlight (defaults to path). */
  navKey?: string;
}

const TreePage = lazy(() => import('./pages/tree'));
const SitePage = lazy(() => import('./pages/sites'));
const AccountsPage = lazy(() => import('./pages/accounts'));
const ApplicationsPage = lazy(() => import('./pages/applications'));
const GrantsPage = lazy(() => import('./pages/grants'));
const AlertsPage = lazy(() => import('./pages/alerts'));
const TasksPage = lazy(() => import('./pages/tasks'));
const ScansPage = lazy(() => import('./pages/scans'));
const PersonPage = lazy(() => import('./pages/persons'));
const ControlListsPage = lazy(() => import('./pages/controllists'));
const TracingPage = lazy(() => import('./pages/tracing'));
const RulesPage = lazy(() => import('./pages/rules'));
const DashboardPage = lazy(() => import('./pages/dashboard'));
export const StationPage = lazy(() => import('./pages/station'));

export const appRoutes: AppRoute[] = [
  { path: '/tree', page: TreePage, access: 'loggedIn', nav: 'nav.tree' },
  { path: '/tree/:code', page: TreePage, access: 'loggedIn', navKey: '/tree' },
  { path: '/sites/new', page: SitePage, access: 'loggedIn', navKey: '/tree' },
  { path: '/sites/:id', page: SitePage, access: 'loggedIn', navKey: '/tree' },
  { path: '/accounts', page: AccountsPage, access: 'accounts', nav: 'nav.accounts' },
  { path: '/applications', page: ApplicationsPage, access: 'applications', nav: 'nav.applications' },
  { path: '/grants', page: GrantsPage, access: 'grants', nav: 'nav.grants' },
  { path: '/dashboard', page: DashboardPage, access: 'dashboard', nav: 'nav.dashboard' },
  { path: '/alerts', page: AlertsPage, access: 'alerts', nav: 'nav.alerts' },
  { path: '/tasks', page: TasksPage, access: 'tasks', nav: 'nav.tasks' },
  { path: '/scans', page: ScansPage, access: 'scans', nav: 'nav.scans' },
  { path: '/persons/:id', page: PersonPage, access: 'loggedIn', navKey: '/scans' },
  { path: '/control-lists', page: ControlListsPage, access: 'controlLists', nav: 'nav.controlLists' },
  { path: '/tracing', page: TracingPage, access: 'loggedIn', nav: 'nav.tracing' },
  { path: '/rules', page: RulesPage, access: 'rules', nav: 'nav.rules' },
  { path: '/station', page: StationPage, access: 'station', nav: 'nav.station' },
];

export const LoginPage = lazy(() => import('./pages/login'));
export const NotFoundPage = lazy(() => import('./pages/notfound'));
