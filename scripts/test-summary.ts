/**
 * The last line of `npm test`: `N passed, N failed` over the jest reports and the checks (typecheck, lint).
 * Usage: tsx scripts/test-summary.ts <jest.json>... <checks passed> <checks failed>
 */
import fs from 'node:fs';

interface JestReport {
  numPassedTests: number;
  numFailedTests: number;
  testResults: { status: string; assertionResults?: { status: string }[] }[];
}

function read(file: string): JestReport {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as JestReport;
  } catch {
    // No report: the run never finished, which is a failure.
    return { numPassedTests: 0, numFailedTests: 1, testResults: [] };
  }
}

const args = process.argv.slice(2);
const checksFailed = Number(args.pop());
const checksPassed = Number(args.pop());
const reports = args.map(read);
const sum = (pick: (r: JestReport) => number) => reports.reduce((total, r) => total + pick(r), 0);
const testsPassed = sum((r) => r.numPassedTests);
const testsFailed = sum((r) => r.numFailedTests);
// A suite that fails to run (a syntax error, a hook that throws) counts as a failure though it reports no failed test.
const brokenSuites = sum(
  (r) =>
    (r.testResults ?? []).filter(
      (s) => s.status === 'failed' && !(s.assertionResults ?? []).some((a) => a.status === 'failed'),
    ).length,
);
console.log(
  `jest: ${testsPassed} passed, ${testsFailed} failed, ${brokenSuites} suites failed to run; ` +
    `checks: ${checksPassed} passed, ${checksFailed} failed (typecheck, lint)`,
);
const failed = testsFailed + brokenSuites + checksFailed;
console.log(`${testsPassed + checksPassed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
