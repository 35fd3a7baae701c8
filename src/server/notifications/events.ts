/** The Notification API's vocabulary: Zoho's event names, the operations they watch, the callback's operation. */

export const MODULE = 'Cases';
export const OPERATIONS = ['create', 'edit', 'delete'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** The callback's `operation` for each watched one, as Zoho names them. */
export const CALLBACK_OPERATION: Record<Operation, 'insert' | 'update' | 'delete'> = {
  create: 'insert',
  edit: 'update',
  delete: 'delete',
};

/** `Cases.create`, ...; `Cases.all` stands for the three. */
export function eventNames(operations: readonly Operation[]): string[] {
  return operations.map((op) => `${MODULE}.${op}`);
}

export function isOperation(value: string): value is Operation {
  return (OPERATIONS as readonly string[]).includes(value);
}
