import { mayOpenDashboard, type Role } from '@ates/roles';

/**
 * Analytics' access rule, once (REQUIREMENTS N1): its JSON API and its dashboard both ask it.
 * It is the rule of @ates/roles for the analytics dashboard — admins only — so that the
 * navigation, the dashboard's guard and the API never disagree.
 */
export const maySeeAnalytics = (role: Role): boolean => mayOpenDashboard(role, 'analytics');
