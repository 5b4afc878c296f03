// What the UI shows, from viewer.permissions: the server's own decision
// (authz.ViewerPermissions, the same policy lines it enforces), so the UI
// only hides what the server would refuse anyway (STYLE.md: access.ts).
// Conditions and reach (derived, subordinate, subtree…) are still checked
// by the server per target; here a permission counts if it exists at all.
export interface PermissionLike {
  object: string;
  action: string;
  reach?: string;
  condition?: string | null;
}

export interface Access {
  /** The acting account holds this object/action in some reach. */
  can(object: string, action: string): boolean;
  /** The acting account may create an account of this role somewhere. */
  canCreateAccount(role: string): boolean;
  siteCreate: boolean;
  siteUpdate: boolean;
  /** Route-level rules, keyed by the `access` of a route in src/routes.tsx. */
  routes: Record<RouteAccess, boolean>;
}

export type RouteAccess =
  | 'loggedIn'
  | 'accounts'
  | 'applications'
  | 'grants'
  | 'dashboard'
  | 'alerts'
  | 'tasks'
  | 'scans'
  | 'controlLists'
  | 'rules'
  | 'station';

export function accessOf(permissions: readonly PermissionLike[] | null | undefined, disabled = false): Access {
  const set = new Set((permissions ?? []).map((p) => `${p.object}\u0000${p.action}`));
  const can = (object: string, action: string) => set.has(`${object}\u0000${action}`);
  const anyOn = (prefix: string) => (permissions ?? []).some((p) => p.object === prefix || p.object.startsWith(`${prefix}:`));
  return {
    can,
    canCreateAccount: (role) => can(`account:${role}`, 'create'),
    siteCreate: can('site', 'create'),
    siteUpdate: can('site', 'update'),
    routes: {
      loggedIn: !disabled,
      accounts: anyOn('account'),
      applications: can('application', 'submit') || can('application', 'decide'),
      grants: can('grant', 'give') || can('grant', 'revoke'),
      // The rules of the pages of part 2 (issue 14): each page's owner
      // refines its own line from the policy (authz/policy.csv).
      dashboard: can('statistics', 'read'),
      alerts: can('alert', 'assign') || can('alert', 'close'),
      tasks: can('alert', 'visit'),
      scans: can('scan', 'read'),
      controlLists: can('controllist', 'import'),
      rules: can('ruleset', 'publish') || can('statistics', 'read'),
      station: can('scan', 'record'),
    },
  };
}
