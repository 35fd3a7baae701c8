/** The case reference carried in email subjects so replies thread back to their case: `[Case #00001234]`. */
const REFERENCE = /\[Case #(\d{1,16})\]/gi;

export function caseReference(caseNumber: string): string {
  return `[Case #${caseNumber}]`;
}

/** Case numbers referenced in a subject, in order, without repeats (as plain numbers: "1234"). */
export function referencedCaseNumbers(subject: string): string[] {
  const found = new Set<string>();
  for (const match of subject.matchAll(REFERENCE)) found.add(String(Number(match[1])));
  return [...found];
}

/** The subject with the case's reference appended, unless it already carries it. */
export function withCaseReference(subject: string, caseNumber: string): string {
  if (referencedCaseNumbers(subject).includes(String(Number(caseNumber)))) return subject;
  return `${subject.trim()} ${caseReference(caseNumber)}`.trim();
}
