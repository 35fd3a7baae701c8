import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs } from 'kysely';
import { openStorage, type Storage } from '../../../src/server/db/database';
import { openFieldRegistry, saveLayout } from '../../../src/server/settings/field-registry';

/** Counts the queries that read the settings' version numbers (the check every write request makes). */
class VersionReads implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs) {
    const node = args.node as {
      kind: string;
      from?: { froms: { table?: { identifier?: { name: string } } }[] };
    };
    if (
      node.kind === 'SelectQueryNode' &&
      node.from?.froms.some((f) => f.table?.identifier?.name === 'settings_versions')
    )
      this.count++;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs) {
    return args.result;
  }
}

describe("the field registry's check before each write", () => {
  let dataDir: string;
  let storage: Storage;

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casepane-registry-'));
    storage = await openStorage({ dataDir });
  });
  afterEach(async () => {
    await storage.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves many concurrent requests with one read of the version, begun after each of them arrived', async () => {
    const reads = new VersionReads();
    const registry = await openFieldRegistry({ ...storage, db: storage.db.withPlugin(reads) }, undefined, 0);
    // Another node's copy: its layout change must be seen by every check that starts after it committed.
    const other = await openFieldRegistry(storage, undefined, 0);
    try {
      reads.count = 0;
      const first = registry.ensureCurrent();
      await saveLayout(storage, other, {
        fields: other.current().map((f) => ({ api_name: f.apiName, hidden: f.apiName === 'Product_Name' })),
      });
      // These arrive while the first check is under way, after the change: they must not take its answer.
      const later = Array.from({ length: 50 }, () => registry.ensureCurrent());
      await Promise.all([first, ...later]);
      expect(registry.current().find((f) => f.apiName === 'Product_Name')?.hidden).toBe(true);
      // Two checks (the first, and the one all 50 share), each with at most one reload that reads the number too.
      expect(reads.count).toBeLessThanOrEqual(4);
    } finally {
      registry.close();
      other.close();
    }
  });
});
