import fs from 'node:fs';
import path from 'node:path';

/**
 * The server's layering as the README states it, checked on the source (issue 13, step 2): SQL only in
 * `*.repository.ts` and `db/`, and no code outside `db/` that asks which engine it runs on. A file that breaks a
 * rule is named, with the line, so the fix is to move that code, not to loosen this test.
 */
const SERVER = path.join(__dirname, '../../src/server');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** `file:line` of every line outside comments that matches `pattern`. */
function offences(files: string[], pattern: RegExp): string[] {
  return files.flatMap((file) =>
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .map((line, i) => ({ line: line.trim(), at: `${path.relative(SERVER, file)}:${i + 1}` }))
      .filter(({ line }) => !/^(\*|\/\/|\/\*)/.test(line) && pattern.test(line))
      .map(({ at, line }) => `${at}: ${line.slice(0, 100)}`),
  );
}

const all = sourceFiles(SERVER);
const outsideDb = all.filter((f) => !path.relative(SERVER, f).startsWith(`db${path.sep}`));

describe('server layers', () => {
  it('finds the source it checks', () => {
    expect(all.length).toBeGreaterThan(100);
    expect(all.some((f) => f.endsWith('case.repository.ts'))).toBe(true);
  });

  it('runs SQL only in repositories and db/', () => {
    const statements =
      /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\bsql(<[^>]*>)?`|sql\.raw\(/;
    expect(
      offences(
        outsideDb.filter((f) => !f.endsWith('.repository.ts')),
        statements,
      ),
    ).toEqual([]);
  });

  it('never branches on the engine outside db/', () => {
    // Comparing an engine or dialect, reading the dialect's engine, or importing the Engine type.
    const branching = /\b(engine|dialect)\s*[!=]==|\.dialect\.engine\b|from '\.\.\/db\/engine'/;
    expect(offences(outsideDb, branching)).toEqual([]);
  });

  it('names the lines that break a rule (the checks above can fail)', () => {
    const found = offences([path.join(SERVER, 'cases/case.repository.ts')], /\.selectFrom\(/);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toMatch(/^cases\/case\.repository\.ts:\d+: /);
  });
});
