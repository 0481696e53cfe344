// Names for the demo org's employees (Contacts) and agents, drawn with the seeded PRNG.

import type { Prng } from '../util/prng.js';

const FIRST = [
  'Aisha',
  'Ben',
  'Carla',
  'Dmitri',
  'Elena',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jamal',
  'Kara',
  'Luis',
  'Mei',
  'Nikhil',
  'Olga',
  'Pablo',
  'Quinn',
  'Rosa',
  'Sven',
  'Tara',
  'Umar',
  'Vera',
  'Wes',
  'Xin',
  'Yara',
  'Zoe',
  'Amir',
  'Bianca',
  'Chen',
  'Diego',
  'Emma',
  'Felix',
  'Gita',
  'Hannah',
  'Ivan',
  'Julia',
  'Kenji',
  'Lena',
  'Marco',
  'Nora',
  'Omar',
  'Priya',
  'Rafael',
  'Sara',
  'Tomás',
  'Uma',
  'Victor',
  'Wendy',
  'Yusuf',
  'Zainab',
  'Sean',
  'Aoife',
  'Liam',
];

const LAST = [
  'Anderson',
  'Bakker',
  'Chowdhury',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Haddad',
  'Ivanova',
  'Jensen',
  'Kowalski',
  'Larsen',
  'Martínez',
  'Nakamura',
  'Okafor',
  'Petrov',
  'Quintero',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Ueda',
  'Vasquez',
  'Wang',
  'Xu',
  'Yilmaz',
  'Zimmermann',
  'Brown',
  'Singh',
  'Kim',
  'Nguyen',
  'Patel',
  'Smith',
  'Johnson',
  'Lee',
  'Walker',
  'Hughes',
  'Murphy',
  'Cohen',
  'Moreau',
  'Silva',
  'Costa',
  'Novak',
  'Horvat',
  'Berg',
];

/** surnames with an apostrophe, so that SOQL string escaping gets exercised (`o'brien@...`) */
export const APOSTROPHE_LAST = ["O'Brien", "O'Neill", "D'Angelo", "O'Connor", "D'Souza"];

export const DEPARTMENTS = [
  'Engineering',
  'Finance',
  'Human Resources',
  'IT',
  'Legal',
  'Marketing',
  'Operations',
  'Sales',
  'Support',
];

export const TITLES = [
  'Analyst',
  'Engineer',
  'Manager',
  'Specialist',
  'Coordinator',
  'Director',
  'Associate',
  'Consultant',
];

export function personName(prng: Prng): { firstName: string; lastName: string } {
  return { firstName: prng.pick(FIRST), lastName: prng.pick(LAST) };
}

/** the local part of an employee email: `first.last`, ASCII only, apostrophes kept (they are legal in emails) */
export function emailLocal(firstName: string, lastName: string): string {
  const ascii = (s: string): string =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase();
  return `${ascii(firstName)}.${ascii(lastName)}`.replace(/[^a-z0-9.']/g, '');
}
