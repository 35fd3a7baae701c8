import type { FieldError } from '../../shared/validation';

export type ApiFailureKind =
  | 'network'
  | 'unauthorized'
  | 'forbidden'
  | 'validation'
  | 'server'
  | 'rate-limited'
  | 'not-found'
  | 'conflict'
  | 'aborted';

/** Every failed API call ends as one of these; the UI decides what to say from `kind`, never from raw HTTP. */
export class ApiFailure extends Error {
  override readonly name = 'ApiFailure';
  constructor(
    readonly kind: ApiFailureKind,
    message: string,
    readonly details: {
      status?: number;
      code?: string;
      fieldErrors?: FieldError[];
      retryAfterSeconds?: number;
      /** 409 CONFLICT: the version the record has now. */
      currentVersion?: number;
    } = {},
  ) {
    super(message);
  }

  get status(): number | undefined {
    return this.details.status;
  }

  get fieldErrors(): FieldError[] {
    return this.details.fieldErrors ?? [];
  }

  /** Whether trying the same request again may succeed (the user keeps the draft and gets a Retry button). */
  get retryable(): boolean {
    return (
      this.kind === 'network' ||
      this.kind === 'server' ||
      this.kind === 'rate-limited' ||
      this.kind === 'unauthorized'
    );
  }
}

export function isAbort(error: unknown): boolean {
  return error instanceof ApiFailure && error.kind === 'aborted';
}
