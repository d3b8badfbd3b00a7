import { Type, type Static } from '@sinclair/typebox';
import { problemResponses, type ServiceApp } from '@ates/http';
import { authenticate, requireRole, type TokenVerifier } from '@ates/token-verifier';
import { roles } from '@ates/roles';
import { maxEmailLength, maxFullNameLength, type Account } from './account.js';
import type { AccountCommands, ActorRef } from './commands.js';
import { minimumPasswordLength } from './passwords.js';

const RoleSchema = Type.Union(
  roles.map((r) => Type.Literal(r)),
  { description: 'The account\'s only role (REQUIREMENTS "Roles").' },
);

export const AccountView = Type.Object(
  {
    public_id: Type.String({ format: 'uuid', description: 'The account id every service knows it by.' }),
    email: Type.String({ format: 'email' }),
    full_name: Type.String(),
    role: RoleSchema,
    active: Type.Boolean({ description: 'False once deactivated: cannot sign in, gets no tasks.' }),
    version: Type.Integer({ minimum: 1, description: 'Raised by every change; the version its events carry.' }),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'Account' },
);

const PublicId = Type.Object({ public_id: Type.String({ format: 'uuid' }) });
const Email = Type.String({
  format: 'email',
  maxLength: maxEmailLength,
  description: 'Unique, compared without regard to case.',
});
const FullName = Type.String({ minLength: 1, maxLength: maxFullNameLength, pattern: '\\S' });
const Password = Type.String({ minLength: minimumPasswordLength, maxLength: 200 });

const NewAccount = Type.Object(
  {
    email: Email,
    full_name: FullName,
    role: RoleSchema,
    password: Type.Optional({
      ...Password,
      description: 'The first password; without it one is generated and returned once.',
    }),
  },
  { additionalProperties: false },
);
const AccountChanges = Type.Object(
  { email: Type.Optional(Email), full_name: Type.Optional(FullName) },
  { additionalProperties: false, minProperties: 1 },
);
const RoleChange = Type.Object({ role: RoleSchema }, { additionalProperties: false });
const PasswordReset = Type.Object({ password: Type.Optional(Password) }, { additionalProperties: false });
const ListQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({ maxLength: 200, description: 'Only accounts whose email or name contains this, in any case.' }),
    ),
    page: Type.Integer({ minimum: 1, default: 1 }),
    per_page: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  },
  { additionalProperties: false },
);

const accountRef = Type.Ref(AccountView);
const tags = ['accounts'];

export const accountView = (a: Account): Static<typeof AccountView> => ({
  public_id: a.public_id,
  email: a.email,
  full_name: a.full_name,
  role: a.role,
  active: a.active,
  version: a.version,
  created_at: a.created_at.toISOString(),
  updated_at: a.updated_at.toISOString(),
});

/**
 * The admin-only accounts API (REQUIREMENTS U2). Every change is decided by the rules in
 * decide.ts and saved with its events in one transaction (commands.ts).
 */
export const registerAccountRoutes = async (
  app: ServiceApp,
  deps: { accounts: AccountCommands; verifier: TokenVerifier },
): Promise<void> => {
  app.addSchema(AccountView);
  const { accounts } = deps;

  await app.register(async (api: ServiceApp) => {
    authenticate(api, deps.verifier);
    const admin = { preHandler: requireRole('admin') };
    const actor = (request: { caller: { id: string } }): ActorRef => ({ kind: 'account', id: request.caller.id });

    api.get(
      '/api/accounts',
      {
        ...admin,
        schema: {
          tags,
          summary: 'List accounts, a page at a time, optionally searched',
          querystring: ListQuery,
          response: {
            200: Type.Object({
              items: Type.Array(accountRef),
              page: Type.Integer(),
              per_page: Type.Integer(),
              total: Type.Integer(),
            }),
            ...problemResponses(400, 401, 403),
          },
        },
      },
      async (request) => {
        const { q, page, per_page: perPage } = request.query;
        const result = await accounts.list({ q, page, perPage });
        return { items: result.items.map(accountView), page, per_page: perPage, total: result.total };
      },
    );

    api.get(
      '/api/accounts/:public_id',
      {
        ...admin,
        schema: {
          tags,
          summary: 'One account',
          params: PublicId,
          response: { 200: accountRef, ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request) => accountView(await accounts.get(request.params.public_id)),
    );

    api.post(
      '/api/accounts',
      {
        ...admin,
        schema: {
          tags,
          summary: 'Create an account (publishes Account.Created)',
          body: NewAccount,
          response: {
            201: Type.Object({
              account: accountRef,
              generated_password: Type.Optional(
                Type.String({ description: 'Only when no password was given; shown this once.' }),
              ),
            }),
            ...problemResponses(400, 401, 403, 409),
          },
        },
      },
      async (request, reply) => {
        const created = await accounts.create(actor(request), request.body);
        return reply.status(201).send({
          account: accountView(created.account),
          ...(created.generatedPassword ? { generated_password: created.generatedPassword } : {}),
        });
      },
    );

    api.patch(
      '/api/accounts/:public_id',
      {
        ...admin,
        schema: {
          tags,
          summary: 'Change the email or name (publishes Account.Updated)',
          params: PublicId,
          body: AccountChanges,
          response: { 200: accountRef, ...problemResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => accountView(await accounts.update(actor(request), request.params.public_id, request.body)),
    );

    api.put(
      '/api/accounts/:public_id/role',
      {
        ...admin,
        schema: {
          tags,
          summary: 'Change the role (publishes Account.Updated and Account.RoleChanged)',
          params: PublicId,
          body: RoleChange,
          response: { 200: accountRef, ...problemResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        accountView(await accounts.changeRole(actor(request), request.params.public_id, request.body.role)),
    );

    api.post(
      '/api/accounts/:public_id/deactivate',
      {
        ...admin,
        schema: {
          tags,
          summary:
            'Deactivate: no sign-in, no new tasks; ends its sessions (publishes Account.Updated and Account.Deactivated)',
          params: PublicId,
          response: { 200: accountRef, ...problemResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => accountView(await accounts.deactivate(actor(request), request.params.public_id)),
    );

    api.post(
      '/api/accounts/:public_id/activate',
      {
        ...admin,
        schema: {
          tags,
          summary: 'Activate a deactivated account (publishes Account.Updated)',
          params: PublicId,
          response: { 200: accountRef, ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request) => accountView(await accounts.activate(actor(request), request.params.public_id)),
    );

    api.post(
      '/api/accounts/:public_id/password',
      {
        ...admin,
        schema: {
          tags,
          summary: "Set a new password (generated when none is given) and end the account's sessions",
          params: PublicId,
          body: PasswordReset,
          response: {
            200: Type.Object({ account: accountRef, generated_password: Type.Optional(Type.String()) }),
            ...problemResponses(400, 401, 403, 404),
          },
        },
      },
      async (request) => {
        const result = await accounts.setPassword(actor(request), request.params.public_id, request.body.password);
        return {
          account: accountView(result.account),
          ...(result.generatedPassword ? { generated_password: result.generatedPassword } : {}),
        };
      },
    );
  });
};
