/**
 * Checks that a URL may receive webhooks: http(s) only, and its host (an IP literal, or
 * every address the name resolves to) outside the refused ranges unless allow-listed.
 * Throws a DomainError (INVALID_URL, DESTINATION_FORBIDDEN, DESTINATION_UNRESOLVABLE).
 * The sender checks again at connection time, on the address it actually connects to.
 */
export type DestinationCheck = (url: string) => Promise<void>;
