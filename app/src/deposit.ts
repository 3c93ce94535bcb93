// Where a vault deposit stands, for people, and whether `LstBridge.retry_deposit` could mint it
// now: the same rules as `kasane bridge deposit` / `kasane bridge retry` (cli/src/bridge/deposit.rs).
// An accepted deposit the bridge could not mint at once (paused, over the token's cap, a
// recipient that cannot receive it, above the 24-hour limit) waits until someone retries it:
// relayers do once a retry would move it on, and anyone may here.

/** `LstBridgeApi.deposit_status` as polkadot-api decodes it (only what is shown). */
export type DepositStatus =
  | { type: 'Unknown' }
  | { type: 'Attesting'; value: { signers: unknown[]; quorum: number } }
  | { type: 'Halted' }
  | { type: 'Parked' }
  | { type: 'Delayed'; value: { until: number } }
  | { type: 'Processed' }
  | { type: 'Refunded'; value: { withdrawal: bigint } };

/** Why an accepted deposit waits (`LstBridge.Waiting`'s `reason`). */
export type WaitReason = 'Paused' | 'OverCap' | 'Unmintable' | 'Delayed';

export interface Seen {
  status: DepositStatus;
  /** Why it waits, if it does. */
  reason?: WaitReason;
  /** The inbound policy takes attesters' signatures of contents (else only proofs). */
  attested: boolean;
  paused: boolean;
  /** The waiting deposit would take its token's outstanding supply over the cap. */
  overCap: boolean;
  best: number;
}

export interface Outlook {
  text: string;
  /** A delay not over yet: mintable from this block. */
  until?: number;
  /** `true` if a retry may mint it now, else why it would not. */
  retry: true | string;
}

const PAUSED = 'The bridge is paused: retry once its guardian or governance resumes it.';

/** Why a waiting deposit would not mint now, as `retry_deposit` checks first: a paused bridge,
 * then the token's cap. Whether the recipient can receive it is the chain's to say. */
function heldBack({ paused, overCap }: Seen): true | string {
  if (paused) return PAUSED;
  if (overCap) return 'Minting it would still exceed the token’s cap: retry once withdrawals or a higher cap make room.';
  return true;
}

export function depositOutlook(seen: Seen): Outlook {
  const { status, reason, attested, paused, best } = seen;
  const notWaiting = (what: string) => `It is not waiting to be minted: ${what}.`;
  switch (status.type) {
    case 'Unknown':
      return {
        text: attested
          ? 'Not attested yet: attesters sign a deposit once its Ethereum block is deep enough.'
          : 'Not proven yet: relayers prove a deposit by its receipt once its Ethereum block is finalized.',
        retry: notWaiting('it is not on Kasane yet'),
      };
    case 'Attesting':
      return {
        text: `Being attested: ${status.value.signers.length} of the ${status.value.quorum} signatures it needs.`,
        retry: notWaiting('it is still being attested'),
      };
    case 'Halted':
      return {
        text: attested
          ? 'Halted: attesters signed different contents for it. Governance must clear it before it can be accepted.'
          : 'Halted: attesters signed different contents for it. A proof of its receipt settles it.',
        retry: notWaiting('it is halted'),
      };
    case 'Parked': {
      let text: string;
      if (paused) text = 'Accepted, waiting: the bridge is paused.';
      else if (reason === 'Paused')
        text = 'Accepted while the bridge was paused, which it no longer is: a retry mints it, or delays it a day if it is above the 24-hour mint limit.';
      else if (reason === 'OverCap') text = 'Accepted, waiting: minting it would exceed the token’s cap. It mints once withdrawals or a higher cap make room.';
      else if (reason === 'Unmintable')
        text = 'Accepted, waiting: the recipient cannot receive it yet (below the asset’s minimum balance for a new account, or the asset is frozen). A retry mints it once it can.';
      else text = 'Accepted, waiting.';
      return { text, retry: heldBack(seen) };
    }
    case 'Delayed': {
      const { until } = status.value;
      // A retry lands in the next block at the earliest: that block must reach `until`.
      if (until > best + 1) return { text: 'Accepted above the 24-hour mint limit: mintable', until, retry: 'Its delay is not over yet.' };
      const retry = heldBack(seen);
      return { text: retry === true ? 'Accepted above the 24-hour mint limit, and mintable now.' : 'Accepted above the 24-hour mint limit; its delay is over.', retry };
    }
    case 'Processed':
      return { text: 'Minted on Kasane.', retry: notWaiting('it is minted already') };
    case 'Refunded':
      return {
        text: `Refused or cancelled: paid back to the depositor on Ethereum by withdrawal ${status.value.withdrawal}.`,
        retry: notWaiting('it was paid back on Ethereum'),
      };
  }
}
