// The admin's setup as a Salesforce DX project (source format) to deploy instead of clicking: the app with our
// certificate, and the permission set with the object access of the access requirements and the app assigned.
// Two variants: a Connected App, or, for orgs that can no longer create Connected Apps (Spring '26 and later),
// an External Client App with the same intent. Element names follow the Metadata API Developer Guide (ConnectedApp,
// PermissionSet, ExternalClientApplication, ExtlClntApp*); directory names and suffixes follow the sf CLI's
// metadata registry. Elements are in alphabetical order, the order of the Metadata API's XML schema sequences.

import { el, metadataDocument, type XmlChild } from './xml.js';
import { resolveSetupInput, type ResolvedSetupInput, type SetupInput } from './setup-input.js';

export type SetupPackageVariant = 'connected-app' | 'external-client-app';

/** Relative path → file content. */
export type SetupPackageFiles = Record<string, string>;

const SOURCE = 'force-app/main/default';

/** The certificate's file in the setup package, the one the checklist tells the admin to upload. */
export const SETUP_CERTIFICATE_FILE = 'certificate.crt';
/** The session timeout the requirements ask for, in minutes (Metadata API session timeouts are minutes: 1440 = 24 h). */
export const SESSION_TIMEOUT_MINUTES = 24 * 60;

interface ObjectAccess {
  object: string;
  read: boolean;
  create: boolean;
  edit: boolean;
}

/**
 * Object access from the access requirements. Salesforce enforces two rules here:
 * - CaseComment has no object permission of its own: access to a case comment follows access to its parent Case
 *   (read the Case to read its comments, edit the Case to add one), so Case read/create/edit covers "CaseComment
 *   read/write" and a CaseComment entry would be rejected on deploy.
 * - Read on Contact depends on read on Account (a deploy without it fails with "Permission Read Contact depends on
 *   permission(s): Read Account"), so Account read is granted too.
 */
export function objectAccess(knowledge: boolean): ObjectAccess[] {
  const rows: ObjectAccess[] = [
    { object: 'Account', read: true, create: false, edit: false },
    { object: 'Case', read: true, create: true, edit: true },
    { object: 'Contact', read: true, create: false, edit: false },
  ];
  if (knowledge) rows.push({ object: 'Knowledge__kav', read: true, create: false, edit: false });
  return rows;
}

function permissionSet(input: ResolvedSetupInput, appNote: string): string {
  return metadataDocument('PermissionSet', [
    el(
      'description',
      `casebridge service user: read Contact and Knowledge, read/create/edit Case (and so CaseComment), API access. ${appNote}`,
    ),
    el('hasActivationRequired', false),
    el('label', input.permissionSetName),
    ...objectAccess(input.knowledge).map((row) =>
      el('objectPermissions', [
        el('allowCreate', row.create),
        el('allowDelete', false),
        el('allowEdit', row.edit),
        el('allowRead', row.read),
        el('modifyAllRecords', false),
        el('object', row.object),
        el('viewAllRecords', false),
      ]),
    ),
    el('userPermissions', [el('enabled', true), el('name', 'ApiEnabled')]),
  ]);
}

function connectedApp(input: ResolvedSetupInput): string {
  return metadataDocument('ConnectedApp', [
    el('contactEmail', input.contactEmail),
    el('description', 'casebridge: server-to-server access with the OAuth 2.0 JWT bearer flow.'),
    el('label', input.appName),
    el('oauthConfig', [
      el('callbackUrl', input.callbackUrl),
      // "Use digital signatures": the PEM certificate the JWT assertions are verified against
      el('certificate', input.certificatePem),
      // "Admin approved users are pre-authorized"; also required for permissionSetName below
      el('isAdminApproved', true),
      el('isConsumerSecretOptional', false),
      el('isIntrospectAllTokens', false),
      // api, and "refresh_token, offline_access": one scope, which Metadata API calls RefreshToken (deploying
      // OfflineAccess means the same; listing both would only repeat it)
      el('scopes', 'Api'),
      el('scopes', 'RefreshToken'),
    ]),
    el('oauthPolicy', [el('ipRelaxation', 'ENFORCE'), el('refreshTokenPolicy', 'infinite')]),
    // the permission set's "Assigned Connected Apps" entry, made from the app's side (PermissionSet metadata has no
    // element for it)
    el('permissionSetName', input.permissionSetName),
    el('sessionPolicy', [el('sessionTimeout', SESSION_TIMEOUT_MINUTES)]),
  ]);
}

function externalClientApp(input: ResolvedSetupInput): SetupPackageFiles {
  const app = input.appName;
  const label = (suffix: string): XmlChild => el('label', `${app} ${suffix}`);
  return {
    [`${SOURCE}/externalClientApps/${app}.eca-meta.xml`]: metadataDocument('ExternalClientApplication', [
      el('contactEmail', input.contactEmail),
      el('description', 'casebridge: server-to-server access with the OAuth 2.0 JWT bearer flow.'),
      el('distributionState', 'Local'),
      el('isProtected', false),
      el('label', app),
    ]),
    // the OAuth plugin must be enabled for the app to issue tokens at all
    [`${SOURCE}/extlClntAppPolicies/${app}_plcy.ecaPlcy-meta.xml`]: metadataDocument(
      'ExtlClntAppConfigurablePolicies',
      [
        el('externalClientApplication', app),
        el('isEnabled', true),
        el('isOauthPluginEnabled', true),
        label('policies'),
      ],
    ),
    // the certificate and callback live in the "global" settings, the part an org's admins cannot see or change
    [`${SOURCE}/extlClntAppGlobalOauthSets/${app}_glbloauth.ecaGlblOauth-meta.xml`]: metadataDocument(
      'ExtlClntAppGlobalOauthSettings',
      [
        el('callbackUrl', input.callbackUrl),
        el('certificate', input.certificatePem),
        el('externalClientApplication', app),
        el('isConsumerSecretOptional', false),
        el('isIntrospectAllTokens', false),
        el('isPkceRequired', false),
        el('isSecretRequiredForRefreshToken', true),
        label('global OAuth settings'),
        el('shouldRotateConsumerKey', false),
        el('shouldRotateConsumerSecret', false),
      ],
    ),
    [`${SOURCE}/extlClntAppOauthSettings/${app}_oauth.ecaOauth-meta.xml`]: metadataDocument(
      'ExtlClntAppOauthSettings',
      [
        el('commaSeparatedOauthScopes', 'Api,RefreshToken'),
        el('externalClientApplication', app),
        label('OAuth settings'),
      ],
    ),
    [`${SOURCE}/extlClntAppOauthPolicies/${app}_oauthPlcy.ecaOauthPlcy-meta.xml`]: metadataDocument(
      'ExtlClntAppOauthConfigurablePolicies',
      [
        // documented as "permission set IDs", but Salesforce's own sample gives the API name, which is also the
        // only form that is the same in every org
        el('commaSeparatedPermissionSet', input.permissionSetName),
        el('externalClientApplication', app),
        el('ipRelaxationPolicyType', 'Enforce'),
        el('isClientCredentialsFlowEnabled', false),
        label('OAuth policies'),
        el('permittedUsersPolicyType', 'AdminApprovedPreAuthorized'),
        el('sessionTimeoutInMinutes', SESSION_TIMEOUT_MINUTES),
      ],
    ),
  };
}

function readme(input: ResolvedSetupInput, variant: SetupPackageVariant): string {
  const what =
    variant === 'connected-app'
      ? `the Connected App ${input.appName}`
      : `the External Client App ${input.appName}`;
  return [
    `# casebridge setup for ${input.username}`,
    '',
    `This Salesforce DX project creates ${what} (with casebridge's certificate, scopes api and`,
    `refresh_token/offline_access, admin-approved users, 24-hour sessions) and the permission set`,
    `${input.permissionSetName} (API Enabled; read Contact${input.knowledge ? ', Knowledge__kav' : ''} and Account; read/create/edit Case, which`,
    'covers CaseComment) with the app assigned.',
    '',
    'Deploy it with the Salesforce CLI, then assign the permission set to the service user:',
    '',
    '```sh',
    'sf project deploy start --source-dir force-app --target-org <your-org-alias>',
    `sf org assign permset --name ${input.permissionSetName} --on-behalf-of ${input.username} --target-org <your-org-alias>`,
    '```',
    '',
    'It contains no secret: the certificate is public. `casebridge setup` prints the same steps to do by hand.',
    '',
  ].join('\n');
}

/** The project as relative path → content, ready for `writeSetupPackage`. */
export function buildSetupPackage(
  input: SetupInput,
  variant: SetupPackageVariant = 'connected-app',
): SetupPackageFiles {
  const resolved = resolveSetupInput(input);
  const project = {
    packageDirectories: [{ path: 'force-app', default: true }],
    name: `casebridge-${resolved.appName.toLowerCase()}`,
    namespace: '',
    sourceApiVersion: resolved.apiVersion,
  };
  const files: SetupPackageFiles = {
    'sfdx-project.json': `${JSON.stringify(project, null, 2)}\n`,
    'README.md': readme(resolved, variant),
    // the certificate as a file too, for the admin who uploads it by hand ("Use digital signatures")
    [SETUP_CERTIFICATE_FILE]: resolved.certificatePem,
    [`${SOURCE}/permissionsets/${resolved.permissionSetName}.permissionset-meta.xml`]: permissionSet(
      resolved,
      variant === 'connected-app'
        ? `Assigned to the Connected App ${resolved.appName}.`
        : `Pre-authorized for the External Client App ${resolved.appName}.`,
    ),
  };
  if (variant === 'connected-app') {
    files[`${SOURCE}/connectedApps/${resolved.appName}.connectedApp-meta.xml`] = connectedApp(resolved);
  } else {
    Object.assign(files, externalClientApp(resolved));
  }
  return files;
}
