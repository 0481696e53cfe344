// What the demo seed created, kept apart from the seed itself so that the org runtime can hold it without
// importing the seed (which imports the runtime).

export interface DemoOrgInfo {
  orgId: string;
  loginUrl: string;
  username: string;
  integrationUserId: string;
  adminUsername: string;
  agentUsernames: string[];
  inactiveUsername: string;
  password: string;
  connectedAppName: string;
  consumerKey: string;
  consumerSecret: string;
  permissionSetId: string;
  accountId: string;
  contactIds: string[];
  caseIds: string[];
  articles: { sourceId: string; title: string; knowledgeArticleId: string; versionId: string }[];
}
