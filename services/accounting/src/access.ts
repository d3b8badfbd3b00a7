import type { Role } from '@ates/roles';

/**
 * Accounting's access rules, once (REQUIREMENTS A1): the JSON API, the dashboard and the CLI's
 * counterpart routes all ask these. Who may open the accounting dashboard at all is
 * `mayOpenDashboard` of @ates/roles (everyone).
 */

/** Who sees the company's figures (management's earnings, every account, every day): admins and accountants. */
export const seesCompanyFigures = (role: Role): boolean => role === 'admin' || role === 'accountant';

/** Whose account a person may read: their own, or anyone's when they see the company's figures. */
export const maySeeAccount = (viewer: { readonly id: string; readonly role: Role }, accountId: string): boolean =>
  viewer.id === accountId || seesCompanyFigures(viewer.role);

/** Who may close a business day by hand (the scheduler closes them anyway): those who see the figures. */
export const mayCloseDay = (role: Role): boolean => seesCompanyFigures(role);

/** Who may correct the ledger by reversing a transaction: those who see the company's figures. */
export const mayReverse = (role: Role): boolean => seesCompanyFigures(role);
