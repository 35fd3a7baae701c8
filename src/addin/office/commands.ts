/** Ribbon function-file support, through the adapter like everything else that touches Office. */
export async function associateCommandActions(
  actions: Record<string, (event: { completed(): void }) => void>,
): Promise<void> {
  const office = (globalThis as { Office?: typeof Office }).Office;
  if (!office) return;
  await office.onReady();
  // Office.actions is absent in older hosts and in the e2e emulator; the function file is then simply idle.
  const registry = (
    office as { actions?: { associate(name: string, action: (event: { completed(): void }) => void): void } }
  ).actions;
  if (!registry) return;
  for (const [name, action] of Object.entries(actions)) registry.associate(name, action);
}
