import { Type, type Static } from '@sinclair/typebox';
import { problemResponses, type ServiceApp } from '@ates/http';
import { authenticate, requireRole, type TokenVerifier } from '@ates/token-verifier';
import type { AuthDb } from '../db.js';
import { deleteApplication, listApplications, registerApplication, type Application } from './applications.js';

export const ApplicationView = Type.Object(
  {
    client_id: Type.String(),
    name: Type.String(),
    public: Type.Boolean({ description: 'True for a client without a secret (it must use PKCE).' }),
    redirect_uris: Type.Array(Type.String()),
    post_logout_redirect_uris: Type.Array(Type.String()),
    backchannel_logout_uri: Type.Union([Type.String(), Type.Null()]),
    first_party: Type.Boolean({ description: 'An aTES dashboard: no consent screen.' }),
    configured: Type.Boolean({ description: 'Registered from configuration at start; cannot be removed.' }),
    created_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'Application' },
);

const Uri = Type.String({ minLength: 1, maxLength: 2000 });
const NewApplication = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    redirect_uris: Type.Array(Uri, { minItems: 1, maxItems: 20 }),
    post_logout_redirect_uris: Type.Optional(Type.Array(Uri, { maxItems: 20 })),
    public: Type.Optional(Type.Boolean({ description: 'No secret (native or single-page apps); default false.' })),
    first_party: Type.Optional(Type.Boolean({ description: 'Skip the consent screen; default false.' })),
  },
  { additionalProperties: false },
);

export const applicationView = (a: Application): Static<typeof ApplicationView> => ({
  client_id: a.client_id,
  name: a.name,
  public: a.public,
  redirect_uris: [...a.redirect_uris],
  post_logout_redirect_uris: [...a.post_logout_redirect_uris],
  backchannel_logout_uri: a.backchannel_logout_uri,
  first_party: a.first_party,
  configured: a.configured,
  created_at: a.created_at.toISOString(),
});

const tags = ['applications'];

/** Admin-only API for OAuth applications (the admin pages and `ates auth add-app` do the same). */
export const registerApplicationRoutes = async (
  app: ServiceApp,
  deps: { db: AuthDb; verifier: TokenVerifier },
): Promise<void> => {
  app.addSchema(ApplicationView);
  await app.register(async (api: ServiceApp) => {
    authenticate(api, deps.verifier);
    const admin = { preHandler: requireRole('admin') };
    api.get(
      '/api/applications',
      {
        ...admin,
        schema: {
          tags,
          summary: 'Registered OAuth applications',
          response: { 200: Type.Array(Type.Ref(ApplicationView)) },
        },
      },
      async () => (await listApplications(deps.db)).map(applicationView),
    );
    api.post(
      '/api/applications',
      {
        ...admin,
        schema: {
          tags,
          summary: 'Register an OAuth application; a confidential one gets its secret in this answer only',
          body: NewApplication,
          response: {
            201: Type.Object({ application: Type.Ref(ApplicationView), client_secret: Type.Optional(Type.String()) }),
          },
        },
      },
      async (request, reply) => {
        const { application, clientSecret } = await registerApplication(deps.db, request.body);
        return reply.status(201).send({
          application: applicationView(application),
          ...(clientSecret ? { client_secret: clientSecret } : {}),
        });
      },
    );
    api.delete(
      '/api/applications/:client_id',
      {
        ...admin,
        schema: {
          tags,
          summary: 'Remove an application and revoke what it was issued',
          params: Type.Object({ client_id: Type.String({ minLength: 1, maxLength: 200 }) }),
          response: { 204: Type.Null(), ...problemResponses(404, 409) },
        },
      },
      async (request, reply) => {
        await deleteApplication(deps.db, request.params.client_id);
        return reply.status(204).send(null);
      },
    );
  });
};
