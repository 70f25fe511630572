// How the terminal core sends a buyer a message (the registration code, A2). The real SMS and
// messenger gateways arrive with the communications work; until then the core uses the local fake,
// which records what it "sent" so tests (and a developer in browser mode) can read the code.
import { err, ok, type Problem, type Result } from '@loyalty/core/shared/result';

/** One message to a buyer's phone (E.164). */
export type OutgoingMessage = { readonly to: string; readonly text: string };

/** A gateway that delivers a message; a failure is a Problem with a Russian message. */
export interface MessageProvider {
  send(message: OutgoingMessage): Promise<Result<{ readonly messageId: string }, Problem>>;
}

/** A message the fake provider recorded. */
export type SentMessage = OutgoingMessage & { readonly messageId: string; readonly sentAt: number };

/** Sends nothing: keeps every message in memory (and logs it) so tests can read the code. */
export class FakeMessageProvider implements MessageProvider {
  readonly sent: SentMessage[] = [];
  /**
   * Whether the gateway this fake stands for answers. Tests switch it off to play a gateway out of
   * reach (no internet at the shop): `send` then fails as the real one would.
   */
  reachable = true;
  constructor(private readonly log?: (line: string) => void) {}

  send(message: OutgoingMessage): Promise<Result<{ readonly messageId: string }, Problem>> {
    if (!this.reachable)
      return Promise.resolve(
        err({
          code: 'provider_unreachable',
          message: 'сервис сообщений недоступен (нет связи)',
          details: null,
        }),
      );
    const messageId = `fake-${this.sent.length + 1}`;
    this.sent.push({ ...message, messageId, sentAt: Date.now() });
    this.log?.(`message to ${message.to}: ${message.text}`);
    return Promise.resolve(ok({ messageId }));
  }

  /** The last code (a run of 4-8 digits) sent to `phone`, or null. */
  lastCodeFor(phone: string): string | null {
    for (let i = this.sent.length - 1; i >= 0; i--) {
      const m = this.sent[i];
      if (m?.to === phone) return /\b(\d{4,8})\b/.exec(m.text)?.[1] ?? null;
    }
    return null;
  }
}
