// Who the employee of a case is, the one rule ticket monitoring and the bot API share: the case's Contact; for a
// case with no Contact (filed by email), the one Contact whose email is the case's supplied email. Several such
// Contacts, or none, and the case has no employee: it is skipped with the reason, never guessed.

import type { Employee, SupportCase } from '../support.js';

export type CaseEmployee =
  | { readonly kind: 'employee'; readonly employeeId: string; readonly via: 'contact' | 'supplied-email' }
  | {
      readonly kind: 'skipped';
      readonly reason: 'no-contact-or-email' | 'no-contact-with-email' | 'several-contacts-with-email';
      /** the Contacts that share the email, for the operator to clean up (ambiguity only) */
      readonly candidateIds: readonly string[];
    };

/** Emails compare case-insensitively and without surrounding spaces (as Salesforce's email fields do). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The Contacts among `contacts` whose email is `email`. */
export function contactsWithEmail(email: string, contacts: readonly Employee[]): Employee[] {
  const wanted = normalizeEmail(email);
  const seen = new Set<string>();
  return contacts.filter((contact) => {
    if (contact.email === null || normalizeEmail(contact.email) !== wanted || seen.has(contact.id))
      return false;
    seen.add(contact.id);
    return true;
  });
}

/**
 * The employee of a case. `contactsForEmail` are the Contacts already fetched for the case's supplied email (the
 * adapter's query may return near matches: only exact, case-insensitive matches count here).
 */
export function employeeOfCase(
  supportCase: Pick<SupportCase, 'employeeId' | 'suppliedEmail'>,
  contactsForEmail: readonly Employee[],
): CaseEmployee {
  if (supportCase.employeeId !== null && supportCase.employeeId !== '')
    return { kind: 'employee', employeeId: supportCase.employeeId, via: 'contact' };
  const email = supportCase.suppliedEmail === null ? '' : normalizeEmail(supportCase.suppliedEmail);
  if (email === '') return { kind: 'skipped', reason: 'no-contact-or-email', candidateIds: [] };
  const matches = contactsWithEmail(email, contactsForEmail);
  const [only] = matches;
  if (only !== undefined && matches.length === 1)
    return { kind: 'employee', employeeId: only.id, via: 'supplied-email' };
  if (matches.length === 0) return { kind: 'skipped', reason: 'no-contact-with-email', candidateIds: [] };
  return {
    kind: 'skipped',
    reason: 'several-contacts-with-email',
    candidateIds: matches.map((contact) => contact.id).sort(),
  };
}

/**
 * Whether a case belongs to an employee (the bot API's ownership rule): its Contact is theirs, or, only when it has
 * no Contact, its supplied email resolves to exactly their Contact.
 */
export function caseBelongsTo(
  supportCase: Pick<SupportCase, 'employeeId' | 'suppliedEmail'>,
  employeeId: string,
  contactsForEmail: readonly Employee[],
): boolean {
  const owner = employeeOfCase(supportCase, contactsForEmail);
  return owner.kind === 'employee' && owner.employeeId === employeeId;
}

/**
 * Whether a case belongs to an employee whom no Contact has (the bot API lets them file with their name and email):
 * the case has no Contact, its supplied email is theirs, and no Contact has that email, so no Contact can claim it.
 */
export function caseBelongsToContactless(
  supportCase: Pick<SupportCase, 'employeeId' | 'suppliedEmail'>,
  email: string,
  contactsForEmail: readonly Employee[],
): boolean {
  return (
    (supportCase.employeeId === null || supportCase.employeeId === '') &&
    supportCase.suppliedEmail !== null &&
    normalizeEmail(supportCase.suppliedEmail) === normalizeEmail(email) &&
    contactsWithEmail(normalizeEmail(email), contactsForEmail).length === 0
  );
}
