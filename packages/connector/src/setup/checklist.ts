// The admin's checklist for one tenant, as structured steps (title, where in Setup, what to do, what to hand back)
// that render to Markdown or plain text. It follows the walkthrough of the Salesforce access requirements, and
// says plainly what casebridge needs back and what it does not.

import {
  SESSION_TIMEOUT_MINUTES,
  SETUP_CERTIFICATE_FILE,
  objectAccess,
  type SetupPackageVariant,
} from './metadata-package.js';
import { resolveSetupInput, type SetupInput } from './setup-input.js';

export interface ChecklistStep {
  title: string;
  /** where in Salesforce Setup (or elsewhere) the step happens */
  where: string;
  actions: string[];
  /** what the admin sends back to casebridge's operator after this step */
  handBack?: string[];
}

export interface Checklist {
  title: string;
  intro: string[];
  steps: ChecklistStep[];
  /** what casebridge needs, and the plain statement about the consumer secret and password */
  handBack: { needed: string[]; notNeeded: string };
}

function accessLine(row: ReturnType<typeof objectAccess>[number]): string {
  const rights = [row.read && 'Read', row.create && 'Create', row.edit && 'Edit'].filter(Boolean).join(', ');
  return `${row.object}: ${rights}`;
}

export function buildChecklist(input: SetupInput, variant: SetupPackageVariant = 'connected-app'): Checklist {
  const s = resolveSetupInput(input);
  const isEca = variant === 'external-client-app';
  const appKind = isEca ? 'External Client App' : 'Connected App';
  const tenant = s.tenantId ?? '<tenant>';
  const steps: ChecklistStep[] = [
    {
      title: 'Keep the certificate at hand',
      where: 'Your computer',
      actions: [
        'casebridge holds an RSA key pair for this org (made by casebridge or imported). The private key stays encrypted inside casebridge; only the certificate goes to Salesforce: the .crt file `casebridge tenants add` or `keygen` wrote, or `casebridge setup --out DIR` writes it again as DIR/' +
          `${SETUP_CERTIFICATE_FILE}.`,
        "The certificate is public: it lets Salesforce check the signature on casebridge's login requests.",
      ],
    },
    {
      title: `Create the ${appKind} ${s.appName}`,
      where: isEca
        ? 'Setup > Apps > External Client Apps > External Client App Manager > New External Client App'
        : 'Setup > Apps > App Manager > New Connected App',
      actions: [
        `${isEca ? 'External Client App Name' : 'Connected App Name'} and API Name: ${s.appName}; Contact Email: ${s.contactEmail}.${isEca ? ' Distribution State: Local.' : ''}`,
        `Enable OAuth Settings. Callback URL: ${s.callbackUrl} (the JWT bearer flow never uses it, but the form requires one).`,
        'Check "Use digital signatures" and upload salesforce.crt.',
        'Selected OAuth Scopes: "Manage user data via APIs (api)" and "Perform requests at any time (refresh_token, offline_access)".',
        'Save. Salesforce may take up to 10 minutes before the new app accepts logins.',
      ],
      handBack: [
        `The Consumer Key (${isEca ? 'Settings > OAuth Settings > Consumer Key and Secret' : 'Manage Consumer Details'}). Only the key: see the end of this list.`,
      ],
    },
    {
      title: "Set the app's policies",
      where: isEca
        ? `External Client App Manager > ${s.appName} > Policies > Edit`
        : `App Manager > ${s.appName} > Manage > Edit Policies`,
      actions: [
        'OAuth Policies: Permitted Users = "Admin approved users are pre-authorized". The JWT bearer flow has no approval screen, so the service user must be pre-authorized.',
        `Session Policies: Timeout Value = 24 hours (${SESSION_TIMEOUT_MINUTES} minutes).`,
        'Save.',
      ],
    },
    {
      title: `Create the permission set ${s.permissionSetName}`,
      where: 'Setup > Users > Permission Sets > New',
      actions: [
        `Label and API Name: ${s.permissionSetName}. Save.`,
        `Object Settings: ${objectAccess(s.knowledge).map(accessLine).join('; ')}.`,
        "CaseComment has no setting of its own: access to a case's comments follows access to the Case. Account read is there because Salesforce requires it for Contact read.",
        'System Permissions: API Enabled.',
        isEca
          ? `Then in the External Client App's policies, under OAuth Policies > Select Permission Sets, add ${s.permissionSetName}.`
          : `Assigned Connected Apps > Edit: add ${s.appName} to Enabled Connected Apps. Save.`,
      ],
    },
    {
      title: 'Create the service user (if it does not exist)',
      where: 'Setup > Users > Users > New User',
      actions: [
        `Last Name: Casebridge; Alias: casebrdg; Email, Username and Nickname: ${s.username}.`,
        'Profile: one your policies allow (the requirements suggest an administrator profile; the permission set above grants everything casebridge needs).',
        s.knowledge
          ? 'Check "Knowledge User" so the user can read articles.'
          : 'Knowledge is not used, so no Knowledge User license is needed.',
        'To let casebridge see every employee\'s cases, the user must see all Cases (sharing or "View All" on Case); `casebridge doctor` reports which it has.',
      ],
      handBack: [`The username: ${s.username}`],
    },
    {
      title: 'Assign the permission set to the service user',
      where: `Setup > Users > Users > ${s.username} > Permission Set Assignments > Edit Assignments`,
      actions: [`Add ${s.permissionSetName} to Enabled Permission Sets. Save.`],
    },
    {
      title: 'Or deploy the same setup instead of clicking',
      where: 'The folder written by `casebridge setup --out DIR`',
      actions: [
        `\`sf project deploy start --source-dir force-app --target-org <org>\` creates the ${appKind} and the permission set; then assign the permission set (previous step), e.g. \`sf org assign permset --name ${s.permissionSetName} --on-behalf-of ${s.username} --target-org <org>\`.`,
        isEca
          ? 'This package is the External Client App variant, for orgs that can no longer create Connected Apps.'
          : "Orgs that can no longer create Connected Apps (Spring '26 and later) use `--external-client-app` for the External Client App variant.",
      ],
    },
    {
      title: 'Tell your agents what reaches employees',
      where: 'Your support team',
      actions: [
        'Only public Case Comments reach the employee (the "Public" box checked, IsPublished in the API). casebridge tells the employee about them, and about a case waiting for them, resolved or closed.',
        'Internal comments never leave Salesforce. Email replies (Email-to-Case, "Send Email") and Chatter feed posts do not reach the employee through casebridge either: answer with a public Case Comment.',
        'An internal comment made public later reaches the employee then, once; editing a public comment does not send it again.',
      ],
    },
    {
      title: 'Check it',
      where: 'Where casebridge runs',
      actions: [
        `Run \`casebridge doctor ${tenant}\`: every line should pass. Each failing line says what to fix.`,
      ],
    },
  ];
  return {
    title: `Salesforce setup for casebridge (${s.loginUrl})`,
    intro: [
      'casebridge logs in to your org as one service user with the OAuth 2.0 JWT bearer flow: it signs a short assertion with its private key and Salesforce checks it against the certificate on the app.',
      'It reads Contacts (to identify employees) and Knowledge articles, and reads, creates and updates Cases and their comments.',
    ],
    steps,
    handBack: {
      needed: [
        `Consumer Key of ${s.appName}`,
        `Service user's username: ${s.username}`,
        `Login URL: ${s.loginUrl}`,
      ],
      notNeeded:
        "Do not send the consumer secret or the service user's password: the JWT bearer flow uses neither, and a secret that is never sent cannot leak. If you send them anyway, casebridge stores them encrypted and never uses them.",
    },
  };
}

export function renderChecklistMarkdown(checklist: Checklist): string {
  const lines = [`# ${checklist.title}`, '', ...checklist.intro.flatMap((p) => [p, ''])];
  checklist.steps.forEach((step, index) => {
    lines.push(`## ${index + 1}. ${step.title}`, '', `*Where:* ${step.where}`, '');
    for (const action of step.actions) lines.push(`- ${action}`);
    if (step.handBack) for (const item of step.handBack) lines.push(`- **Hand back:** ${item}`);
    lines.push('');
  });
  lines.push('## What to send back', '');
  for (const item of checklist.handBack.needed) lines.push(`- ${item}`);
  lines.push('', `**${checklist.handBack.notNeeded}**`, '');
  return lines.join('\n');
}

/** Plain text: the same content without Markdown's code marks. */
export function renderChecklistText(checklist: Checklist): string {
  const plain = (text: string): string => text.replace(/`/g, '');
  const lines = [
    checklist.title,
    '='.repeat(checklist.title.length),
    '',
    ...checklist.intro.flatMap((p) => [plain(p), '']),
  ];
  checklist.steps.forEach((step, index) => {
    lines.push(`${index + 1}. ${plain(step.title)}`, `   Where: ${plain(step.where)}`);
    for (const action of step.actions) lines.push(`   - ${plain(action)}`);
    if (step.handBack) for (const item of step.handBack) lines.push(`   > Hand back: ${plain(item)}`);
    lines.push('');
  });
  lines.push('What to send back:');
  for (const item of checklist.handBack.needed) lines.push(`   - ${plain(item)}`);
  lines.push('', plain(checklist.handBack.notNeeded), '');
  return lines.join('\n');
}
