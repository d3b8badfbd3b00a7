import { describe, expect, it } from 'vitest';
import { decideSpecification } from '@ates/event-bus/testing';
import type { Role } from '@ates/roles';
import type { Account, Actor } from './account.js';
import { decideActivation, decideCreation, decideDeactivation, decideRoleChange, decideUpdate } from './decide.js';

// Given what the rule must know, when a command, then the events (or the refusal). The
// specification also checks that every event it sees is valid against its schema.

const t0 = new Date('2026-03-01T09:00:00.000Z');
const now = new Date('2026-03-03T10:15:00.000Z');
const newId = '00000000-0000-4000-8000-00000000aaaa';

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
const someone = { email: 'b@example.com', full_name: 'B', role: 'worker' };

const creation = decideSpecification(decideCreation);
const update = decideSpecification(decideUpdate);
const roleChange = decideSpecification(decideRoleChange);
const deactivation = decideSpecification(decideDeactivation);
const activation = decideSpecification(decideActivation);

describe('decideCreation', () => {
  it('given an admin and a free email, when an account is created, then it is active at version 1 and Account.Created says so', () => {
    const admin = account({ role: 'admin' });
    const { state } = creation
      .given({ actor: as(admin), emailTaken: false })
      .when(
        { publicId: newId, input: { email: '  Kiwi@Example.COM ', full_name: ' Kiwi   Budgie ', role: 'worker' } },
        now,
      )
      .then([
        {
          name: 'Account.Created',
          version: 1,
          data: {
            public_id: newId,
            email: 'kiwi@example.com',
            full_name: 'Kiwi Budgie',
            role: 'worker',
            active: true,
            version: 1,
            created_at: now.toISOString(),
          },
        },
      ]);
    expect(state).toEqual({
      public_id: newId,
      email: 'kiwi@example.com',
      full_name: 'Kiwi Budgie',
      role: 'worker',
      active: true,
      version: 1,
      created_at: now,
      updated_at: now,
    });
  });

  it('given a taken email, then it is refused naming the email', () => {
    creation
      .given({ actor: system, emailTaken: true })
      .when({ publicId: newId, input: { email: 'a@example.com', full_name: 'A', role: 'worker' } })
      .thenRefuses('account.email_taken', /a@example\.com/);
  });

  it('given bad fields, then it is refused naming every one of them', () => {
    const error = creation
      .given({ actor: system, emailTaken: false })
      .when({ publicId: newId, input: { email: 'not-an-email', full_name: '   ', role: 'boss' } })
      .thenRefuses('account.invalid');
    expect(error.status).toBe(400);
    expect(error.issues.map((i) => i.field)).toEqual(['email', 'full_name', 'role']);
  });

  it('given a manager as the actor, then it is refused: only admins change accounts', () => {
    creation
      .given({ actor: as(account({ role: 'manager' })), emailTaken: false })
      .when({ publicId: newId, input: someone })
      .thenRefuses('account.actor_not_admin', /your role is manager/);
  });

  it('given an admin deactivated since the token was issued, or gone, then it is refused', () => {
    for (const actor of [
      as(account({ role: 'admin', active: false })),
      { kind: 'account', account: undefined } as const,
    ]) {
      creation
        .given({ actor, emailTaken: false })
        .when({ publicId: newId, input: someone })
        .thenRefuses('account.actor_inactive');
    }
  });
});

describe('decideUpdate', () => {
  it('given a new name, then the version rises and Account.Updated carries the full state', () => {
    const target = account({ role: 'worker', version: 4 });
    const { state } = update
      .given({ actor: as(account({ role: 'admin' })), target, emailTaken: false })
      .when({ full_name: 'Rio Ara' }, now)
      .then([
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
    expect(state).toMatchObject({
      full_name: 'Rio Ara',
      email: target.email,
      version: 5,
      updated_at: now,
      created_at: t0,
    });
  });

  it('given the values the account already has (email in another case), then nothing happens', () => {
    const target = account({ role: 'worker', email: 'same@example.com', full_name: 'Same' });
    const { state } = update
      .given({ actor: system, target, emailTaken: true })
      .when({ email: 'SAME@example.com', full_name: 'Same' })
      .thenNothingHappens();
    expect(state).toBe(target);
  });

  it('given an email another account has, then it is refused', () => {
    update
      .given({ actor: system, target: account({ role: 'worker' }), emailTaken: true })
      .when({ email: 'other@example.com' })
      .thenRefuses('account.email_taken');
  });

  it('given an empty name and a malformed email, then it is refused naming both', () => {
    const error = update
      .given({ actor: system, target: account({ role: 'worker' }), emailTaken: false })
      .when({ email: 'x@', full_name: '' })
      .thenRefuses('account.invalid');
    expect(error.issues.map((i) => i.field)).toEqual(['email', 'full_name']);
  });
});

describe('decideRoleChange', () => {
  it('given a worker promoted to manager, then Account.Updated and Account.RoleChanged carry the same new version', () => {
    const target = account({ role: 'worker', version: 7 });
    const { state } = roleChange
      .given({ actor: as(account({ role: 'admin' })), target, activeAdminCount: 1 })
      .when({ role: 'manager' }, now)
      .then([
        { name: 'Account.Updated', data: { role: 'manager', version: 8 } },
        {
          name: 'Account.RoleChanged',
          version: 1,
          data: {
            public_id: target.public_id,
            old_role: 'worker',
            new_role: 'manager',
            version: 8,
            changed_at: now.toISOString(),
          },
        },
      ]);
    expect(state).toMatchObject({ role: 'manager', version: 8 });
  });

  it('given the role the account already has, then nothing happens', () => {
    roleChange
      .given({ actor: as(account({ role: 'admin' })), target: account({ role: 'accountant' }), activeAdminCount: 1 })
      .when({ role: 'accountant' })
      .thenNothingHappens();
  });

  it('given an admin demoting themselves, then it is refused', () => {
    const admin = account({ role: 'admin' });
    roleChange
      .given({ actor: as(admin), target: admin, activeAdminCount: 3 })
      .when({ role: 'worker' })
      .thenRefuses('account.self_role_change', /your own role/);
  });

  it('given the last active admin demoted by the system, then it is refused', () => {
    roleChange
      .given({ actor: system, target: account({ role: 'admin' }), activeAdminCount: 1 })
      .when({ role: 'manager' })
      .thenRefuses('account.last_admin', /last active admin/);
  });

  it('given two active admins, then one may demote the other', () => {
    const { state } = roleChange
      .given({ actor: as(account({ role: 'admin' })), target: account({ role: 'admin' }), activeAdminCount: 2 })
      .when({ role: 'worker' })
      .then([{ name: 'Account.Updated' }, { name: 'Account.RoleChanged' }]);
    expect(state.role).toBe('worker');
  });

  it('given a deactivated admin, then demoting them is allowed whatever the count (they manage nothing)', () => {
    roleChange
      .given({
        actor: as(account({ role: 'admin' })),
        target: account({ role: 'admin', active: false }),
        activeAdminCount: 1,
      })
      .when({ role: 'worker' })
      .then([{ name: 'Account.Updated' }, { name: 'Account.RoleChanged' }]);
  });

  it('given an unknown role, then it is refused naming the field', () => {
    const error = roleChange
      .given({ actor: system, target: account({ role: 'worker' }), activeAdminCount: 1 })
      .when({ role: 'overlord' })
      .thenRefuses('account.invalid');
    expect(error.issues).toEqual([{ field: 'role', message: 'must be one of admin, manager, accountant, worker' }]);
  });

  it('given a worker as the actor, then it is refused', () => {
    const worker = account({ role: 'worker' });
    roleChange
      .given({ actor: as(worker), target: worker, activeAdminCount: 1 })
      .when({ role: 'admin' })
      .thenRefuses('account.actor_not_admin');
  });
});

describe('decideDeactivation', () => {
  it('given an active worker, then it is deactivated: Account.Updated and Account.Deactivated', () => {
    const target = account({ role: 'worker', version: 2 });
    const { state } = deactivation
      .given({ actor: as(account({ role: 'admin' })), target, activeAdminCount: 1 })
      .when({}, now)
      .then([
        { name: 'Account.Updated', data: { active: false, version: 3 } },
        {
          name: 'Account.Deactivated',
          version: 1,
          data: { public_id: target.public_id, version: 3, deactivated_at: now.toISOString() },
        },
      ]);
    expect(state).toMatchObject({ active: false, version: 3 });
  });

  it('given an account already deactivated, then nothing happens', () => {
    deactivation
      .given({ actor: system, target: account({ role: 'worker', active: false }), activeAdminCount: 1 })
      .when({})
      .thenNothingHappens();
  });

  it('given an admin deactivating themselves, then it is refused', () => {
    const admin = account({ role: 'admin' });
    deactivation
      .given({ actor: as(admin), target: admin, activeAdminCount: 2 })
      .when({})
      .thenRefuses('account.self_deactivation', /your own account/);
  });

  it('given the last active admin, then it is refused', () => {
    deactivation
      .given({ actor: system, target: account({ role: 'admin' }), activeAdminCount: 1 })
      .when({})
      .thenRefuses('account.last_admin');
  });
});

describe('decideActivation', () => {
  it('given a deactivated account, then it is active again: Account.Updated', () => {
    const { state } = activation
      .given({ actor: system, target: account({ role: 'worker', active: false, version: 5 }) })
      .when({})
      .then([{ name: 'Account.Updated', data: { active: true, version: 6 } }]);
    expect(state).toMatchObject({ active: true, version: 6 });
  });

  it('given an active account, then nothing happens', () => {
    activation
      .given({ actor: system, target: account({ role: 'worker' }) })
      .when({})
      .thenNothingHappens();
  });
});
