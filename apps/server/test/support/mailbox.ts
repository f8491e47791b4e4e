import { startFakeSmtp, type FakeSmtp } from "./fake-smtp.ts";

/**
 * The mailbox every test server of this worker mails to (test-server.ts points them at it), so a
 * test can read a verification code the way a person reads their mail.
 */
let shared: Promise<FakeSmtp> | undefined;

export function testMailbox(): Promise<FakeSmtp> {
  shared ??= startFakeSmtp();
  return shared;
}
