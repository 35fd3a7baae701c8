import fc from 'fast-check';
import { printQuery } from '../../../src/server/coql/coql.ast';
import { CoqlError } from '../../../src/server/coql/coql.errors';
import { parseQuery } from '../../../src/server/coql/coql.parser';
import { planQuery } from '../../../src/server/coql/coql.planner';
import { caseFields } from '../../../src/shared/case-fields';
import { mutated, query, soup } from './generators';

const VALID = [
  `select Subject, Owner.email as 'who' from Cases where (Status = 'New' and Hours between 1 and 5) or Priority is null order by Subject desc limit 10, 20`,
  `select Status, COUNT(id) from Cases where Subject not like 'a%' group by Status order by COUNT(id) desc`,
  `select id from Cases where Status in ('New', 'Closed') limit 5 offset 10`,
];

/** Anything thrown on the way from text to plan must be a COQL refusal, never a TypeError or a RangeError. */
function onlyCoqlErrors(text: string): void {
  try {
    planQuery(parseQuery(text), caseFields());
  } catch (error) {
    if (!(error instanceof CoqlError)) throw error;
  }
}

describe('COQL parser (properties)', () => {
  it('prints every generated query so that it parses back to the same query', () => {
    fc.assert(
      fc.property(query, (q) => {
        expect(parseQuery(printQuery(q))).toEqual(q);
      }),
      { numRuns: 500 },
    );
  });

  it('prints the same text again after a round trip (printing is canonical)', () => {
    fc.assert(
      fc.property(query, (q) => {
        const text = printQuery(q);
        expect(printQuery(parseQuery(text))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('reads the examples of the grammar, keywords in any case', () => {
    for (const text of VALID) expect(() => parseQuery(text)).not.toThrow();
    expect(parseQuery(`SELECT Subject FROM Cases WHERE Status = 'New' LIMIT 3`)).toEqual(
      parseQuery(`select Subject from Cases where Status = 'New' limit 3`),
    );
  });

  it('random text, token soups and damaged queries give COQL errors only', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200, unit: 'binary' }), onlyCoqlErrors), { numRuns: 1000 });
    fc.assert(fc.property(soup, onlyCoqlErrors), { numRuns: 1000 });
    fc.assert(fc.property(mutated(VALID), onlyCoqlErrors), { numRuns: 1000 });
    fc.assert(fc.property(query.map(printQuery), onlyCoqlErrors), { numRuns: 500 });
  });

  it('refuses deep nesting and very long text as COQL errors, without exhausting the stack', () => {
    const deep = `select id from Cases where ${'('.repeat(5000)}id is null${')'.repeat(5000)}`;
    expect(() => parseQuery(deep)).toThrow(CoqlError);
    expect(() => parseQuery(`select id from Cases where Subject = '${'x'.repeat(30_000)}'`)).toThrow(
      CoqlError,
    );
  });
});
