// The demo org's support cases: what employees ask, and what agents and employees say on them.

export interface CaseStory {
  subject: string;
  description: string;
  priority: 'Low' | 'Medium' | 'High';
}

export const CASE_STORIES: CaseStory[] = [
  {
    subject: 'Cannot connect to office Wi-Fi',
    description: 'My laptop keeps dropping the corporate Wi-Fi on the 3rd floor since this morning.',
    priority: 'Medium',
  },
  {
    subject: 'Printer on 2nd floor jams every print',
    description: 'The printer next to the kitchen jams on every job, even single pages.',
    priority: 'Low',
  },
  {
    subject: 'VPN login fails with MFA error',
    description: 'The VPN client says my MFA code is invalid although the authenticator shows it.',
    priority: 'High',
  },
  {
    subject: 'Request a second monitor',
    description: 'I would like a second monitor for my desk; my manager approved it.',
    priority: 'Low',
  },
  {
    subject: 'Video call software crashes on start',
    description: 'The conferencing app crashes right after the splash screen since the last update.',
    priority: 'Medium',
  },
  {
    subject: 'Payroll: missing overtime on last payslip',
    description: 'My overtime hours from last month are not on the payslip.',
    priority: 'High',
  },
  {
    subject: 'Access to the finance shared drive',
    description: 'I joined the finance team and need access to the shared drive.',
    priority: 'Medium',
  },
  {
    subject: 'Laptop battery drains in an hour',
    description: 'My laptop battery lasts about an hour, it used to last a day.',
    priority: 'Medium',
  },
  {
    subject: 'Conference room screen does not detect HDMI',
    description: 'Room Everest: the screen shows no signal when I plug in my laptop.',
    priority: 'Low',
  },
  {
    subject: 'Password reset link expired',
    description: 'The reset link I got by email says it has expired, every time.',
    priority: 'High',
  },
  {
    subject: 'Expense report stuck in approval',
    description: 'My expense report has been pending approval for three weeks.',
    priority: 'Medium',
  },
  {
    subject: 'New hire equipment for next Monday',
    description: 'A new team member starts Monday and needs a laptop and badge.',
    priority: 'Medium',
  },
  {
    subject: 'Email signature template',
    description: 'Where can I find the official email signature template?',
    priority: 'Low',
  },
  {
    subject: 'Parking permit renewal',
    description: 'How do I renew my parking permit for the garage?',
    priority: 'Low',
  },
  {
    subject: 'Software license for design tool',
    description: 'I need a license for the design tool for a marketing project.',
    priority: 'Medium',
  },
  {
    subject: "Badge doesn't open the side entrance",
    description: 'My badge works at the main door but not at the side entrance.',
    priority: 'Medium',
  },
];

export const AGENT_PUBLIC_REPLIES = [
  'Thanks for reaching out. Could you tell us the asset tag on your device?',
  'We have pushed a fix to your machine; please restart and let us know if it works.',
  'I have escalated this to the responsible team; we will get back to you shortly.',
  'Could you please confirm whether the issue still happens today?',
  'This should now be resolved. Please reply if you still see the problem.',
  'We scheduled a technician visit for tomorrow morning.',
];

export const AGENT_INTERNAL_NOTES = [
  'Known issue with the latest driver, see problem ticket.',
  'Waiting on the network team; do not close yet.',
  'Checked the logs: the account was locked after 5 failed attempts.',
  'Hardware replacement approved by the team lead.',
];

export const EMPLOYEE_REPLIES = [
  'Thanks, it works again.',
  'It still happens, unfortunately. I attached a screenshot in the chat.',
  'The asset tag is LT-20417.',
  'Yes, still happening this morning.',
  'Great, thank you for the quick help!',
];

export const ORIGINS = ['Web', 'Email', 'Phone', 'Chat'] as const;
