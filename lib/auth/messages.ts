/** One message for every kind of credentials mismatch: sign-in never reveals which emails exist. */
export const wrongCredentialsMessage = "That email and password do not match an account.";
