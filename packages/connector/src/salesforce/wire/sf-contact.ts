// SfContact: the Contact fields that identify an employee. LastName and Name are never null; the rest may be.

import { z } from 'zod';

export const SfContact = z.object({
  Id: z.string(),
  Email: z.string().nullable(),
  FirstName: z.string().nullable(),
  LastName: z.string(),
  Name: z.string(),
  Department: z.string().nullable(),
});
export type SfContact = z.infer<typeof SfContact>;

export const SF_CONTACT_FIELDS = Object.keys(SfContact.shape);
