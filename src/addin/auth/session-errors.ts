export type SignInErrorKind =
  | 'no-profile'
  | 'misconfigured'
  | 'interaction-required'
  /** The user closed the sign-in window (Office dialog 12006, MSAL user_cancelled). */
  | 'cancelled'
  /** Outlook or the browser blocked the sign-in window (12009, 12011). */
  | 'blocked'
  /** Another dialog of the add-in is open (12007). */
  | 'busy'
  | 'failed';

export class SignInError extends Error {
  override readonly name = 'SignInError';
  constructor(
    readonly kind: SignInErrorKind,
    message: string,
  ) {
    super(message);
  }
}
