import type { WriteOperation } from '../db/write-operation';
import type { ServiceContext } from '../http/context';
import { reviveHttpError } from '../http/errors';
import type { FieldError } from '../../shared/validation';
import { convertValidated, type Validated } from './from-email.service';

export interface ConvertInput {
  user: ServiceContext['user'];
  fields: ServiceContext['fields'];
  /** Each record's own checks (validateFromEmail): its values and message, or its field errors. */
  checked: (Validated | FieldError[])[];
}

export type Conversion = Awaited<ReturnType<typeof convertValidated>>;

/** POST /Cases/actions/from_email's write, by name, so SQLite's write worker can run it (conversion-batcher.ts). */
export const convertOperation: WriteOperation<ConvertInput, Conversion> = {
  name: 'cases.convert',
  run: (trx, { user, fields, checked }, dialect) => convertValidated(trx, { dialect, fields, user }, checked),
  revive: reviveHttpError,
};
