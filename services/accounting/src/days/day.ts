import type { BusinessDay } from '@ates/business-days';

/** open → closing (postings go to a later day; payouts are being made) → closed (the summary is final). */
export type DayStatus = 'open' | 'closing' | 'closed';

/** A day's figures in cents (A5, A7): what BusinessDay.Closed carries once the day is closed. */
export interface DayFigures {
  readonly business_day: BusinessDay;
  /** Sum of the day's assignment fees (positive). */
  readonly fees: number;
  /** Sum of the day's completion rewards (positive). */
  readonly rewards: number;
  /** A5: fees − rewards. */
  readonly management_earnings: number;
  readonly payouts: number;
  readonly payout_count: number;
  /** Accounts whose balance at the end of the day was negative (A4: they carry it over). */
  readonly negative_accounts: number;
}

export interface DaySummary extends DayFigures {
  readonly closed_at: Date;
}

/** A5: management earns the fees it debits and pays the rewards it credits; payouts are neither. */
export const managementEarnings = (figures: { readonly fees: number; readonly rewards: number }): number =>
  figures.fees - figures.rewards;
