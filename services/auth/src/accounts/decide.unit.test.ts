import { describe, expect, it } from 'vitest';
import { AppError } from '@ates/errors';
import type { Account, Actor, Role } from './account.js';
import {
  decideActivation,
  decideCreation,
  decideDeactivation,
  decideRoleChange,
  decideUpdate,
  type Decision,
  type Change,
} from './decide.js';

// Given/when/then: each test builds the accounts it needs, calls one decision, and checks either
// the saved state and events or the refusal.

const t0 = new Date('2026-03-01T09:00:00.000Z');
const now = new Date('2026-03-03T10:15:00.000Z');

let seq = 0;
const account = (fields: Partial<Account> & { role: Role }): Account => {
  seq += 1;
  return {
    public_id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    email: `popug${seq}@example.com`,
    full_name: `Popug ${seq}`,
    active: true,
    version: 3,
    created_at: t0,
    updated_at: t0,
    ...fields,
  };
};
const as = (a: Account): Actor => ({ kind: 'account', account: a });
const system: Actor = { kind: 'system' };

const changed = (decision: Decision): Change => {
  if (decision instanceof AppError) throw new Error(`expected a change, got ${decision.code}: ${decision.message}`);
  return decision;
};
const refused = (decision: Decision): AppError => {
  if (!(decision instanceof AppError)) throw new Error(`expected a refusal, got ${JSON.stringify(decision.events)}`);
  return decision;
};

describe('decideCreation', () => {
  it('given an admin and a free email, creates an active account at version 1 and publishes Account.Created', () => {
    const admin = account({ role: 'admin' });
    const decision = changed(
      decideCreation({
        actor: as(admin),
        input: { email: '  Kiwi@Example.COM ', full_name: ' Kiwi   Budgie ', role: 'worker' },
        emailTaken: false,
        publicId: 'p-1',
        now,
      }),
    );
    expect(decision.account).toEqual({
      public_id: 'p-1',
      email: 'kiwi@example.com',
      full_name: 'Kiwi Budgie',
      role: 'worker',
      active: true,
      version: 1,
      created_at: now,
      updated_at: now,
    });
    expect(decision.events).toEqual([
      {
        name: 'Account.Created',
        version: 1,
        data: {
          public_id: 'p-1',
          email: 'kiwi@example.com',
          full_name: 'Kiwi Budgie',
          role: 'worker',
          active: true,
          version: 1,
          created_at: now.toISOString(),
        },
      },
    ]);
  });

  it('given a taken email, refuses with 409', () => {
    const error = refused(
      decideCreation({
        actor: system,
        input: { email: 'a@example.com', full_name: 'A', role: 'worker' },
        emailTaken: true,
        publicId: 'p',
        now,
      }),
    );
    expect(error.status).toBe(409);
    expect(error.message).toContain('a@example.com');
  });

  it('given bad fields, refuses with 400 naming every one of them', () => {
    const error = refused(
      decideCreation({
        actor: system,
        input: { email: 'not-an-email', full_name: '   ', role: 'boss' },
        emailTaken: false,
        publicId: 'p',
        now,
      }),
    );
    expect(error.status).toBe(400);
    expect(error.issues.map((i) => i.field)).toEqual(['email', 'full_name', 'role']);
  });

  it('given a manager as the actor, refuses with 403', () => {
    const manager = account({ role: 'manager' });
    expect(
      refused(
        decideCreation({
          actor: as(manager),
          input: { email: 'b@example.com', full_name: 'B', role: 'worker' },
          emailTaken: false,
          publicId: 'p',
          now,
        }),
      ).status,
    ).toBe(403);
  });

  it('given an admin whose account was deactivated since the token was issued, refuses with 403', () => {
    const former = account({ role: 'admin', active: false });
    expect(
      refused(
        decideCreation({
          actor: as(former),
          input: { email: 'b@example.com', full_name: 'B', role: 'worker' },
          emailTaken: false,
          publicId: 'p',
          now,
        }),
      ).status,
    ).toBe(403);
    expect(
      refused(
        decideCreation({
          actor: { kind: 'account', account: undefined },
          input: { email: 'b@example.com', full_name: 'B', role: 'worker' },
          emailTaken: false,
          publicId: 'p',
          now,
        }),
      ).status,
    ).toBe(403);
  });
});

describe('decideUpdate', () => {
  it('given a new name, raises the version and publishes the full state as Account.Updated', () => {
    const admin = account({ role: 'admin' });
    const target = account({ role: 'worker', version: 4 });
    const decision = changed(
      decideUpdate({ actor: as(admin), target, changes: { full_name: 'Rio Ara' }, emailTaken: false, now }),
    );
    expect(decision.account).toMatchObject({
      full_name: 'Rio Ara',
      email: target.email,
      version: 5,
      updated_at: now,
      created_at: t0,
    });
    expect(decision.events).toEqual([
      {
        name: 'Account.Updated',
        version: 1,
        data: {
          public_id: target.public_id,
          email: target.email,
          full_name: 'Rio Ara',
          role: 'worker',
          active: true,
          version: 5,
          updated_at: now.toISOString(),
        },
      },
    ]);
  });

  it('given the values the account already has (email in another case), changes nothing and publishes nothing', () => {
    const target = account({ role: 'worker', email: 'same@example.com', full_name: 'Same' });
    const decision = changed(
      decideUpdate({
        actor: system,
        target,
        changes: { email: 'SAME@example.com', full_name: 'Same' },
        emailTaken: true,
        now,
      }),
    );
    expect(decision).toEqual({ account: target, events: [] });
  });

  it('given an email another account has, refuses with 409', () => {
    const target = account({ role: 'worker' });
    expect(
      refused(decideUpdate({ actor: system, target, changes: { email: 'other@example.com' }, emailTaken: true, now }))
        .status,
    ).toBe(409);
  });

  it('given an empty name and a malformed email, refuses with 400 naming both', () => {
    const target = account({ role: 'worker' });
    const error = refused(
      decideUpdate({ actor: system, target, changes: { email: 'x@', full_name: '' }, emailTaken: false, now }),
    );
    expect(error.issues.map((i) => i.field)).toEqual(['email', 'full_name']);
  });
});

describe('decideRoleChange', () => {
  it('given a worker promoted to manager, publishes Account.Updated and Account.RoleChanged with the same new version', () => {
    const admin = account({ role: 'admin' });
    const target = account({ role: 'worker', version: 7 });
    const decision = changed(
      decideRoleChange({ actor: as(admin), target, newRole: 'manager', activeAdminCount: 1, now }),
    );
    expect(decision.account).toMatchObject({ role: 'manager', version: 8 });
    expect(decision.events.map((e) => e.name)).toEqual(['Account.Updated', 'Account.RoleChanged']);
    expect(decision.events[1]).toEqual({
      name: 'Account.RoleChanged',
      version: 1,
      data: {
        public_id: target.public_id,
        old_role: 'worker',
        new_role: 'manager',
        version: 8,
        changed_at: now.toISOString(),
      },
    });
    expect(decision.events[0]?.data).toMatchObject({ role: 'manager', version: 8 });
  });

  it('given the role the account already has, changes nothing', () => {
    const admin = account({ role: 'admin' });
    const target = account({ role: 'accountant' });
    expect(
      changed(decideRoleChange({ actor: as(admin), target, newRole: 'accountant', activeAdminCount: 1, now })),
    ).toEqual({ account: target, events: [] });
  });

  it('given an admin demoting themselves, refuses with 409 and says why', () => {
    const admin = account({ role: 'admin' });
    const error = refused(
      decideRoleChange({ actor: as(admin), target: admin, newRole: 'worker', activeAdminCount: 3, now }),
    );
    expect(error.status).toBe(409);
    expect(error.message).toMatch(/your own role/);
  });

  it('given the last active admin demoted by the system, refuses with 409', () => {
    const lastAdmin = account({ role: 'admin' });
    const error = refused(
      decideRoleChange({ actor: system, target: lastAdmin, newRole: 'manager', activeAdminCount: 1, now }),
    );
    expect(error.status).toBe(409);
    expect(error.message).toMatch(/last active admin/);
  });

  it('given two active admins, one may demote the other', () => {
    const admin = account({ role: 'admin' });
    const other = account({ role: 'admin' });
    expect(
      changed(decideRoleChange({ actor: as(admin), target: other, newRole: 'worker', activeAdminCount: 2, now }))
        .account.role,
    ).toBe('worker');
  });

  it('given a deactivated admin, demoting them is allowed whatever the count (they manage nothing)', () => {
    const admin = account({ role: 'admin' });
    const inactiveAdmin = account({ role: 'admin', active: false });
    expect(
      changed(
        decideRoleChange({ actor: as(admin), target: inactiveAdmin, newRole: 'worker', activeAdminCount: 1, now }),
      ).events,
    ).toHaveLength(2);
  });

  it('given an unknown role, refuses with 400 naming the field', () => {
    const error = refused(
      decideRoleChange({
        actor: system,
        target: account({ role: 'worker' }),
        newRole: 'overlord',
        activeAdminCount: 1,
        now,
      }),
    );
    expect(error.status).toBe(400);
    expect(error.issues).toEqual([{ field: 'role', message: 'must be one of admin, manager, accountant, worker' }]);
  });

  it('given a worker as the actor, refuses with 403', () => {
    const worker = account({ role: 'worker' });
    expect(
      refused(decideRoleChange({ actor: as(worker), target: worker, newRole: 'admin', activeAdminCount: 1, now }))
        .status,
    ).toBe(403);
  });
});

describe('decideDeactivation', () => {
  it('given an active worker, deactivates it and publishes Account.Updated and Account.Deactivated', () => {
    const admin = account({ role: 'admin' });
    const target = account({ role: 'worker', version: 2 });
    const decision = changed(decideDeactivation({ actor: as(admin), target, activeAdminCount: 1, now }));
    expect(decision.account).toMatchObject({ active: false, version: 3 });
    expect(decision.events).toEqual([
      expect.objectContaining({
        name: 'Account.Updated',
        data: expect.objectContaining({ active: false, version: 3 }),
      }),
      {
        name: 'Account.Deactivated',
        version: 1,
        data: { public_id: target.public_id, version: 3, deactivated_at: now.toISOString() },
      },
    ]);
  });

  it('given an account already deactivated, changes nothing', () => {
    const target = account({ role: 'worker', active: false });
    expect(changed(decideDeactivation({ actor: system, target, activeAdminCount: 1, now }))).toEqual({
      account: target,
      events: [],
    });
  });

  it('given an admin deactivating themselves, refuses with 409', () => {
    const admin = account({ role: 'admin' });
    expect(refused(decideDeactivation({ actor: as(admin), target: admin, activeAdminCount: 2, now })).message).toMatch(
      /your own account/,
    );
  });

  it('given the last active admin, refuses with 409', () => {
    const lastAdmin = account({ role: 'admin' });
    expect(refused(decideDeactivation({ actor: system, target: lastAdmin, activeAdminCount: 1, now })).message).toMatch(
      /last active admin/,
    );
  });
});

describe('decideActivation', () => {
  it('given a deactivated account, activates it and publishes Account.Updated', () => {
    const target = account({ role: 'worker', active: false, version: 5 });
    const decision = changed(decideActivation({ actor: system, target, now }));
    expect(decision.account).toMatchObject({ active: true, version: 6 });
    expect(decision.events).toEqual([
      expect.objectContaining({ name: 'Account.Updated', data: expect.objectContaining({ active: true, version: 6 }) }),
    ]);
  });

  it('given an active account, changes nothing', () => {
    const target = account({ role: 'worker' });
    expect(changed(decideActivation({ actor: system, target, now })).events).toEqual([]);
  });
});
