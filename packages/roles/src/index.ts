/**
 * REQUIREMENTS "Roles": every person has exactly one, carried in the access token's `role`
 * claim and in every service's copy of accounts. Defined here once; the rules that depend on a
 * role live beside the domain they protect (the tracker's tasks/access.ts, …), and the one rule
 * that spans every service — which dashboard a role may open — lives here, used by each
 * dashboard's guard and by the navigation alike.
 */
export const roles = ['admin', 'manager', 'accountant', 'worker'] as const;
export type Role = (typeof roles)[number];

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (roles as readonly string[]).includes(value);

export const roleLabels: Readonly<Record<Role, string>> = {
  admin: 'Admin',
  manager: 'Manager',
  accountant: 'Accountant',
  worker: 'Worker',
};

/** "a worker", "an accountant": for sentences that name a role. */
export const aRole = (role: Role): string => `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`;

/** `admin` is the auth service's account administration. */
export const dashboards = ['tracker', 'accounting', 'analytics', 'admin'] as const;
export type Dashboard = (typeof dashboards)[number];

/** Who may open which dashboard (REQUIREMENTS T1, A1, N1, U2). */
const audience: Readonly<Record<Dashboard, readonly Role[]>> = {
  tracker: roles,
  accounting: roles,
  analytics: ['admin'],
  admin: ['admin'],
};

export const mayOpenDashboard = (role: Role, dashboard: Dashboard): boolean => audience[dashboard].includes(role);

/** The dashboards a role may open, in navigation order. */
export const dashboardsFor = (role: Role): readonly Dashboard[] => dashboards.filter((d) => mayOpenDashboard(role, d));
