// Generated from packages/schema-registry/schemas; do not edit by hand.
// After adding or changing a schema file, regenerate from the repository root with:
//   npx tsx packages/schema-registry/src/generate-types.ts
// A unit test fails while this file is out of date.

/**
 * The fields every aTES event carries around its data. Each event schema references this envelope, fixes event_name and event_version, and defines data.
 */
export interface EventEnvelope {
  /**
   * Unique id of this event; consumers use it to apply an event at most once.
   */
  readonly event_id: string;
  /**
   * <Domain>.<PastTenseVerb>, e.g. Task.Assigned.
   */
  readonly event_name: string;
  /**
   * Version of the data schema of this event name; a released version never changes.
   */
  readonly event_version: number;
  /**
   * When the change happened (not when it was delivered), ISO 8601 in UTC, e.g. 2024-03-03T10:15:00.000Z.
   */
  readonly event_time: string;
  /**
   * Name of the service that produced the event, e.g. tracker.
   */
  readonly producer: string;
  /**
   * Id shared by every event caused, directly or not, by the same request or job; the event id of the first event when nothing came before it.
   */
  readonly correlation_id: string;
  /**
   * event_id of the event whose handling produced this one, or null when a request or a job did.
   */
  readonly causation_id: string | null;
  /**
   * W3C Trace Context traceparent header of the span that produced the event, for distributed tracing.
   */
  readonly traceparent?: string;
  /**
   * The event's payload, defined by the schema of its name and version.
   */
  readonly data: {
    readonly [k: string]: unknown;
  };
}

/**
 * CUD: an admin created an account. Carries the whole account so that other services can keep their copy.
 */
export interface AccountCreatedV1 {
  /**
   * Unique id of this event; consumers use it to apply an event at most once.
   */
  readonly event_id: string;
  /**
   * <Domain>.<PastTenseVerb>, e.g. Task.Assigned.
   */
  readonly event_name: 'Account.Created';
  /**
   * Version of the data schema of this event name; a released version never changes.
   */
  readonly event_version: 1;
  /**
   * When the change happened (not when it was delivered), ISO 8601 in UTC, e.g. 2024-03-03T10:15:00.000Z.
   */
  readonly event_time: string;
  /**
   * Name of the service that produced the event, e.g. tracker.
   */
  readonly producer: string;
  /**
   * Id shared by every event caused, directly or not, by the same request or job; the event id of the first event when nothing came before it.
   */
  readonly correlation_id: string;
  /**
   * event_id of the event whose handling produced this one, or null when a request or a job did.
   */
  readonly causation_id: string | null;
  /**
   * W3C Trace Context traceparent header of the span that produced the event, for distributed tracing.
   */
  readonly traceparent?: string;
  /**
   * The event's payload, defined by the schema of its name and version.
   */
  readonly data: {
    /**
     * The account's public id, the same in every service.
     */
    readonly public_id: string;
    /**
     * Where the account's owner gets mail (e.g. payouts).
     */
    readonly email: string;
    /**
     * Name shown on dashboards.
     */
    readonly full_name: string;
    /**
     * The account's only role.
     */
    readonly role: 'admin' | 'manager' | 'accountant' | 'worker';
    /**
     * False once the account is deactivated; inactive accounts get no tasks.
     */
    readonly active: boolean;
    /**
     * The account's row version, raised by every change; consumers ignore an event older than the copy they hold.
     */
    readonly version: number;
    /**
     * When the account was created.
     */
    readonly created_at: string;
  };
}

/**
 * CUD: an admin deactivated an account. The account is kept (its history matters) but gets no new tasks and cannot sign in.
 */
export interface AccountDeactivatedV1 {
  /**
   * Unique id of this event; consumers use it to apply an event at most once.
   */
  readonly event_id: string;
  /**
   * <Domain>.<PastTenseVerb>, e.g. Task.Assigned.
   */
  readonly event_name: 'Account.Deactivated';
  /**
   * Version of the data schema of this event name; a released version never changes.
   */
  readonly event_version: 1;
  /**
   * When the change happened (not when it was delivered), ISO 8601 in UTC, e.g. 2024-03-03T10:15:00.000Z.
   */
  readonly event_time: string;
  /**
   * Name of the service that produced the event, e.g. tracker.
   */
  readonly producer: string;
  /**
   * Id shared by every event caused, directly or not, by the same request or job; the event id of the first event when nothing came before it.
   */
  readonly correlation_id: string;
  /**
   * event_id of the event whose handling produced this one, or null when a request or a job did.
   */
  readonly causation_id: string | null;
  /**
   * W3C Trace Context traceparent header of the span that produced the event, for distributed tracing.
   */
  readonly traceparent?: string;
  /**
   * The event's payload, defined by the schema of its name and version.
   */
  readonly data: {
    /**
     * The account's public id.
     */
    readonly public_id: string;
    /**
     * The account's row version after deactivation; consumers ignore an event older than the copy they hold.
     */
    readonly version: number;
    /**
     * When the account was deactivated.
     */
    readonly deactivated_at: string;
  };
}

/**
 * Business: an admin changed an account's role (e.g. a worker became a manager and must get no new tasks).
 */
export interface AccountRoleChangedV1 {
  /**
   * Unique id of this event; consumers use it to apply an event at most once.
   */
  readonly event_id: string;
  /**
   * <Domain>.<PastTenseVerb>, e.g. Task.Assigned.
   */
  readonly event_name: 'Account.RoleChanged';
  /**
   * Version of the data schema of this event name; a released version never changes.
   */
  readonly event_version: 1;
  /**
   * When the change happened (not when it was delivered), ISO 8601 in UTC, e.g. 2024-03-03T10:15:00.000Z.
   */
  readonly event_time: string;
  /**
   * Name of the service that produced the event, e.g. tracker.
   */
  readonly producer: string;
  /**
   * Id shared by every event caused, directly or not, by the same request or job; the event id of the first event when nothing came before it.
   */
  readonly correlation_id: string;
  /**
   * event_id of the event whose handling produced this one, or null when a request or a job did.
   */
  readonly causation_id: string | null;
  /**
   * W3C Trace Context traceparent header of the span that produced the event, for distributed tracing.
   */
  readonly traceparent?: string;
  /**
   * The event's payload, defined by the schema of its name and version.
   */
  readonly data: {
    /**
     * The account's public id.
     */
    readonly public_id: string;
    /**
     * The role before the change.
     */
    readonly old_role: 'admin' | 'manager' | 'accountant' | 'worker';
    /**
     * The role after the change.
     */
    readonly new_role: 'admin' | 'manager' | 'accountant' | 'worker';
    /**
     * The account's row version after the change; consumers ignore an event older than the copy they hold.
     */
    readonly version: number;
    /**
     * When the role was changed.
     */
    readonly changed_at: string;
  };
}

/**
 * CUD: an account changed (any field, including its role or active flag). Carries the whole account as it is now.
 */
export interface AccountUpdatedV1 {
  /**
   * Unique id of this event; consumers use it to apply an event at most once.
   */
  readonly event_id: string;
  /**
   * <Domain>.<PastTenseVerb>, e.g. Task.Assigned.
   */
  readonly event_name: 'Account.Updated';
  /**
   * Version of the data schema of this event name; a released version never changes.
   */
  readonly event_version: 1;
  /**
   * When the change happened (not when it was delivered), ISO 8601 in UTC, e.g. 2024-03-03T10:15:00.000Z.
   */
  readonly event_time: string;
  /**
   * Name of the service that produced the event, e.g. tracker.
   */
  readonly producer: string;
  /**
   * Id shared by every event caused, directly or not, by the same request or job; the event id of the first event when nothing came before it.
   */
  readonly correlation_id: string;
  /**
   * event_id of the event whose handling produced this one, or null when a request or a job did.
   */
  readonly causation_id: string | null;
  /**
   * W3C Trace Context traceparent header of the span that produced the event, for distributed tracing.
   */
  readonly traceparent?: string;
  /**
   * The event's payload, defined by the schema of its name and version.
   */
  readonly data: {
    /**
     * The account's public id, the same in every service.
     */
    readonly public_id: string;
    /**
     * Where the account's owner gets mail (e.g. payouts).
     */
    readonly email: string;
    /**
     * Name shown on dashboards.
     */
    readonly full_name: string;
    /**
     * The account's only role.
     */
    readonly role: 'admin' | 'manager' | 'accountant' | 'worker';
    /**
     * False once the account is deactivated; inactive accounts get no tasks.
     */
    readonly active: boolean;
    /**
     * The account's row version, raised by every change; consumers ignore an event older than the copy they hold.
     */
    readonly version: number;
    /**
     * When the account was changed.
     */
    readonly updated_at: string;
  };
}

/**
 * Business: accounting closed a business day (A6, A7): every positive balance was paid out, and the day's figures are final. A closed day never changes; facts that arrive later belong to the open day.
 */
export interface BusinessDayClosedV1 {
  /**
   * Unique id of this event; consumers use it to apply an event at most once.
   */
  readonly event_id: string;
  /**
   * <Domain>.<PastTenseVerb>, e.g. Task.Assigned.
   */
  readonly event_name: 'BusinessDay.Closed';
  /**
   * Version of the data schema of this event name; a released version never changes.
   */
  readonly event_version: 1;
  /**
   * When the change happened (not when it was delivered), ISO 8601 in UTC, e.g. 2024-03-03T10:15:00.000Z.
   */
  readonly event_time: string;
  /**
   * Name of the service that produced the event, e.g. tracker.
   */
  readonly producer: string;
  /**
   * Id shared by every event caused, directly or not, by the same request or job; the event id of the first event when nothing came before it.
   */
  readonly correlation_id: string;
  /**
   * event_id of the event whose handling produced this one, or null when a request or a job did.
   */
  readonly causation_id: string | null;
  /**
   * W3C Trace Context traceparent header of the span that produced the event, for distributed tracing.
   */
  readonly traceparent?: string;
  /**
   * The event's payload, defined by the schema of its name and version.
   */
  readonly data: {
    /**
     * The day closed (YYYY-MM-DD, in ACCOUNTING_TIMEZONE).
     */
    readonly business_day: string;
    /**
     * Sum of the day's assignment fees in cents (positive), net of reversals posted that day.
     */
    readonly fees: number;
    /**
     * Sum of the day's completion rewards in cents (positive), net of reversals posted that day.
     */
    readonly rewards: number;
    /**
     * fees − rewards (A5), in cents; payouts are not part of it.
     */
    readonly management_earnings: number;
    /**
     * Sum paid out at the close, in cents.
     */
    readonly payouts: number;
    /**
     * How many accounts were paid.
     */
    readonly payout_count: number;
    /**
     * How many accounts had a negative balance at the close (they carry it over, A4).
     */
    readonly negative_accounts: number;
    /**
     * When the close finished.
     */
    readonly closed_at: string;
  };
}

/**
 * Business: at the close of a business day an employee was paid their positive balance (A6), at most once per account and day. The payout's transaction is also published as Transaction.Applied (kind payout).
 */
export interface PayoutMadeV1 {
  /**
   * Unique id of this event; consumers use it to apply an event at most once.
   */
  readonly event_id: string;
  /**
   * <Domain>.<PastTenseVerb>, e.g. Task.Assigned.
   */
  readonly event_name: 'Payout.Made';
  /**
   * Version of the data schema of this event name; a released version never changes.
   */
  readonly event_version: 1;
  /**
   * When the change happened (not when it was delivered), ISO 8601 in UTC, e.g. 2024-03-03T10:15:00.000Z.
   */
  readonly event_time: string;
  /**
   * Name of the service that produced the event, e.g. tracker.
   */
  readonly producer: string;
  /**
   * Id shared by every event caused, directly or not, by the same request or job; the event id of the first event when nothing came before it.
   */
  readonly correlation_id: string;
  /**
   * event_id of the event whose handling produced this one, or null when a request or a job did.
   */
  readonly causation_id: string | null;
  /**
   * W3C Trace Context traceparent header of the span that produced the event, for distributed tracing.
   */
  readonly traceparent?: string;
  /**
   * The event's payload, defined by the schema of its name and version.
   */
  readonly data: {
    /**
     * The payout's ledger transaction.
     */
    readonly transaction_id: string;
    /**
     * public_id of the employee paid.
     */
    readonly account_id: string;
    /**
     * What was paid, in cents; always positive.
     */
    readonly amount: number;
    /**
     * The business day the payout closes (YYYY-MM-DD).
     */
    readonly business_day: string;
    /**
     * When the payout was posted.
     */
    readonly paid_at: string;
  };
}

/**
 * Business: a task got an assignee, at creation or by a reassign. Accounting debits the assignment fee from the new assignee for every such event.
 */
export interface TaskAssignedV1 {
  /**
   * Unique id of this event; consumers use it to apply an event at most once.
   */
  readonly event_id: string;
  /**
   * <Domain>.<PastTenseVerb>, e.g. Task.Assigned.
   */
  readonly event_name: 'Task.Assigned';
  /**
   * Version of the data schema of this event name; a released version never changes.
   */
  readonly event_version: 1;
  /**
   * When the change happened (not when it was delivered), ISO 8601 in UTC, e.g. 2024-03-03T10:15:00.000Z.
   */
  readonly event_time: string;
  /**
   * Name of the service that produced the event, e.g. tracker.
   */
  readonly producer: string;
  /**
   * Id shared by every event caused, directly or not, by the same request or job; the event id of the first event when nothing came before it.
   */
  readonly correlation_id: string;
  /**
   * event_id of the event whose handling produced this one, or null when a request or a job did.
   */
  readonly causation_id: string | null;
  /**
   * W3C Trace Context traceparent header of the span that produced the event, for distributed tracing.
   */
  readonly traceparent?: string;
  /**
   * The event's payload, defined by the schema of its name and version.
   */
  readonly data: {
    /**
     * public_id of the task.
     */
    readonly task_id: string;
    /**
     * public_id of the account the task is now assigned to.
     */
    readonly assignee_id: string;
    /**
     * public_id of the account that had the task before, or null for the first assignment.
     */
    readonly previous_assignee_id: string | null;
    /**
     * When the task was assigned.
     */
    readonly assigned_at: string;
  };
}

/**
 * Business: the assignee marked a task done. Accounting credits the completion reward to that assignee.
 */
export interface TaskCompletedV1 {
  /**
   * Unique id of this event; consumers use it to apply an event at most once.
   */
  readonly event_id: string;
  /**
   * <Domain>.<PastTenseVerb>, e.g. Task.Assigned.
   */
  readonly event_name: 'Task.Completed';
  /**
   * Version of the data schema of this event name; a released version never changes.
   */
  readonly event_version: 1;
  /**
   * When the change happened (not when it was delivered), ISO 8601 in UTC, e.g. 2024-03-03T10:15:00.000Z.
   */
  readonly event_time: string;
  /**
   * Name of the service that produced the event, e.g. tracker.
   */
  readonly producer: string;
  /**
   * Id shared by every event caused, directly or not, by the same request or job; the event id of the first event when nothing came before it.
   */
  readonly correlation_id: string;
  /**
   * event_id of the event whose handling produced this one, or null when a request or a job did.
   */
  readonly causation_id: string | null;
  /**
   * W3C Trace Context traceparent header of the span that produced the event, for distributed tracing.
   */
  readonly traceparent?: string;
  /**
   * The event's payload, defined by the schema of its name and version.
   */
  readonly data: {
    /**
     * public_id of the task.
     */
    readonly task_id: string;
    /**
     * public_id of the account that completed the task (its assignee).
     */
    readonly assignee_id: string;
    /**
     * When the task was completed.
     */
    readonly completed_at: string;
  };
}

/**
 * CUD: a task was created (the shape before the jira_id change, T6). Superseded by v2; consumers accept both until no producer sends v1.
 */
export interface TaskCreatedV1 {
  /**
   * Unique id of this event; consumers use it to apply an event at most once.
   */
  readonly event_id: string;
  /**
   * <Domain>.<PastTenseVerb>, e.g. Task.Assigned.
   */
  readonly event_name: 'Task.Created';
  /**
   * Version of the data schema of this event name; a released version never changes.
   */
  readonly event_version: 1;
  /**
   * When the change happened (not when it was delivered), ISO 8601 in UTC, e.g. 2024-03-03T10:15:00.000Z.
   */
  readonly event_time: string;
  /**
   * Name of the service that produced the event, e.g. tracker.
   */
  readonly producer: string;
  /**
   * Id shared by every event caused, directly or not, by the same request or job; the event id of the first event when nothing came before it.
   */
  readonly correlation_id: string;
  /**
   * event_id of the event whose handling produced this one, or null when a request or a job did.
   */
  readonly causation_id: string | null;
  /**
   * W3C Trace Context traceparent header of the span that produced the event, for distributed tracing.
   */
  readonly traceparent?: string;
  /**
   * The event's payload, defined by the schema of its name and version.
   */
  readonly data: {
    /**
     * The task's public id, the same in every service.
     */
    readonly public_id: string;
    /**
     * The task's title; may start with the Jira id, e.g. "[UBERPOP-42] — Change the green of the button".
     */
    readonly title: string;
    /**
     * Free text; may be empty.
     */
    readonly description: string;
    /**
     * open until the assignee completes it, then done.
     */
    readonly status: 'open' | 'done';
    /**
     * public_id of the account the task is assigned to.
     */
    readonly assignee_id: string;
    /**
     * When the task was created.
     */
    readonly created_at: string;
  };
}

/**
 * CUD: a task was created. Since T6 the Jira id has its own field and the title no longer carries it.
 */
export interface TaskCreatedV2 {
  /**
   * Unique id of this event; consumers use it to apply an event at most once.
   */
  readonly event_id: string;
  /**
   * <Domain>.<PastTenseVerb>, e.g. Task.Assigned.
   */
  readonly event_name: 'Task.Created';
  /**
   * Version of the data schema of this event name; a released version never changes.
   */
  readonly event_version: 2;
  /**
   * When the change happened (not when it was delivered), ISO 8601 in UTC, e.g. 2024-03-03T10:15:00.000Z.
   */
  readonly event_time: string;
  /**
   * Name of the service that produced the event, e.g. tracker.
   */
  readonly producer: string;
  /**
   * Id shared by every event caused, directly or not, by the same request or job; the event id of the first event when nothing came before it.
   */
  readonly correlation_id: string;
  /**
   * event_id of the event whose handling produced this one, or null when a request or a job did.
   */
  readonly causation_id: string | null;
  /**
   * W3C Trace Context traceparent header of the span that produced the event, for distributed tracing.
   */
  readonly traceparent?: string;
  /**
   * The event's payload, defined by the schema of its name and version.
   */
  readonly data: {
    /**
     * The task's public id, the same in every service.
     */
    readonly public_id: string;
    /**
     * The task's title, without the Jira id: it must not contain [ or ].
     */
    readonly title: string;
    /**
     * The Jira issue key, e.g. UBERPOP-42, or null when the task has none.
     */
    readonly jira_id: string | null;
    /**
     * Free text; may be empty.
     */
    readonly description: string;
    /**
     * open until the assignee completes it, then done.
     */
    readonly status: 'open' | 'done';
    /**
     * public_id of the account the task is assigned to.
     */
    readonly assignee_id: string;
    /**
     * When the task was created.
     */
    readonly created_at: string;
  };
}

/**
 * Business: accounting gave a task its prices (A3), once, the first time any event about the task reached it. They never change; every later fee and reward of the task uses them.
 */
export interface TaskPricedV1 {
  /**
   * Unique id of this event; consumers use it to apply an event at most once.
   */
  readonly event_id: string;
  /**
   * <Domain>.<PastTenseVerb>, e.g. Task.Assigned.
   */
  readonly event_name: 'Task.Priced';
  /**
   * Version of the data schema of this event name; a released version never changes.
   */
  readonly event_version: 1;
  /**
   * When the change happened (not when it was delivered), ISO 8601 in UTC, e.g. 2024-03-03T10:15:00.000Z.
   */
  readonly event_time: string;
  /**
   * Name of the service that produced the event, e.g. tracker.
   */
  readonly producer: string;
  /**
   * Id shared by every event caused, directly or not, by the same request or job; the event id of the first event when nothing came before it.
   */
  readonly correlation_id: string;
  /**
   * event_id of the event whose handling produced this one, or null when a request or a job did.
   */
  readonly causation_id: string | null;
  /**
   * W3C Trace Context traceparent header of the span that produced the event, for distributed tracing.
   */
  readonly traceparent?: string;
  /**
   * The event's payload, defined by the schema of its name and version.
   */
  readonly data: {
    /**
     * public_id of the task.
     */
    readonly task_id: string;
    /**
     * Debited from the assignee at every assignment, in cents (a whole number of dollars from 10 to 20 today).
     */
    readonly assignment_fee: number;
    /**
     * Credited to the assignee when the task is completed, in cents (a whole number of dollars from 20 to 40 today).
     */
    readonly completion_reward: number;
    /**
     * When the prices were drawn.
     */
    readonly priced_at: string;
  };
}

/**
 * Business: accounting posted one transaction to an employee's account (A2, A4): a fee for an assignment, a reward for a completion, the day's payout, or the reversal of an earlier transaction. It carries enough for analytics to compute management's earnings (A5), the accounts in the negative (N2) and the most expensive task (N3) without asking accounting.
 */
export interface TransactionAppliedV1 {
  /**
   * Unique id of this event; consumers use it to apply an event at most once.
   */
  readonly event_id: string;
  /**
   * <Domain>.<PastTenseVerb>, e.g. Task.Assigned.
   */
  readonly event_name: 'Transaction.Applied';
  /**
   * Version of the data schema of this event name; a released version never changes.
   */
  readonly event_version: 1;
  /**
   * When the change happened (not when it was delivered), ISO 8601 in UTC, e.g. 2024-03-03T10:15:00.000Z.
   */
  readonly event_time: string;
  /**
   * Name of the service that produced the event, e.g. tracker.
   */
  readonly producer: string;
  /**
   * Id shared by every event caused, directly or not, by the same request or job; the event id of the first event when nothing came before it.
   */
  readonly correlation_id: string;
  /**
   * event_id of the event whose handling produced this one, or null when a request or a job did.
   */
  readonly causation_id: string | null;
  /**
   * W3C Trace Context traceparent header of the span that produced the event, for distributed tracing.
   */
  readonly traceparent?: string;
  /**
   * The event's payload, defined by the schema of its name and version.
   */
  readonly data: {
    /**
     * Id of the ledger transaction; unique, and the same however often the fact that caused it is delivered.
     */
    readonly transaction_id: string;
    /**
     * public_id of the employee whose account it was posted to: the one named in the event that caused it.
     */
    readonly account_id: string;
    /**
     * fee (an assignment, a debit), reward (a completion, a credit), payout (the day's positive balance paid out, a debit), reversal (undoes the transaction named in reverses).
     */
    readonly kind: 'fee' | 'reward' | 'payout' | 'reversal';
    /**
     * Signed amount in cents as it changed the account: debits negative, credits positive.
     */
    readonly amount: number;
    /**
     * The account's balance in cents right after this transaction.
     */
    readonly balance_after: number;
    /**
     * The account's balance version after this transaction: one more with every transaction posted to it, so the newest balance is the one with the highest version, whatever the arrival order.
     */
    readonly account_version: number;
    /**
     * public_id of the task a fee or reward (or their reversal) was for; null for a payout.
     */
    readonly task_id: string | null;
    /**
     * For a reversal: the transaction it undoes and that transaction's kind; null otherwise.
     */
    readonly reverses: null | {
      /**
       * The transaction undone.
       */
      readonly transaction_id: string;
      /**
       * Its kind.
       */
      readonly kind: 'fee' | 'reward' | 'payout';
    };
    /**
     * The accounting business day it belongs to (YYYY-MM-DD, in ACCOUNTING_TIMEZONE): the open day in which its fact happened, or the current one if that day was already closed.
     */
    readonly business_day: string;
    /**
     * When the fact happened (the assignment, the completion, the close).
     */
    readonly occurred_at: string;
    /**
     * When accounting posted it.
     */
    readonly recorded_at: string;
  };
}

/** Every event name, and for each its versions, as found in the schemas folder. */
export interface EventMap {
  'Account.Created': { 1: AccountCreatedV1 };
  'Account.Deactivated': { 1: AccountDeactivatedV1 };
  'Account.RoleChanged': { 1: AccountRoleChangedV1 };
  'Account.Updated': { 1: AccountUpdatedV1 };
  'BusinessDay.Closed': { 1: BusinessDayClosedV1 };
  'Payout.Made': { 1: PayoutMadeV1 };
  'Task.Assigned': { 1: TaskAssignedV1 };
  'Task.Completed': { 1: TaskCompletedV1 };
  'Task.Created': { 1: TaskCreatedV1; 2: TaskCreatedV2 };
  'Task.Priced': { 1: TaskPricedV1 };
  'Transaction.Applied': { 1: TransactionAppliedV1 };
}

export type EventName = keyof EventMap;
export type VersionOf<N extends EventName> = keyof EventMap[N] & number;
export type EventOf<N extends EventName, V extends VersionOf<N> = VersionOf<N>> = EventMap[N][V];
export type DataOf<N extends EventName, V extends VersionOf<N> = VersionOf<N>> =
  EventOf<N, V> extends { readonly data: infer D } ? D : never;
/** Every known event version: a union discriminated by `event_name`, then `event_version`. */
export type AnyEvent = { [N in EventName]: EventOf<N> }[EventName];
